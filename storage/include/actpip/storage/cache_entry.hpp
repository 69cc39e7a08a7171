#pragma once
// The on-disk format of HTTP and metadata entries: a 48-byte header, then the content
// compressed with zstd.
//   bytes 0-7   magic "actpipC1"
//   bytes 8-15  length of the compressed payload, little-endian
//   bytes 16-47 sha256 of the compressed payload
// A file that is short, too long, mislabelled, fails its checksum or does not decompress is
// corrupt: readers drop it and report a miss, so it is refetched and never trusted.
// Writes are atomic (atomic_file) under the cache's shared lock.

#include "actpip/core/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace actpip::storage {

inline constexpr std::size_t cache_entry_header_size = 48;

// Compresses and frames `content`.
core::result<std::string> encode_cache_entry(std::string_view content);
// The content of a framed entry; errc::io naming what is wrong when it is corrupt.
core::result<std::string> decode_cache_entry(std::string_view file);

struct cache_read {
    std::optional<std::string> content; // nullopt: a miss
    // Set when a corrupt entry was found (and removed): the miss is reported with this.
    std::optional<core::error> dropped;
};

// Reads and checks an entry. A missing file is a plain miss; a corrupt one is removed and
// reported as a miss with `dropped` set.
cache_read read_cache_entry(const std::filesystem::path& path);

// Writes an entry atomically. `global_lock`, when given, is held shared meanwhile (so that
// `cache clean` does not run underneath).
core::result<void> write_cache_entry(const std::filesystem::path& path, std::string_view content,
                                     const std::filesystem::path& global_lock = {});

} // namespace actpip::storage
