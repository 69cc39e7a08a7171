#include "actpip/actors/fetch_registry.hpp"

#include "actpip/core/hash.hpp"
#include "actpip/net/client.hpp"

#include <map>
#include <mutex>
#include <utility>

namespace actpip::actors {

namespace {

struct registry {
    std::mutex mutex;
    std::map<std::pair<const caf::actor_system*, std::string>, std::weak_ptr<const fetch_service>>
        services;
};

// Process-wide on purpose: it is what makes the fetch side one per process. It holds only
// weak references, so it never keeps a service (or an actor system) alive.
registry& the_registry() {
    static registry r;
    return r;
}

void add(std::string& text, std::string_view field) {
    text += field;
    text += '\x1f';
}

} // namespace

core::result<std::shared_ptr<const fetch_service>>
acquire_fetch_service(caf::actor_system& sys, const std::string& key,
                      const net::client_options& client, fetch_service_options options) {
    auto& r = the_registry();
    std::lock_guard lock(r.mutex);
    std::erase_if(r.services, [](const auto& entry) { return entry.second.expired(); });
    auto id = std::make_pair(static_cast<const caf::actor_system*>(&sys), key);
    if (auto it = r.services.find(id); it != r.services.end())
        if (auto running = it->second.lock())
            return running;
    auto made = net::client::create(client);
    if (!made)
        return std::unexpected(std::move(made.error()));
    auto service = std::shared_ptr<fetch_service>(
        new fetch_service(spawn_fetch_service(sys, std::shared_ptr<net::client>(std::move(*made)),
                                              std::move(options))),
        [](fetch_service* s) {
            s->shutdown();
            delete s;
        });
    r.services[id] = service;
    return std::shared_ptr<const fetch_service>(std::move(service));
}

std::string client_settings_key(const net::client_options& c, const net::env_lookup& env) {
    std::string text;
    add(text, std::to_string(c.connections_per_host));
    add(text, std::to_string(c.connect_timeout.count()));
    add(text, std::to_string(c.read_timeout.count()));
    add(text, std::to_string(c.idle_timeout.count()));
    add(text, std::to_string(c.retry.max_attempts) + "/" +
                  std::to_string(c.retry.base_delay.count()) + "/" +
                  std::to_string(c.retry.max_delay.count()) + "/" +
                  std::to_string(c.retry.max_retry_after.count()));
    add(text, c.tls.ca_bundle.value_or("-"));
    add(text, c.tls.client_cert.value_or("-"));
    add(text, c.tls.client_key.value_or("-"));
    for (const auto& h : c.tls.trusted_hosts)
        add(text, h);
    add(text, c.tls.session_resumption ? "resume" : "fresh");
    add(text, c.proxies.http_proxy ? c.proxies.http_proxy->to_string() : "-");
    add(text, c.proxies.https_proxy ? c.proxies.https_proxy->to_string() : "-");
    for (const auto& n : c.proxies.no_proxy)
        add(text, n);
    add(text, c.user_agent);
    add(text, c.require_secure_origin ? "secure" : "any");
    // Where the credentials came from (their contents stay where they are).
    for (const char* var : {"NETRC", "HOME"})
        add(text, env(var).value_or("-"));
    auto digest = core::hash_bytes(core::hash_algorithm::sha256, text);
    return digest ? digest->hex : std::string("unhashed");
}

} // namespace actpip::actors
