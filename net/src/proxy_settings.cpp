#include "actpip/net/proxy_settings.hpp"

#include <cstdlib>

namespace actpip::net {

env_lookup process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        if (const char* v = std::getenv(std::string(name).c_str()); v && *v)
            return std::string(v);
        return std::nullopt;
    };
}

namespace {

std::optional<std::string> either_case(const env_lookup& env, std::string_view upper) {
    std::string lower(upper);
    for (auto& c : lower)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (auto v = env(lower))
        return v;
    return env(upper);
}

std::optional<url> proxy_url(const std::optional<std::string>& text) {
    if (!text)
        return std::nullopt;
    std::string s = *text;
    if (s.find("://") == std::string::npos)
        s = "http://" + s;
    auto u = url::parse(s);
    if (!u || u->host().empty())
        return std::nullopt;
    return *u;
}

} // namespace

proxy_settings proxy_settings::from_environment(const env_lookup& env) {
    proxy_settings p;
    auto all = either_case(env, "ALL_PROXY");
    auto http = either_case(env, "HTTP_PROXY");
    auto https = either_case(env, "HTTPS_PROXY");
    p.http_proxy = proxy_url(http ? http : all);
    p.https_proxy = proxy_url(https ? https : all);
    if (auto no = either_case(env, "NO_PROXY")) {
        std::string_view rest = *no;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            auto item = rest.substr(0, comma);
            while (!item.empty() && item.front() == ' ')
                item.remove_prefix(1);
            while (!item.empty() && item.back() == ' ')
                item.remove_suffix(1);
            if (!item.empty()) {
                std::string e(item);
                for (auto& c : e)
                    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
                p.no_proxy.push_back(std::move(e));
            }
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    }
    return p;
}

bool proxy_settings::bypass(const url& target) const {
    const std::string& host = target.host();
    for (std::string entry : no_proxy) {
        if (entry == "*")
            return true;
        std::optional<std::uint16_t> port;
        if (entry.front() == '[') { // [::1]:8080
            auto close = entry.find(']');
            if (close != std::string::npos && close + 1 < entry.size() && entry[close + 1] == ':')
                port = static_cast<std::uint16_t>(std::atoi(entry.c_str() + close + 2));
            entry = entry.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        } else if (auto colon = entry.rfind(':');
                   colon != std::string::npos && entry.find(':') == colon) {
            port = static_cast<std::uint16_t>(std::atoi(entry.c_str() + colon + 1));
            entry.resize(colon);
        }
        if (port && *port != target.effective_port())
            continue;
        if (entry.starts_with("*."))
            entry.erase(0, 1);
        if (entry.starts_with('.')) {
            if (host.ends_with(entry) || host == entry.substr(1))
                return true;
            continue;
        }
        if (host == entry || (host.size() > entry.size() && host.ends_with(entry) &&
                              host[host.size() - entry.size() - 1] == '.'))
            return true;
    }
    return false;
}

std::optional<url> proxy_settings::proxy_for(const url& target) const {
    const auto& proxy = target.scheme() == "https"  ? https_proxy
                        : target.scheme() == "http" ? http_proxy
                                                    : std::optional<url>{};
    if (!proxy || bypass(target))
        return std::nullopt;
    return proxy;
}

} // namespace actpip::net
