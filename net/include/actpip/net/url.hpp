#pragma once
// An absolute URL (RFC 3986): parsed once, components kept percent-encoded as written
// (except the scheme and host, which are lower-cased). Relative references resolve against it.
// Credentials stay inside the value; `redacted()` is what logs, errors and reports show.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actpip/core/error.hpp"

namespace actpip::net {

class url {
public:
    url() = default;

    // Parses an absolute URL ("https://user:pw@[::1]:8443/simple/?q#f"). Surrounding
    // whitespace is ignored; characters that may not appear in a URL (space, non-ASCII, '"',
    // '<', '>', ...) are percent-encoded in the path, query and fragment. http(s) need a host;
    // file URLs may have an empty one ("file:///tmp/x", "file:/tmp/x").
    static core::result<url> parse(std::string_view text);

    // RFC 3986 section 5.2: `reference` ("../x.whl", "//host/p", "?q", "#f", "https://...")
    // resolved against this URL as base, dot segments removed.
    core::result<url> resolve(std::string_view reference) const;

    const std::string& scheme() const { return scheme_; }
    // Percent-encoded as written; `username()` is empty when there is no userinfo.
    const std::string& username() const { return username_; }
    const std::optional<std::string>& password() const { return password_; }
    bool has_credentials() const { return !username_.empty() || password_.has_value(); }
    // Lower-case reg-name, dotted IPv4 or IPv6 without brackets.
    const std::string& host() const { return host_; }
    bool is_ipv6() const { return host_.find(':') != std::string::npos; }
    // The port as written, if any.
    std::optional<std::uint16_t> port() const { return port_; }
    // The written port, else the scheme's default (80, 443, 21), else 0.
    std::uint16_t effective_port() const;
    const std::string& path() const { return path_; }
    const std::optional<std::string>& query() const { return query_; }
    const std::optional<std::string>& fragment() const { return fragment_; }

    // "host", "[::1]:8443": the port only when it is not the default; no userinfo. This is
    // also the HTTP Host header.
    std::string authority() const;
    // "https://host:443": scheme, host and effective port; the key of a connection pool.
    std::string origin() const;
    // Path (at least "/") and query: the HTTP request target.
    std::string target() const;
    // The whole URL, credentials included: for the wire only.
    std::string to_string() const;
    // The URL for people: "https://user:****@host/x" ("****@host" for a lone token).
    std::string redacted() const;

    url without_credentials() const;
    url without_fragment() const;
    void set_credentials(std::string username, std::optional<std::string> password);
    // The path's last segment, percent-decoded ("pkg-1.0.whl").
    std::string filename() const;

    // True for loopback hosts (localhost, 127.0.0.0/8, ::1).
    bool is_loopback() const;

    friend bool operator==(const url&, const url&) = default;

private:
    std::string scheme_;
    std::string username_;
    std::optional<std::string> password_;
    bool has_authority_ = false;
    std::string host_;
    std::optional<std::uint16_t> port_;
    std::string path_;
    std::optional<std::string> query_;
    std::optional<std::string> fragment_;

    friend struct url_parser;
};

// Masks credentials in any text that might hold a URL (for messages built from raw input).
std::string redact_url(std::string_view text);

} // namespace actpip::net
