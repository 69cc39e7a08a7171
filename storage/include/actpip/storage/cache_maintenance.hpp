#pragma once
// `actpip cache info|clean|prune` as library calls: sizes by kind, removing everything, and
// removing what is unreferenced, temporary or corrupt. clean and prune take the cache's
// exclusive lock, so they wait for writers in other processes to finish. Blocking.

#include "actpip/core/error.hpp"
#include "actpip/storage/cache_layout.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

enum class cache_kind { http, metadata, wheels, unpacked, temporary, other };
inline constexpr std::size_t cache_kind_count = 6;
std::string_view to_string(cache_kind kind); // "http", "metadata", ...

struct cache_usage {
    struct amount {
        std::uint64_t files = 0;
        std::uint64_t bytes = 0;
    };
    std::array<amount, cache_kind_count> by_kind{};

    const amount& operator[](cache_kind kind) const {
        return by_kind[static_cast<std::size_t>(kind)];
    }
    amount& operator[](cache_kind kind) { return by_kind[static_cast<std::size_t>(kind)]; }
    amount total() const;
};

// Files and bytes under the root, by kind (a missing root is an empty cache). Temporary
// files (".tmp-*") count as temporary wherever they are; older layouts (v0, ...) as other.
core::result<cache_usage> measure_cache(const cache_layout& layout);

struct cache_removal {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    std::vector<std::string> removed; // paths (prune only), for --verbose output
};

// Removes every cache layout version under the root (the lock files stay).
core::result<cache_removal> clean_cache(const cache_layout& layout);

struct prune_options {
    // Temporary files younger than this may belong to a writer that is still running.
    std::chrono::seconds temporary_age{3600};
    bool verify_wheels = false; // rehash every wheel (slow)
};

// Removes temporary files older than the limit, corrupt HTTP and metadata entries, files
// whose names are not keys of the layout, unpacked trees whose wheel is not stored, wheels
// that fail verification (with verify_wheels) and older layout versions.
core::result<cache_removal> prune_cache(const cache_layout& layout, const prune_options& options);

} // namespace actpip::storage
