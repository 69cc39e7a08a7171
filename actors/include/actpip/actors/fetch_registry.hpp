#pragma once
// The fetch side is spawned once per process: every job on one actor system whose HTTP
// client settings and cache root are the same shares one fetch service (its host pools,
// cache and in-flight requests). The service is shut down when the last job holding it lets
// go of it.

#include "actpip/actors/fetch_provider.hpp"
#include "actpip/core/error.hpp"
#include "actpip/net/client_options.hpp"
#include "actpip/net/proxy_settings.hpp"

#include <caf/actor_system.hpp>

#include <memory>
#include <string>

namespace actpip::actors {

// `key` names the configuration (client_settings_key and the cache root); `client` and
// `options` make a new service when none with that key is running.
core::result<std::shared_ptr<const fetch_service>>
acquire_fetch_service(caf::actor_system& sys, const std::string& key,
                      const net::client_options& client, fetch_service_options options);

// A digest of the client settings that change how a request is made (TLS, proxies,
// timeouts, retries, credentials' source): jobs with the same key can share a client.
std::string client_settings_key(const net::client_options& client, const net::env_lookup& env);

} // namespace actpip::actors
