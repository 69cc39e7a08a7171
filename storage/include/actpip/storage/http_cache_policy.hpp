#pragma once
// HTTP caching decisions per RFC 9111 for actpip's private cache, as pure functions of the
// stored response and the time (tests use a fake clock). Freshness comes from max-age, else
// Expires minus Date; s-maxage is for shared caches and ignored; there is no heuristic
// freshness (an index page without explicit freshness is stale at once and revalidated).
// no-cache means revalidate every time; no-store (or Vary: *) means never store.

#include "actpip/core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

struct http_header {
    std::string name;
    std::string value;
    friend bool operator==(const http_header&, const http_header&) = default;
};
using http_headers = std::vector<http_header>;

// The value of a header, names compared case-insensitively; repeated headers are joined
// with ", " (RFC 9110 section 5.3).
std::optional<std::string> find_header(const http_headers& headers, std::string_view name);

struct cache_control {
    bool no_cache = false;
    bool no_store = false;
    bool must_revalidate = false;
    bool is_private = false;
    bool immutable = false;
    std::optional<std::int64_t> max_age;
    std::optional<std::int64_t> s_maxage;
};

// Directive names are case-insensitive; quoted values and unknown directives are accepted;
// a malformed max-age (not a non-negative integer) counts as 0, i.e. stale (RFC 9111 4.2.1).
cache_control parse_cache_control(std::string_view value);

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), obsolete RFC 850 and asctime formats, as
// seconds since the Unix epoch.
std::optional<std::int64_t> parse_http_date(std::string_view text);
std::string format_http_date(std::int64_t seconds); // IMF-fixdate

// A stored response: status, headers, and when it was requested and received (the local
// clock, seconds since the epoch).
struct stored_response {
    int status = 200;
    http_headers headers;
    std::int64_t request_time = 0;
    std::int64_t response_time = 0;
};

// RFC 9111 section 4.2.3.
std::int64_t current_age(const stored_response& response, std::int64_t now);
// RFC 9111 section 4.2.1 for a private cache; nullopt when the response gives none.
std::optional<std::int64_t> freshness_lifetime(const stored_response& response);
bool is_fresh(const stored_response& response, std::int64_t now);

// Whether a response may be stored at all: not no-store, no Vary: *, a status worth
// keeping (200, 203, 300, 301, 308, 404, 410), and either explicit freshness or a validator
// (a response with neither could only ever be refetched).
bool is_storable(int status, const http_headers& response_headers);

enum class cache_mode {
    normal,  // fresh: no request; stale: a conditional request
    refresh, // --refresh: always revalidate
    offline, // --offline: never the network; anything stored is used, a miss is an error
};

enum class cache_action {
    use_stored,   // answer from the cache, no request
    revalidate,   // send a conditional request (the headers below)
    fetch,        // send a plain request
    offline_miss, // nothing stored and no network: an error (offline_miss_error)
};

struct cache_decision {
    cache_action action = cache_action::fetch;
    http_headers conditional_headers; // If-None-Match / If-Modified-Since, for revalidate
};

// `stored` is null when the cache has nothing for the URL.
cache_decision decide_cache_action(const stored_response* stored, cache_mode mode,
                                   std::int64_t now);

// RFC 9111 section 4.3.4: the stored response freshened by a 304: the 304's headers
// replace the stored ones of the same name (Content-Length and the like excepted), and the
// times become the revalidation's.
stored_response freshen_with_not_modified(const stored_response& stored,
                                          const http_headers& not_modified_headers,
                                          std::int64_t request_time, std::int64_t response_time);

// "<url> is not in the cache and --offline forbids fetching it".
core::error offline_miss_error(std::string_view url);

} // namespace actpip::storage
