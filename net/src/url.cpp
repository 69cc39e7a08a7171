#include "actpip/net/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "actpip/net/percent_encoding.hpp"
#include "url_chars.hpp"

namespace actpip::net {

namespace {

using core::errc;

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return out;
}

std::string_view trim(std::string_view s) {
    auto ws = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
    while (!s.empty() && ws(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && ws(s.back()))
        s.remove_suffix(1);
    return s;
}

// A parsed URI reference (absolute or relative), before validation of the scheme's rules.
struct reference {
    std::optional<std::string> scheme;
    bool has_authority = false;
    bool has_userinfo = false;
    std::string username;
    std::optional<std::string> password;
    std::string host;
    std::optional<std::uint16_t> port;
    std::string path;
    std::optional<std::string> query;
    std::optional<std::string> fragment;
};

core::error bad(std::string_view text, std::size_t pos, std::string_view why) {
    return core::parse_error(errc::network, "URL", redact_url(text), pos, why);
}

bool valid_scheme(std::string_view s) {
    if (s.empty() || !detail::is_alpha(static_cast<unsigned char>(s[0])))
        return false;
    return std::all_of(s.begin(), s.end(), [](char ch) {
        auto c = static_cast<unsigned char>(ch);
        return detail::is_alpha(c) || detail::is_digit(c) || c == '+' || c == '-' || c == '.';
    });
}

core::result<void> parse_authority(std::string_view text, std::string_view auth, std::size_t offset,
                                   reference& ref) {
    if (auto at = auth.rfind('@'); at != std::string_view::npos) {
        auto info = auth.substr(0, at);
        ref.has_userinfo = true;
        auto colon = info.find(':');
        ref.username =
            percent_encode(percent_decode_lenient(info.substr(0, colon)), encode_set::userinfo);
        if (colon != std::string_view::npos)
            ref.password = percent_encode(percent_decode_lenient(info.substr(colon + 1)),
                                          encode_set::userinfo);
        auth.remove_prefix(at + 1);
        offset += at + 1;
    }
    std::string_view port_text;
    bool has_port = false;
    if (!auth.empty() && auth.front() == '[') {
        auto close = auth.find(']');
        if (close == std::string_view::npos)
            return std::unexpected(bad(text, offset, "unterminated IPv6 literal"));
        std::string literal(auth.substr(1, close - 1));
        unsigned char buf[16];
        if (inet_pton(AF_INET6, literal.c_str(), buf) != 1)
            return std::unexpected(bad(text, offset, "invalid IPv6 literal"));
        ref.host = lower(literal);
        auto rest = auth.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                return std::unexpected(bad(text, offset + close + 1, "unexpected character"));
            has_port = true;
            port_text = rest.substr(1);
        }
    } else {
        auto colon = auth.rfind(':');
        auto host = auth.substr(0, colon);
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = auth.substr(colon + 1);
        }
        for (std::size_t i = 0; i < host.size(); ++i) {
            auto c = static_cast<unsigned char>(host[i]);
            if (detail::is_unreserved(c) || detail::is_sub_delim(c))
                continue;
            if (c == '%' && detail::is_pct_encoded(host, i)) {
                i += 2;
                continue;
            }
            return std::unexpected(bad(text, offset + i, "invalid character in host"));
        }
        ref.host = lower(percent_decode_lenient(host));
    }
    if (has_port && !port_text.empty()) {
        unsigned value = 0;
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || value > 65535 ||
            !std::all_of(port_text.begin(), port_text.end(),
                         [](char c) { return detail::is_digit(static_cast<unsigned char>(c)); }))
            return std::unexpected(
                bad(text, offset + (auth.size() - port_text.size()), "invalid port"));
        ref.port = static_cast<std::uint16_t>(value);
    }
    return {};
}

