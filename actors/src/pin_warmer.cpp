#include "pin_warmer.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/protocol/remote.hpp"
#include "actpip/core/name.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <set>

namespace actpip::actors {

namespace {

struct warmer_state {
    warmer_state() = default; // not an aggregate: CAF would build it from the self pointer
    data_provider_actor provider;
    download_actor download;
    std::string session;
    std::map<std::string, core::version> installed;
    caf::actor asker;
    std::set<std::string> seen; // "name==version"
    static inline const char* name = "actpip_pin_warmer";
};

using warmer_ptr = caf::stateful_actor<warmer_state>*;

bool is_installed(const warmer_state& st, const std::string& name, const std::string& version) {
    auto it = st.installed.find(name);
    if (it == st.installed.end())
        return false;
    auto v = core::version::parse(version);
    return v && *v == it->second;
}

void warm(warmer_ptr self, const pinned& p) {
    auto& st = self->state;
    auto name = core::normalize_name(p.name);
    if (!p.url.empty() || is_installed(st, name, p.version) ||
        !st.seen.insert(name + "==" + p.version).second)
        return;
    self->request(st.provider, std::chrono::minutes(10),
                  file_query{p.name, p.version, "", st.session})
        .then(
            [self](reply<wire_file>& f) {
                if (!f)
                    return;
                if (self->state.asker)
                    self->send(self->state.asker, remote_pinned{*f});
                // Nobody waits on this answer: the wheel lands in the cache for the client.
                self->request(self->state.download, caf::infinite,
                              download_request{std::move(*f), self->state.session,
                                               storage::cache_mode::normal})
                    .then([](reply<downloaded_wheel>&) {}, [](caf::error&) {});
            },
            [](caf::error&) {});
}

caf::behavior pin_warmer(warmer_ptr self, data_provider_actor provider, download_actor download,
                         std::string session, std::map<std::string, core::version> installed,
                         caf::actor asker) {
    guard_exceptions(self, "the pin warmer");
    auto& st = self->state;
    st.provider = std::move(provider);
    st.download = std::move(download);
    st.session = std::move(session);
    st.installed = std::move(installed);
    st.asker = std::move(asker);
    return {[self](pinned& p) { warm(self, p); }};
}

} // namespace

caf::actor spawn_pin_warmer(caf::actor_system& sys, data_provider_actor provider,
                            download_actor download, std::string session,
                            std::map<std::string, core::version> installed, caf::actor asker) {
    return sys.spawn(pin_warmer, std::move(provider), std::move(download), std::move(session),
                     std::move(installed), std::move(asker));
}

} // namespace actpip::actors
