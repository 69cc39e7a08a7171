#pragma once
// PEP 376 / PEP 427 RECORD files: CSV rows of (path, "<algorithm>=<urlsafe-b64 digest>",
// size), read with Python csv's default dialect and written as pip writes them (sorted,
// "\r\n" line ends, quoting only where needed).

#include "actpip/core/error.hpp"
#include "actpip/core/hash.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

struct record_entry {
    std::string path;
    std::string hash; // "sha256=<urlsafe base64 without padding>", or empty
    std::string size; // decimal, or empty

    friend bool operator==(const record_entry&, const record_entry&) = default;
};

// A RECORD hash field split: the algorithm and the raw digest bytes.
struct record_hash {
    core::hash_algorithm algorithm = core::hash_algorithm::sha256;
    std::string digest; // raw bytes
};

// Parses RECORD text. `source` names the file in errors. Rows with an empty path are skipped.
core::result<std::vector<record_entry>> parse_record(std::string_view text,
                                                     std::string_view source);

// The text pip writes: rows sorted by (path, hash, size), each "a,b,c\r\n".
std::string format_record(std::vector<record_entry> rows);

// "sha256=" + urlsafe base64 of `digest_bytes` without '=' padding.
std::string format_record_hash(core::hash_algorithm algorithm, std::string_view digest_bytes);

// Parses "sha256=<b64>". PEP 427 forbids md5 and sha1; they are errors here.
core::result<record_hash> parse_record_hash(std::string_view field);

// The raw digest of a hex string (hash_digest::hex) as bytes.
std::string hex_to_bytes(std::string_view hex);

std::string base64_urlsafe_nopad(std::string_view bytes);
std::optional<std::string> base64_urlsafe_decode(std::string_view text);

} // namespace actpip::storage