// RFC 3986 appendix B, with validation of the scheme, authority and port.
core::result<reference> parse_reference(std::string_view text) {
    reference ref;
    std::string_view rest = text;
    std::size_t pos = 0;
    auto first_delim = rest.find_first_of(":/?#");
    if (first_delim != std::string_view::npos && rest[first_delim] == ':' && first_delim > 0) {
        auto scheme = rest.substr(0, first_delim);
        if (valid_scheme(scheme)) {
            ref.scheme = lower(scheme);
            rest.remove_prefix(first_delim + 1);
            pos += first_delim + 1;
        }
    }
    if (rest.starts_with("//")) {
        rest.remove_prefix(2);
        pos += 2;
        auto end = rest.find_first_of("/?#");
        auto auth = rest.substr(0, end);
        ref.has_authority = true;
        if (auto r = parse_authority(text, auth, pos, ref); !r)
            return std::unexpected(std::move(r.error()));
        rest.remove_prefix(auth.size());
        pos += auth.size();
    }
    auto fragment_at = rest.find('#');
    if (fragment_at != std::string_view::npos) {
        ref.fragment = percent_encode(rest.substr(fragment_at + 1), encode_set::query);
        rest = rest.substr(0, fragment_at);
    }
    auto query_at = rest.find('?');
    if (query_at != std::string_view::npos) {
        ref.query = percent_encode(rest.substr(query_at + 1), encode_set::query);
        rest = rest.substr(0, query_at);
    }
    ref.path = percent_encode(rest, encode_set::path);
    return ref;
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view in) {
    std::string out;
    while (!in.empty()) {
        if (in.starts_with("../")) {
            in.remove_prefix(3);
        } else if (in.starts_with("./")) {
            in.remove_prefix(2);
        } else if (in.starts_with("/./")) {
            in.remove_prefix(2);
        } else if (in == "/.") {
            in = "/";
        } else if (in.starts_with("/../") || in == "/..") {
            in = in.size() == 3 ? std::string_view("/") : in.substr(3);
            auto slash = out.rfind('/');
            out.erase(slash == std::string::npos ? 0 : slash);
        } else if (in == "." || in == "..") {
            in = {};
        } else {
            auto next = in.find('/', 1);
            auto seg = in.substr(0, next);
            out += seg;
            in.remove_prefix(seg.size());
        }
    }
    return out;
}

std::string merge(const url& base, std::string_view ref_path, bool base_has_authority) {
    if (base_has_authority && base.path().empty())
        return "/" + std::string(ref_path);
    auto slash = base.path().rfind('/');
    if (slash == std::string::npos)
        return std::string(ref_path);
    return base.path().substr(0, slash + 1) + std::string(ref_path);
}

std::string mask(const std::string& username, const std::optional<std::string>& password) {
    if (!password)
        return "****@";
    return username + ":****@";
}

} // namespace

struct url_parser {
    static core::result<url> make(std::string_view text, reference ref) {
        if (!ref.scheme)
            return std::unexpected(bad(text, 0, "missing scheme"));
        url u;
        u.scheme_ = std::move(*ref.scheme);
        u.has_authority_ = ref.has_authority;
        u.username_ = std::move(ref.username);
        u.password_ = std::move(ref.password);
        u.host_ = std::move(ref.host);
        u.port_ = ref.port;
        u.path_ = std::move(ref.path);
        u.query_ = std::move(ref.query);
        u.fragment_ = std::move(ref.fragment);
        bool web = u.scheme_ == "http" || u.scheme_ == "https";
        if (web && u.host_.empty())
            return std::unexpected(bad(text, u.scheme_.size() + 1, "missing host"));
        if (web && u.path_.empty())
            u.path_ = "/";
        if (u.has_authority_ && !u.path_.empty() && u.path_.front() != '/')
            return std::unexpected(bad(text, 0, "path must start with '/'"));
        if (u.has_authority_ || (!u.path_.empty() && u.path_.front() == '/'))
            u.path_ = remove_dot_segments(u.path_);
        return u;
    }
    static void set_authority(url& u, const reference& r) {
        u.has_authority_ = r.has_authority;
        u.username_ = r.username;
        u.password_ = r.password;
        u.host_ = r.host;
        u.port_ = r.port;
    }
    static bool has_authority(const url& u) { return u.has_authority_; }
    static void set_path(url& u, std::string path) { u.path_ = std::move(path); }
    static void set_query(url& u, std::optional<std::string> q) { u.query_ = std::move(q); }
    static void set_fragment(url& u, std::optional<std::string> f) { u.fragment_ = std::move(f); }
};

core::result<url> url::parse(std::string_view text) {
    text = trim(text);
    auto ref = parse_reference(text);
    if (!ref)
        return std::unexpected(std::move(ref.error()));
    return url_parser::make(text, std::move(*ref));
}

