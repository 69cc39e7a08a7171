#pragma once
// Everything that configures an HTTP client: pool sizes, timeouts, retries, TLS, proxies,
// credentials, and where events go.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actpip/net/event.hpp"
#include "actpip/net/netrc.hpp"
#include "actpip/net/proxy_settings.hpp"
#include "actpip/net/retry_policy.hpp"

namespace actpip::net {

struct tls_options {
    // PEM CA bundle that replaces the system store: --cert, else SSL_CERT_FILE, else
    // REQUESTS_CA_BUNDLE (see `from_environment`). Empty: the system store.
    std::optional<std::string> ca_bundle;
    // --client-cert: PEM with the certificate (and the key, unless `client_key` is set).
    std::optional<std::string> client_cert;
    std::optional<std::string> client_key;
    // --trusted-host: "host" or "host:port"; plain HTTP and unverified TLS allowed there.
    std::vector<std::string> trusted_hosts;
    // Resume TLS sessions when a host's pool opens another connection.
    bool session_resumption = true;
};

struct client_options {
    std::size_t connections_per_host = 8;
    std::chrono::milliseconds connect_timeout{15'000}; // resolve + TCP + proxy + TLS
    std::chrono::milliseconds read_timeout{30'000};    // longest silence while reading
    std::chrono::milliseconds idle_timeout{60'000};    // an idle kept-alive connection closes
    retry_options retry;
    tls_options tls;
    proxy_settings proxies;
    netrc credentials;
    std::string user_agent = "actpip/0.1";
    // Plain http:// only for loopback and trusted hosts (as pip); off: everywhere.
    bool require_secure_origin = true;
    // bytes_received events at most every this many bytes per request.
    std::uint64_t progress_step = 1 << 20;
    event_callback on_event;

    // Fills the CA bundle (unless `cert` is given, which wins) and proxies from the
    // environment; credentials from $NETRC or ~/.netrc when `read_netrc`.
    static core::result<client_options> from_environment(const env_lookup& env,
                                                         std::optional<std::string> cert = {},
                                                         bool read_netrc = true);
};

} // namespace actpip::net
