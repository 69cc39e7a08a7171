#pragma once
// Progress and connection events, for a reporter: plain data, called on the client's thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace actpip::net {

enum class event_kind : std::uint8_t {
    connection_opened,
    connection_closed,
    request_started,
    request_finished,
    bytes_received,
    retrying,
};

struct event {
    event_kind kind;
    std::string origin;      // "https://host:443"
    std::string url;         // redacted
    std::uint64_t bytes = 0; // so far (bytes_received, request_finished)
    std::optional<std::uint64_t> total;
    unsigned status = 0;
    std::string detail; // why a retry happens, or a connection's TLS facts
};

// Called on the client's thread: keep it short (post or send elsewhere).
using event_callback = std::function<void(const event&)>;

} // namespace actpip::net
