// The URL checks of packaging 21.3's Requirement, which rest on Python 3.11's urllib.parse:
//
//     parsed = urlparse(url)
//     if parsed.scheme == "file": invalid unless urlunparse(parsed) == url
//     elif not (parsed.scheme and parsed.netloc): invalid
//
// and urlsplit raises ValueError (an invalid requirement too) for unbalanced brackets in the
// network location, a bracketed host that is not an IPv6 address or an IPvFuture literal,
// and a non-ASCII network location whose NFKC form gains one of "/?#@:".

#include "pep508_detail.hpp"
#include "py_unicode.hpp"

#include <algorithm>
#include <vector>

namespace actpip::core::detail::pep508 {
namespace {

constexpr std::string_view scheme_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";
bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        const std::size_t i = s.find(sep);
        out.push_back(s.substr(0, i));
        if (i == std::string_view::npos) {
            return out;
        }
        s.remove_prefix(i + 1);
    }
}

// ipaddress.IPv4Address(text) of Python 3.11.
bool is_ipv4(std::string_view s) {
    const auto octets = split(s, '.');
    if (s.empty() || octets.size() != 4) {
        return false;
    }
    for (const auto o : octets) {
        if (o.empty() || o.size() > 3 || (o != "0" && o.front() == '0') ||
            !std::all_of(o.begin(), o.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return false;
        }
        int value = 0;
        for (const char c : o) {
            value = value * 10 + (c - '0');
        }
        if (value > 255) {
            return false;
        }
    }
    return true;
}

bool is_hextet(std::string_view h) {
    return !h.empty() && h.size() <= 4 && std::all_of(h.begin(), h.end(), is_hex);
}

// ipaddress.IPv6Address(text) of Python 3.11, scope id included.
bool is_ipv6(std::string_view s) {
    if (const std::size_t pct = s.find('%'); pct != std::string_view::npos) {
        const std::string_view scope = s.substr(pct + 1);
        if (scope.empty() || scope.find('%') != std::string_view::npos) {
            return false;
        }
        s = s.substr(0, pct);
    }
    if (s.empty()) {
        return false;
    }
    auto parts = split(s, ':');
    if (parts.size() < 3) {
        return false;
    }
    std::vector<std::string> storage; // keeps the hextets made from an IPv4 suffix alive
    if (parts.back().find('.') != std::string_view::npos) {
        if (!is_ipv4(parts.back())) {
            return false;
        }
        parts.pop_back();
        parts.emplace_back("0"); // the values do not matter for validity
        parts.emplace_back("0");
    }
    if (parts.size() > 9) {
        return false;
    }
    std::size_t skip = 0;
    bool has_skip = false;
    for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
        if (parts[i].empty()) {
            if (has_skip) {
                return false;
            }
            skip = i;
            has_skip = true;
        }
    }
    std::size_t hi = parts.size();
    std::size_t lo = 0;
    if (has_skip) {
        hi = skip;
        lo = parts.size() - skip - 1;
        if (parts.front().empty() && --hi != 0) {
            return false;
        }
        if (parts.back().empty() && --lo != 0) {
            return false;
        }
        if (hi + lo >= 8) {
            return false;
        }
    } else if (parts.size() != 8) {
        return false;
    }
    for (std::size_t i = 0; i < hi; ++i) {
        if (!is_hextet(parts[i])) {
            return false;
        }
    }
    for (std::size_t i = parts.size() - lo; i < parts.size(); ++i) {
        if (!is_hextet(parts[i])) {
            return false;
        }
    }
    return true;
}

// urllib.parse._check_bracketed_host: empty when fine.
std::string bracketed_host_problem(std::string_view host) {
    if (host.starts_with('v')) {
        // \Av[a-fA-F0-9]+\..+\Z
        std::size_t i = 1;
        while (i < host.size() && is_hex(host[i])) {
            ++i;
        }
        if (i > 1 && i + 1 < host.size() && host[i] == '.') {
            return {};
        }
        return "IPvFuture address is invalid";
    }
    if (is_ipv4(host)) {
        return "an IPv4 address cannot be in brackets";
    }
    return is_ipv6(host) ? std::string() : "'" + std::string(host) + "' is not an IP address";
}

