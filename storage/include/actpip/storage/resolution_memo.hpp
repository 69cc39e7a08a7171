#pragma once
// The projects of the last resolution of an input (requirements, sources, target), kept in the
// cache so that a run whose pages are stale can revalidate all of them at once instead of in
// crawl order, one level per round trip. Only a prefetch list: a memo that no longer fits the
// input costs requests, never a different result. Entries are checksummed cache entries.
// Blocking: not for network threads.

#include "actpip/core/error.hpp"
#include "actpip/storage/cache_layout.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

// The memo's key for a canonical description of the input.
std::string resolution_memo_key(std::string_view input);

// Normalized project names; empty when there is no memo (or a corrupt one, removed).
std::vector<std::string> load_resolution_memo(const cache_layout& layout, std::string_view key);

core::result<void> store_resolution_memo(const cache_layout& layout, std::string_view key,
                                         const std::vector<std::string>& names);

} // namespace actpip::storage
