#pragma once
// Proxies from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (either case), as curl and
// requests read them.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actpip/net/url.hpp"

namespace actpip::net {

// Reads one environment variable; tests pass their own.
using env_lookup = std::function<std::optional<std::string>(std::string_view name)>;
env_lookup process_environment();

class proxy_settings {
public:
    proxy_settings() = default;
    static proxy_settings from_environment(const env_lookup& env);

    std::optional<url> http_proxy;
    std::optional<url> https_proxy;
    // Entries of NO_PROXY: "*", a host, ".suffix"/"suffix" (matches subdomains), an IP,
    // optionally with ":port".
    std::vector<std::string> no_proxy;

    // The proxy to use for `target`, if any.
    std::optional<url> proxy_for(const url& target) const;
    bool bypass(const url& target) const;
};

} // namespace actpip::net
