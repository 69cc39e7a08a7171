// The server's gateway as this process's detached actors see it: an event-based relay that
// asks the gateway for them and hands the answers back. CAF 0.17's BASP broker holds every
// local actor that has been a sender on the wire, and it can still hold one's down message
// when the middleman stops at shutdown; a detached actor held that way keeps its thread, and
// the actor system's destructor waits for ever (an install through a server that printed its
// outcome and never exited). Behind the relay only an event-based actor is ever held.

#include "actpip/actors/remote_client.hpp"

#include "actpip/actors/error_bridge.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>

namespace actpip::actors {

namespace {

struct relay_state {
    relay_state() = default; // not an aggregate: CAF would build it from the self pointer
    gateway_actor gateway;
    caf::actor owner;
    static inline const char* name = "actpip_gateway_relay";
};

// It also passes the server's tentative pins (`remote_pinned`) on to its owner.
using relay_actor = gateway_actor::extend<caf::reacts_to<remote_pinned>>;
using relay_ptr = relay_actor::stateful_pointer<relay_state>;

// A pin is only a hint (the resolution's answer decides, and hashes are checked), but what a
// server sends unasked is bounded all the same.
bool plausible(const wire_file& f) {
    auto small = [](const std::string& s) { return s.size() <= 4096; };
    return small(f.name) && small(f.version) && small(f.filename) && small(f.url) &&
           small(f.requires_python) && small(f.yank_reason) && small(f.source) &&
           f.hashes.size() <= 16 && f.metadata_hashes.size() <= 16 &&
           std::all_of(f.hashes.begin(), f.hashes.end(), small) &&
           std::all_of(f.metadata_hashes.begin(), f.metadata_hashes.end(), small);
}

// No timeout here: the askers keep theirs, and a lost connection ends the relay (below).
template <class Reply, class Request>
caf::typed_response_promise<Reply> relay(relay_ptr self, Request&& request) {
    auto rp = self->template make_response_promise<Reply>();
    self->request(self->state.gateway, caf::infinite, std::forward<Request>(request))
        .then([rp](Reply& r) mutable { rp.deliver(std::move(r)); },
              [rp](caf::error& e) mutable { rp.deliver(std::move(e)); });
    return rp;
}

relay_actor::behavior_type gateway_relay(relay_ptr self, gateway_actor gateway, caf::actor owner) {
    guard_exceptions(self, "the gateway relay");
    self->state.gateway = std::move(gateway);
    self->state.owner = std::move(owner);
    // The gateway's end (a lost connection) is the relay's, with its reason, for those that
    // monitor it; the owner's end (the job's) is the end of the relay's use.
    self->monitor(self->state.gateway);
    self->monitor(self->state.owner);
    self->set_down_handler([self](caf::down_msg& dm) {
        if (dm.source == self->state.gateway.address())
            self->quit(dm.reason);
        else if (dm.source == self->state.owner.address())
            self->quit();
    });
    return {
        [self](remote_hello& m) { return relay<reply<remote_welcome>>(self, std::move(m)); },
        [self](remote_resolve& m) { return relay<reply<remote_resolution>>(self, std::move(m)); },
        [self](remote_versions& m) { return relay<reply<versions_answer>>(self, std::move(m)); },
        [self](remote_metadata& m) { return relay<reply<metadata_answer>>(self, std::move(m)); },
        [self](remote_file& m) { return relay<reply<wire_file>>(self, std::move(m)); },
        [self](remote_wheel_request& m) {
            return relay<reply<remote_transfer>>(self, std::move(m));
        },
        [self](remote_chunk_request& m) { return relay<reply<remote_chunk>>(self, std::move(m)); },
        [self](remote_pinned& p) {
            if (self->state.owner && plausible(p.file))
                caf::anon_send(self->state.owner, std::move(p));
        },
    };
}

} // namespace

gateway_actor relay_gateway(caf::actor_system& sys, gateway_actor gateway, caf::actor owner) {
    return caf::actor_cast<gateway_actor>(
        sys.spawn(gateway_relay, std::move(gateway), std::move(owner)));
}

} // namespace actpip::actors
