#pragma once
// File hashes: the algorithm names pip knows, digests written "sha256:<hex>" (requirements
// --hash, pip hash) or "sha256=<hex>" (index URL fragments), incremental hashing over
// OpenSSL's libcrypto (kept out of this header) and constant-time digest comparison.
//
// Which algorithms where, as pip 23.2.1:
// - --hash in requirement files and on the command line: sha256, sha384, sha512 only
//   (pip's STRONG_HASHES; is_strong()). parse_hash_option enforces this.
// - links on an index (URL fragments, PEP 691 "hashes", data-dist-info-metadata): also
//   sha224, sha1 and md5 (pip's Link._SUPPORTED_HASHES). They are fine for spotting a
//   corrupt download, not for trusting one.

#include "actpip/core/error.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace actpip::core {

enum class hash_algorithm { md5, sha1, sha224, sha256, sha384, sha512 };

// The hashlib names: "md5", "sha1", "sha224", "sha256", "sha384", "sha512".
std::string_view to_string(hash_algorithm algorithm);
// Exact, lower-case names only (pip matches them case-sensitively); nullopt otherwise.
std::optional<hash_algorithm> parse_hash_algorithm(std::string_view name);
std::size_t digest_size(hash_algorithm algorithm); // bytes: 16, 20, 28, 32, 48, 64
// Allowed for --hash (pip's STRONG_HASHES): sha256, sha384, sha512.
bool is_strong(hash_algorithm algorithm);

inline constexpr hash_algorithm favorite_hash = hash_algorithm::sha256; // what `pip hash` uses

struct hash_digest {
    hash_algorithm algorithm = hash_algorithm::sha256;
    std::string hex; // lower case, 2 * digest_size(algorithm) characters

    // Checks the hex (either case accepted, stored lower-cased) and its length.
    static result<hash_digest> make(hash_algorithm algorithm, std::string_view hex);

    std::string to_string() const;   // "sha256:<hex>"
    std::string to_fragment() const; // "sha256=<hex>"

    // Same algorithm and digest; the digests are compared in constant time.
    friend bool operator==(const hash_digest& a, const hash_digest& b);
};

// "<algorithm>:<hex>" with any of the six algorithms.
result<hash_digest> parse_hash(std::string_view text);
// A --hash value: "<algorithm>:<hex>" with a strong algorithm only, as pip requires.
result<hash_digest> parse_hash_option(std::string_view text);
// "<algorithm>=<hex>", a URL fragment without its '#'.
result<hash_digest> parse_hash_fragment(std::string_view fragment);
// The hash a link carries, found as pip finds it: the leftmost `[#&](sha512|sha384|sha256|
// sha224|sha1|md5)=([^&]*)` anywhere in the URL (so a query parameter counts too). nullopt
// when there is none; an error when the value is not a digest of the right length (pip
// would keep it and report a mismatch later).
result<std::optional<hash_digest>> find_url_hash(std::string_view url);

// Compares two byte strings in time that depends only on their lengths (CRYPTO_memcmp);
// strings of different lengths are unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

// An incremental digest. Movable, not copyable; finish() returns the digest and starts over.
class hasher {
public:
    // Fails only when libcrypto cannot provide the algorithm (md5 under a FIPS provider).
    static result<hasher> create(hash_algorithm algorithm);

    hasher(hasher&&) noexcept;
    hasher& operator=(hasher&&) noexcept;
    hasher(const hasher&) = delete;
    hasher& operator=(const hasher&) = delete;
    ~hasher();

    hash_algorithm algorithm() const { return algorithm_; }
    void update(std::span<const std::byte> data);
    void update(std::string_view data);
    result<hash_digest> finish();

private:
    struct impl;
    hasher(hash_algorithm algorithm, std::unique_ptr<impl> state);

    hash_algorithm algorithm_;
    std::unique_ptr<impl> impl_;
};

result<hash_digest> hash_bytes(hash_algorithm algorithm, std::span<const std::byte> data);
result<hash_digest> hash_bytes(hash_algorithm algorithm, std::string_view data);

} // namespace actpip::core
