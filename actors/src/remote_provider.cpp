// The provider of a job that resolves itself while it has a server (direct references among
// its requirements): index questions go to the server's fetch side, whose crawl runs ahead
// and whose cache is warm; direct references go to a local provider without the crawl, and
// everything to the local provider once the server failed (said once), or a question the
// server refused (busy).

#include "actpip/actors/remote_client.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/protocol/timeouts.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <deque>
#include <functional>

namespace actpip::actors {

namespace {

struct remote_provider_state {
    remote_provider_state() = default; // not an aggregate: CAF would build it from self
    remote_link link;
    fetch_target target;
    data_provider_actor local;  // once the server failed, or for what it refuses
    data_provider_actor direct; // direct references
    caf::actor reporter;
    bool dead = false;
    // Questions in flight to the server are kept within half its bound per client (the
    // wheels' transfers have the other half); the rest wait their turn, in order.
    std::size_t in_flight = 0;
    std::size_t window = 1;
    std::deque<std::function<void()>> waiting;
    static inline const char* name = "actpip_remote_provider";
};

using provider_ptr = data_provider_actor::stateful_pointer<remote_provider_state>;

void pump(provider_ptr self) {
    auto& st = self->state;
    while (!st.waiting.empty() && (st.dead || st.in_flight < st.window)) {
        auto step = std::move(st.waiting.front());
        st.waiting.pop_front();
        step();
    }
}

void fail_over(provider_ptr self, const std::string& why) {
    auto& st = self->state;
    if (st.dead)
        return;
    st.dead = true;
    if (st.reporter)
        caf::anon_send(st.reporter, remote_failed_atom::value,
                       "the server at " + st.link.where + " failed (" + why + ")");
}

template <class Answer, class Query>
void ask_locally(provider_ptr self, caf::typed_response_promise<reply<Answer>> rp, Query q) {
    const auto& to = q.url.empty() ? self->state.local : self->state.direct;
    self->request(to, caf::infinite, std::move(q))
        .then([rp](reply<Answer>& a) mutable { rp.deliver(std::move(a)); },
              [rp](caf::error& e) mutable {
                  rp.deliver(reply<Answer>(from_caf(e, "the fetch provider")));
              });
}

template <class Answer, class Wire, class Query>
caf::typed_response_promise<reply<Answer>> ask(provider_ptr self, Query q) {
    auto rp = self->template make_response_promise<reply<Answer>>();
    auto& st = self->state;
    if (st.dead || !q.url.empty()) {
        ask_locally<Answer>(self, rp, std::move(q));
        return rp;
    }
    st.waiting.push_back([self, rp, q]() mutable {
        auto& st = self->state;
        if (st.dead)
            return ask_locally<Answer>(self, rp, std::move(q));
        ++st.in_flight;
        self->request(st.link.gateway, remote_silence,
                      Wire{st.link.token, st.link.client, st.target, q})
            .then(
                [self, rp, q](reply<Answer>& a) mutable {
                    --self->state.in_flight;
                    // Refused (busy, or a question it does not take): asked here instead.
                    if (!a && (a.error().code == core::errc::busy ||
                               a.error().code == core::errc::unsupported))
                        ask_locally<Answer>(self, rp, std::move(q));
                    else
                        rp.deliver(std::move(a));
                    pump(self);
                },
                [self, rp, q](caf::error& e) mutable {
                    --self->state.in_flight;
                    fail_over(self, describe(e));
                    ask_locally<Answer>(self, rp, std::move(q));
                    pump(self);
                });
    });
    pump(self);
    return rp;
}

data_provider_actor::behavior_type remote_provider(provider_ptr self, remote_link link,
                                                   fetch_target target, data_provider_actor local,
                                                   data_provider_actor direct,
                                                   caf::actor reporter) {
    guard_exceptions(self, "the remote provider");
    auto& st = self->state;
    st.link = std::move(link);
    st.target = std::move(target);
    st.local = std::move(local);
    st.direct = std::move(direct);
    st.reporter = std::move(reporter);
    st.window = std::max<std::size_t>(1, st.link.server.max_in_flight / 2);
    // A lost connection answers nothing: what waits goes local.
    self->monitor(st.link.gateway);
    self->set_down_handler([self](caf::down_msg& dm) {
        if (dm.source != self->state.link.gateway.address())
            return;
        fail_over(self, "the connection was lost");
        pump(self);
    });
    return {
        [self](versions_query& q) {
            return ask<versions_answer, remote_versions>(self, std::move(q));
        },
        [self](metadata_query& q) {
            return ask<metadata_answer, remote_metadata>(self, std::move(q));
        },
        [self](file_query& q) { return ask<wire_file, remote_file>(self, std::move(q)); },
    };
}

} // namespace

data_provider_actor spawn_remote_provider(caf::actor_system& sys, remote_link link,
                                          fetch_target target, data_provider_actor local,
                                          data_provider_actor direct, caf::actor reporter) {
    return sys.spawn(remote_provider, std::move(link), std::move(target), std::move(local),
                     std::move(direct), std::move(reporter));
}

} // namespace actpip::actors