core::result<url> url::resolve(std::string_view text) const {
    text = trim(text);
    auto parsed = parse_reference(text);
    if (!parsed)
        return std::unexpected(std::move(parsed.error()));
    auto& r = *parsed;
    if (r.scheme)
        return url_parser::make(text, std::move(r));
    url t = *this;
    if (r.has_authority) {
        url_parser::set_authority(t, r);
        url_parser::set_path(t, remove_dot_segments(r.path));
        url_parser::set_query(t, r.query);
    } else if (r.path.empty()) {
        if (r.query)
            url_parser::set_query(t, r.query);
    } else {
        std::string path =
            r.path.front() == '/' ? r.path : merge(*this, r.path, url_parser::has_authority(*this));
        url_parser::set_path(t, remove_dot_segments(path));
        url_parser::set_query(t, r.query);
    }
    url_parser::set_fragment(t, r.fragment);
    if ((t.scheme_ == "http" || t.scheme_ == "https") && t.path_.empty())
        t.path_ = "/";
    return t;
}

std::uint16_t url::effective_port() const {
    if (port_)
        return *port_;
    if (scheme_ == "https")
        return 443;
    if (scheme_ == "http")
        return 80;
    if (scheme_ == "ftp")
        return 21;
    return 0;
}

std::string url::authority() const {
    std::string out = is_ipv6() ? "[" + host_ + "]" : host_;
    url no_port = *this;
    no_port.port_.reset();
    if (port_ && *port_ != no_port.effective_port())
        out += ":" + std::to_string(*port_);
    return out;
}

std::string url::origin() const {
    std::string out = scheme_ + "://";
    out += is_ipv6() ? "[" + host_ + "]" : host_;
    out += ":" + std::to_string(effective_port());
    return out;
}

std::string url::target() const {
    std::string out = path_.empty() ? "/" : path_;
    if (query_)
        out += "?" + *query_;
    return out;
}

std::string url::to_string() const {
    std::string out = scheme_ + ":";
    if (has_authority_) {
        out += "//";
        if (has_credentials()) {
            out += username_;
            if (password_)
                out += ":" + *password_;
            out += "@";
        }
        out += is_ipv6() ? "[" + host_ + "]" : host_;
        if (port_)
            out += ":" + std::to_string(*port_);
    }
    out += path_;
    if (query_)
        out += "?" + *query_;
    if (fragment_)
        out += "#" + *fragment_;
    return out;
}

std::string url::redacted() const {
    if (!has_credentials())
        return to_string();
    url copy = without_credentials();
    std::string plain = copy.to_string();
    auto at = plain.find("//");
    return plain.insert(at + 2, mask(username_, password_));
}

url url::without_credentials() const {
    url copy = *this;
    copy.username_.clear();
    copy.password_.reset();
    return copy;
}

url url::without_fragment() const {
    url copy = *this;
    copy.fragment_.reset();
    return copy;
}

void url::set_credentials(std::string username, std::optional<std::string> password) {
    username_ = percent_encode(username, encode_set::userinfo);
    password_.reset();
    if (password)
        password_ = percent_encode(*password, encode_set::userinfo);
}

std::string url::filename() const {
    auto slash = path_.rfind('/');
    return percent_decode_lenient(slash == std::string::npos ? path_ : path_.substr(slash + 1));
}

bool url::is_loopback() const {
    if (host_ == "localhost" || host_ == "::1")
        return true;
    unsigned char buf[4];
    return inet_pton(AF_INET, host_.c_str(), buf) == 1 && buf[0] == 127;
}

std::string redact_url(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto sep = text.find("://", i);
        if (sep == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, sep + 3 - i));
        auto start = sep + 3;
        auto end = text.find_first_of("/?# \t\r\n\"'<>", start);
        if (end == std::string_view::npos)
            end = text.size();
        auto auth = text.substr(start, end - start);
        auto at = auth.rfind('@');
        if (at != std::string_view::npos) {
            auto info = auth.substr(0, at);
            auto colon = info.find(':');
            if (colon == std::string_view::npos)
                out += "****@";
            else
                out += std::string(info.substr(0, colon)) + ":****@";
            out.append(auth.substr(at + 1));
        } else {
            out.append(auth);
        }
        i = end;
    }
    return out;
}

} // namespace actpip::net
