#include "actpip/net/request.hpp"

#include <algorithm>
#include <charconv>

#include "actpip/net/response.hpp"

namespace actpip::net {

std::string byte_range::to_header() const {
    std::string out = "bytes=";
    if (first)
        out += std::to_string(*first);
    out += "-";
    if (last)
        out += std::to_string(*last);
    return out;
}

bool is_idempotent(std::string_view m) {
    return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "PUT" || m == "DELETE" ||
           m == "TRACE";
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lx = static_cast<unsigned char>(x), ly = static_cast<unsigned char>(y);
               return (lx >= 'A' && lx <= 'Z' ? lx + 32 : lx) ==
                      (ly >= 'A' && ly <= 'Z' ? ly + 32 : ly);
           });
}

std::optional<std::string_view> response::header_value(std::string_view name) const {
    for (const auto& h : headers)
        if (iequals(h.name, name))
            return std::string_view(h.value);
    return std::nullopt;
}

std::optional<content_range> response::range() const {
    auto v = header_value("Content-Range");
    if (!v)
        return std::nullopt;
    return parse_content_range(*v);
}

namespace {

bool number(std::string_view& s, std::uint64_t& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc{} || end == s.data())
        return false;
    s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    return true;
}

} // namespace

std::optional<content_range> parse_content_range(std::string_view v) {
    while (!v.empty() && v.front() == ' ')
        v.remove_prefix(1);
    if (!v.starts_with("bytes "))
        return std::nullopt;
    v.remove_prefix(6);
    content_range r;
    if (!number(v, r.first) || !v.starts_with('-'))
        return std::nullopt;
    v.remove_prefix(1);
    if (!number(v, r.last) || !v.starts_with('/') || r.last < r.first)
        return std::nullopt;
    v.remove_prefix(1);
    if (v == "*")
        return r;
    std::uint64_t total = 0;
    if (!number(v, total) || !v.empty() || total <= r.last)
        return std::nullopt;
    r.total = total;
    return r;
}

} // namespace actpip::net
