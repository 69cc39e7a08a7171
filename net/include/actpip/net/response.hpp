#pragma once
// What the HTTP client hands back: the final status, headers and body after redirects.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actpip/net/request.hpp"
#include "actpip/net/url.hpp"

namespace actpip::net {

// "Content-Range: bytes 0-99/1234" (total empty for "*").
struct content_range {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::optional<std::uint64_t> total;
    friend bool operator==(const content_range&, const content_range&) = default;
};
std::optional<content_range> parse_content_range(std::string_view value);

struct response {
    unsigned status = 0;
    std::string reason;
    std::vector<header> headers;
    std::string body;             // empty when the request had a sink
    url final_url;                // after redirects
    std::uint64_t body_bytes = 0; // decoded bytes delivered (memory or sink)
    int redirects = 0;
    int attempts = 1; // tries of the final hop
    bool connection_reused = false;
    bool tls_resumed = false;

    // Case-insensitive; the first value.
    std::optional<std::string_view> header_value(std::string_view name) const;
    bool ok() const { return status >= 200 && status < 300; }
    std::optional<content_range> range() const;
};

bool iequals(std::string_view a, std::string_view b);

} // namespace actpip::net
