#pragma once
// HTTP responses on disk, keyed by URL: status, headers (validators included), request and
// response times, and the body, in the cache_entry format (checksummed, zstd). The caching
// decisions are http_cache_policy's; this is storage only. Blocking: not for network
// threads.

#include "actpip/core/error.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/http_cache_policy.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace actpip::storage {

struct http_cache_entry {
    std::string url;
    stored_response response;
    std::string body;
};

struct http_cache_lookup {
    std::optional<http_cache_entry> entry; // nullopt: a miss
    // A corrupt entry found and removed: the lookup is a miss, reported with this.
    std::optional<core::error> dropped;
};

class http_cache {
public:
    explicit http_cache(cache_layout layout) : layout_(std::move(layout)) {}

    http_cache_lookup load(std::string_view url) const;
    // Stores (replaces) the entry for entry.url, atomically. Whether it should be stored at
    // all is the caller's question (is_storable).
    core::result<void> store(const http_cache_entry& entry) const;
    // A 304 arrived: the stored entry freshened (freshen_with_not_modified) and written back.
    // Returns the updated entry; a miss or corrupt entry is an error (send a plain request).
    core::result<http_cache_entry> store_not_modified(std::string_view url,
                                                      const http_headers& headers,
                                                      std::int64_t request_time,
                                                      std::int64_t response_time) const;
    core::result<void> remove(std::string_view url) const;

    const cache_layout& layout() const { return layout_; }

private:
    cache_layout layout_;
};

// The entry's content before compression (exposed for prune and tests): a 4-byte
// little-endian length, that many bytes of JSON (url, status, times, headers), the body.
std::string serialize_http_entry(const http_cache_entry& entry);
core::result<http_cache_entry> deserialize_http_entry(std::string_view content);

} // namespace actpip::storage