// Code points whose NFKC form contains one of "/?#@:" (Unicode 14.0, as CPython 3.11).
bool nfkc_adds_delimiter(char32_t c) {
    return (c >= 0x2047 && c <= 0x2049) || c == 0x2100 || c == 0x2101 || c == 0x2105 ||
           c == 0x2106 || c == 0x2A74 || c == 0xFE13 || c == 0xFE16 || c == 0xFE55 || c == 0xFE56 ||
           c == 0xFE5F || c == 0xFE6B || c == 0xFF03 || c == 0xFF0F || c == 0xFF1A || c == 0xFF1F ||
           c == 0xFF20;
}

// urllib.parse._checknetloc.
bool netloc_ok(std::string_view netloc) {
    for (std::size_t i = 0; i < netloc.size();) {
        const auto ch = decode_utf8(netloc, i);
        if (!ch) {
            ++i;
            continue;
        }
        if (nfkc_adds_delimiter(ch->code)) {
            return false;
        }
        i += ch->size;
    }
    return true;
}

} // namespace

std::string url_problem(std::string_view original) {
    // urlsplit: strip leading C0 controls and spaces, drop tabs and line breaks.
    std::string url;
    std::size_t start = 0;
    while (start < original.size() && static_cast<unsigned char>(original[start]) <= 0x20) {
        ++start;
    }
    for (const char c : original.substr(start)) {
        if (c != '\t' && c != '\r' && c != '\n') {
            url += c;
        }
    }
    std::string scheme;
    std::string_view rest = url;
    const std::size_t colon = rest.find(':');
    const bool alpha0 =
        !rest.empty() && ((rest[0] >= 'a' && rest[0] <= 'z') || (rest[0] >= 'A' && rest[0] <= 'Z'));
    if (colon != std::string_view::npos && colon > 0 && alpha0 &&
        rest.substr(0, colon).find_first_not_of(scheme_chars) == std::string_view::npos) {
        for (const char c : rest.substr(0, colon)) {
            scheme += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        rest.remove_prefix(colon + 1);
    }
    std::string_view netloc;
    if (rest.starts_with("//")) {
        const std::size_t delim = std::min(rest.find_first_of("/?#", 2), rest.size());
        netloc = rest.substr(2, delim - 2);
        rest.remove_prefix(delim);
        const bool open = netloc.find('[') != std::string_view::npos;
        const bool close = netloc.find(']') != std::string_view::npos;
        if (open != close) {
            return "invalid IPv6 URL";
        }
        if (open) {
            std::string_view host = netloc.substr(netloc.find('[') + 1);
            host = host.substr(0, host.find(']'));
            if (auto problem = bracketed_host_problem(host); !problem.empty()) {
                return problem;
            }
        }
    }
    std::string_view fragment;
    if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
        fragment = rest.substr(hash + 1);
        rest = rest.substr(0, hash);
    }
    std::string_view query;
    if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    if (!netloc_ok(netloc)) {
        return "the network location contains invalid characters under NFKC normalization";
    }
    if (scheme == "file") {
        // urlunparse(urlparse(url)): "file" is in uses_netloc and not in uses_params.
        std::string path(rest);
        std::string again;
        if (!netloc.empty() || !rest.starts_with("//")) {
            if (!path.empty() && path.front() != '/') {
                path.insert(path.begin(), '/');
            }
            path = "//" + std::string(netloc) + path;
        }
        again = scheme + ":" + path;
        if (!query.empty()) {
            again += "?" + std::string(query);
        }
        if (!fragment.empty()) {
            again += "#" + std::string(fragment);
        }
        return again == original ? std::string() : "a file URL must be written in normal form";
    }
    if (scheme.empty() || netloc.empty()) {
        return "a URL needs a scheme and a network location";
    }
    return {};
}

} // namespace actpip::core::detail::pep508
