// Resolving through a server: one round trip, the server's warm metadata; a failure is said
// once and the job goes on here (or fails, with --remote-only).

#include "session_state.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/remote_request.hpp"
#include "actpip/actors/resolution_wire.hpp"
#include "actpip/actors/session_files.hpp"

namespace actpip::actors::session_detail {

// The server failed (said once): with --remote-only the job fails, else it goes on here.
// Returns whether it may go on.
bool server_failed(self_ptr self, const std::string& why) {
    auto& st = self->state;
    if (st.finished || !st.cfg.remote)
        return false;
    if (!st.remote_failed) {
        st.remote_failed = true;
        auto text = "the server at " + st.cfg.remote->where + " failed (" + why + ")";
        if (st.cfg.remote_only) {
            finish(self, failed_outcome(1, core::error{core::errc::network, text}.add_hint(
                                               "drop --remote-only to fetch directly then")));
            return false;
        }
        st.warnings.push_back(text + ": going on directly");
    }
    return !st.cfg.remote_only;
}

// The server failed while it was resolving: resolve here (once).
void resolve_here_instead(self_ptr self, const std::string& why) {
    auto& st = self->state;
    if (!st.resolving_remotely)
        return;
    st.resolving_remotely = false;
    if (server_failed(self, why))
        resolve_here(self);
}

// A tentative pin of the server's resolution, with its file: its download starts now, as a
// local resolution's tentative pins do (the answer's final pins join it or leave it).
void on_remote_pinned(self_ptr self, const wire_file& f) {
    auto& st = self->state;
    if (st.resolving_remotely && !st.finished && take_tentative_pin(self, f.name, f.version))
        start_download(self, f);
}

// One round trip: the server resolves with its warm metadata and names every pin's file.
void resolve_remotely(self_ptr self) {
    auto& st = self->state;
    const auto& link = *st.cfg.remote;
    auto request = make_remote_resolve(st.cfg.options, st.cfg.sources, st.cfg.target,
                                       st.cfg.target_for_server, link.token, link.client);
    auto fallback = [self](const std::string& why) { resolve_here_instead(self, why); };
    st.resolving_remotely = true;
    // A resolution takes the server seconds at most: longer is a stall, resolved here.
    self->request(link.gateway, std::chrono::seconds(60), std::move(request))
        .then(
            [self, fallback](reply<remote_resolution>& r) {
                if (!self->state.resolving_remotely)
                    return; // given up on already
                if (!r)
                    return fallback(r.error().describe());
                self->state.resolving_remotely = false;
                for (auto& f : r->files)
                    self->state.remote_files.emplace(pin_key(f.name, f.version), std::move(f));
                on_resolution(self, r->outcome);
            },
            [fallback](caf::error& e) { fallback(describe(e)); });
}

} // namespace actpip::actors::session_detail
