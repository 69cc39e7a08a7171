#pragma once
// Keeping a cache within a size budget (`actpip serve --max-cache-size`): wheels and their
// unpacked trees are evicted least recently used first (a wheel's modification time is its
// last use: mark_used() sets it), never one in use. HTTP entries and metadata are small and
// stay. Blocking: for a detached actor.

#include "actpip/core/error.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/cache_maintenance.hpp"

#include <cstdint>
#include <set>
#include <string>

namespace actpip::storage {

// The bytes of wheels and unpacked trees.
std::uint64_t evictable_bytes(const cache_layout& layout);

// Evicts until evictable_bytes() <= budget or nothing more may go; `in_use` holds the
// sha256 of wheels being served or installed.
core::result<cache_removal> evict_to_budget(const cache_layout& layout, std::uint64_t budget,
                                            const std::set<std::string>& in_use);

// The wheel with this sha256 was used now (it goes last in the eviction order).
void mark_used(const cache_layout& layout, const std::string& sha256);

} // namespace actpip::storage
