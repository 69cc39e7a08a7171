#pragma once
// What a caller asks of the HTTP client: plain data plus an optional body sink.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actpip/core/error.hpp"
#include "actpip/net/event.hpp"
#include "actpip/net/url.hpp"

namespace actpip::net {

// Order in which a host's queued requests get a connection: what the resolver waits on,
// then prefetches, then bulk downloads.
enum class priority : std::uint8_t { critical = 0, prefetch = 1, bulk = 2 };

struct header {
    std::string name;
    std::string value;
    friend bool operator==(const header&, const header&) = default;
};

// "bytes=first-last" (both inclusive), "bytes=first-" (`last` empty) or the suffix
// "bytes=-last" (`first` empty: the last `last` bytes).
struct byte_range {
    std::optional<std::uint64_t> first;
    std::optional<std::uint64_t> last;

    static byte_range from(std::uint64_t first) { return {first, std::nullopt}; }
    static byte_range span(std::uint64_t first, std::uint64_t last) { return {first, last}; }
    static byte_range suffix(std::uint64_t length) { return {std::nullopt, length}; }
    std::string to_header() const; // "bytes=0-99"
    friend bool operator==(const byte_range&, const byte_range&) = default;
};

// Receives the (decoded) body of a 2xx response chunk by chunk, on the client's thread. An
// error aborts the transfer and becomes the request's error. A streamed request is retried
// only while nothing has been delivered yet.
using body_sink = std::function<core::result<void>(std::string_view chunk)>;

// Shared by a request and whoever may call off the request (`client::cancel`). Once set, a
// request that has not been sent yet (waiting for a connection, or for a retry) fails with a
// "cancelled" error and is never sent; one already on the wire runs to its end.
using cancel_flag = std::shared_ptr<std::atomic<bool>>;
inline cancel_flag make_cancel_flag() {
    return std::make_shared<std::atomic<bool>>(false);
}

inline constexpr std::uint64_t default_body_limit = 64ull << 20;

struct request {
    std::string method = "GET";
    url target;
    std::vector<header> headers; // extra headers, sent as given
    std::optional<byte_range> range;
    std::optional<std::string> if_none_match;     // an ETag
    std::optional<std::string> if_modified_since; // an HTTP date
    priority prio = priority::critical;
    // Decoded bytes accepted into memory or the sink before the request fails.
    std::uint64_t body_limit = default_body_limit;
    body_sink sink;
    // Ask for gzip/deflate and decode it (never for Range requests).
    bool accept_compressed = true;
    int max_redirects = 10;
    std::string body; // request body (rare: uploads are not the installer's job)
    // Events of this request only (besides the client's own callback), including
    // connection_opened when a connection is opened for it.
    event_callback on_event;
    // Optional: lets the caller drop the request while it is still queued.
    cancel_flag cancel;

    static request get(url target, priority p = priority::critical) {
        request r;
        r.target = std::move(target);
        r.prio = p;
        return r;
    }
};

bool is_idempotent(std::string_view method);

} // namespace actpip::net
