// Publishing a gateway (plain TCP or mutual TLS) under a supervisor that publishes a new one
// on the same port if it dies, drains on shutdown, and logs TLS refusals.

#include "gateway_state.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "tls_refusals.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/send.hpp>

namespace actpip::actors {

using gateway_detail::format_line;

namespace {

caf::expected<std::uint16_t> publish(caf::actor_system& sys, const gateway_host_actor& g,
                                     std::uint16_t port, const std::string& host, bool tls) {
    auto published = caf::actor_cast<gateway_actor>(g);
    return tls ? caf::openssl::publish(published, port, host.c_str(), true)
               : sys.middleman().publish(published, port, host.c_str(), true);
}

struct supervisor_state {
    supervisor_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::shared_ptr<const fetch_service> service;
    gateway_options options;
    std::string host;
    std::uint16_t port = 0;
    bool tls = false;
    gateway_host_actor gateway;
    bool stopping = false;
    static inline const char* name = "gateway_supervisor";
};

using supervisor_ptr = caf::stateful_actor<supervisor_state>*;

void stop_gateway(supervisor_ptr self) {
    auto& st = self->state;
    if (!st.gateway)
        return;
    self->demonitor(st.gateway.address());
    self->system().middleman().unpublish(caf::actor_cast<gateway_actor>(st.gateway), st.port);
    self->send_exit(st.gateway, caf::exit_reason::user_shutdown);
    st.gateway = nullptr;
}

caf::behavior supervisor(supervisor_ptr self, gateway_host_actor first,
                         std::shared_ptr<const fetch_service> service, gateway_options options,
                         std::string host, std::uint16_t port, bool tls) {
    guard_exceptions(self, "the gateway's supervisor");
    auto& st = self->state;
    st.service = std::move(service);
    st.options = std::move(options);
    st.host = std::move(host);
    st.port = port;
    st.tls = tls;
    st.gateway = std::move(first);
    self->monitor(st.gateway);
    self->set_down_handler([self](caf::down_msg& dm) {
        auto& st = self->state;
        if (st.stopping || dm.source != st.gateway.address())
            return;
        if (st.options.log)
            st.options.log("gateway stopped (" + describe(dm.reason) +
                           "): a new one is published on the same port");
        self->system().middleman().unpublish(caf::actor_cast<gateway_actor>(st.gateway), st.port);
        st.gateway = spawn_gateway(self->system(), st.service, st.options);
        self->monitor(st.gateway);
        if (auto p = publish(self->system(), st.gateway, st.port, st.host, st.tls);
            !p && st.options.log)
            st.options.log("cannot publish the gateway again: " + describe(p.error()));
    });
    self->set_exit_handler([self](caf::exit_msg& m) {
        self->state.stopping = true;
        stop_gateway(self);
        self->quit(m.reason);
    });
    return {
        [self](drain_atom) {
            // A shutdown: no new client from now on, the transfers in progress may finish.
            auto& st = self->state;
            st.stopping = true;
            if (st.gateway)
                self->system().middleman().unpublish(caf::actor_cast<gateway_actor>(st.gateway),
                                                     st.port);
            auto rp = self->make_response_promise();
            if (!self->state.gateway) {
                rp.deliver(true);
                return rp;
            }
            self->request(self->state.gateway, caf::infinite, drain_atom::value)
                .then([rp](bool done) mutable { rp.deliver(done); },
                      [rp](caf::error&) mutable { rp.deliver(true); });
            return rp;
        },
    };
}

} // namespace

core::result<published_gateway> publish_gateway(caf::actor_system& sys,
                                                std::shared_ptr<const fetch_service> service,
                                                gateway_options options, std::string host,
                                                std::uint16_t port, bool tls) {
    // A peer refused by the TLS handshake never reaches the gateway: logged from there.
    if (tls && options.log)
        watch_tls_refusals([log = options.log, json = options.log_json](const std::string& peer,
                                                                        const std::string& why) {
            log(format_line(json, {{"client", peer},
                                   {"request", "connect"},
                                   {"result", "refused"},
                                   {"why", "TLS handshake failed: " + why}}));
        });
    auto first = spawn_gateway(sys, service, options);
    auto bound = publish(sys, first, port, host, tls);
    if (!bound) {
        caf::anon_send_exit(first, caf::exit_reason::user_shutdown);
        return core::fail(core::errc::network, "cannot listen on " + host + ":" +
                                                   std::to_string(port) + ": " +
                                                   sys.render(bound.error()));
    }
    auto sup = sys.spawn<caf::detached>(supervisor, first, std::move(service), std::move(options),
                                        std::move(host), *bound, tls);
    return published_gateway{sup, *bound};
}

} // namespace actpip::actors
