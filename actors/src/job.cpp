// spawn_job (embed.hpp): one job from its options. This detached actor does the blocking
// set-up (requirement files, the interpreter probe, while connections to the indexes open),
// spawns the fetch side, the unpack pool and the installer, then the session; it relays the
// session's progress and outcome to the listener and stops everything the job spawned once
// the outcome is out (or the job died: its listener then learns why from its monitor).

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/fetch_provider.hpp"
#include "actpip/actors/fetch_registry.hpp"
#include "actpip/actors/installer.hpp"
#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/remote_client.hpp"
#include "actpip/actors/remote_request.hpp"
#include "actpip/actors/session.hpp"
#include "actpip/actors/session_files.hpp"
#include "actpip/actors/unpack_pool.hpp"
#include "actpip/embed.hpp"
#include "actpip/net/client.hpp"
#include "actpip/net/client_options.hpp"
#include "actpip/net/url.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include <unistd.h>

#include <atomic>
#include <memory>

namespace actpip::embed {

namespace {

using namespace actpip::actors;

struct job_state {
    job_state() = default; // not an aggregate: CAF would build it from the self pointer
    caf::actor listener;
    caf::actor session;
    bool outcome_sent = false;
    static inline const char* name = "actpip_job";
};

using self_ptr = caf::stateful_actor<job_state>*;

void deliver(self_ptr self, job_outcome o) {
    auto& st = self->state;
    if (st.outcome_sent)
        return;
    st.outcome_sent = true;
    if (st.listener)
        self->send(st.listener, std::move(o));
    self->quit();
}

std::string next_job_id() {
    static std::atomic<unsigned> counter{0};
    return "job-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// What the job spawned or holds, let go of together when it ends however it ends: the
// fetch service is the process's (it ends with its last job), the rest is the job's own.
struct job_actors {
    std::shared_ptr<const fetch_service> service;
    data_provider_actor provider;
    download_actor remote_download;      // through a server, when there is one
    data_provider_actor remote_provider; // the server's fetch side, for resolving here
    data_provider_actor direct_provider; // the direct references of such a resolution
    unpack_pool_actor unpacker;
    installer_actor installer;
    caf::actor session;
    std::string session_id;

    void stop() {
        for (const caf::actor& a :
             {caf::actor_cast<caf::actor>(provider), caf::actor_cast<caf::actor>(installer),
              caf::actor_cast<caf::actor>(unpacker), caf::actor_cast<caf::actor>(remote_download),
              caf::actor_cast<caf::actor>(remote_provider),
              caf::actor_cast<caf::actor>(direct_provider)})
            if (a)
                caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
        provider = nullptr;
        remote_download = nullptr;
        remote_provider = nullptr;
        direct_provider = nullptr;
        installer = nullptr;
        unpacker = nullptr;
        if (service && session)
            service->pools->end_session(session, session_id);
        session = nullptr;
        service.reset();
    }
};

caf::behavior job_fn(self_ptr self, job_options options, caf::actor listener) {
    guard_exceptions(self, "the job");
    self->state.listener = std::move(listener);
    auto stop_now = [self](job_outcome o) {
        deliver(self, std::move(o));
        return caf::behavior{[](caf::unit_t) {}};
    };

    auto sources = prepare_sources(options, net::process_environment());
    if (!sources)
        return stop_now(failed_outcome(sources.error().usage ? 2 : 1, sources.error().error));
    if (auto r = check_hash_requirements(*sources); !r)
        return stop_now(failed_outcome(1, r.error()));

    // The process's fetch service (shared with every other job like this one), and rule 3:
    // connections to the indexes open while the interpreter is probed.
    auto& sys = self->system();
    auto service = acquire_fetch_service(sys, fetch_service_key(*sources), sources->client,
                                         make_fetch_service_options(*sources));
    if (!service)
        return stop_now(failed_outcome(1, service.error()));
    auto spawned = std::make_shared<job_actors>();
    spawned->service = std::move(*service);
    self->attach_functor([spawned](const caf::error&) { spawned->stop(); });
    if (!options.offline) {
        const bool wait_for_need = root_pages_fresh(*sources, options);
        for (const auto& u : sources->index_urls)
            if (auto parsed = net::url::parse(u))
                spawned->service->pools->client()->preconnect(*parsed, 16, wait_for_need);
    }

    auto target = prepare_target(options, *sources);
    if (!target)
        return stop_now(failed_outcome(target.error().usage ? 2 : 1, target.error().error));

    // Everything installed already: no resolution, no index (as pip).
    if (auto done = already_satisfied(options, *sources, *target))
        return stop_now(std::move(*done));

    auto fetch_target = make_fetch_target(options, *sources, *target);
    spawned->provider = spawn_fetch_provider(sys, *spawned->service, fetch_target);
    if (options.kind == job_kind::install) {
        spawned->unpacker = spawn_unpack_pool(sys, 2, sources->scratch);
        spawned->installer = spawn_installer(sys, spawned->unpacker);
    }

    session_config cfg;
    cfg.id = next_job_id();
    cfg.provider = spawned->provider;
    cfg.download = spawned->service->download;
    if (!options.remote.empty()) {
        // Through a server: a failure here is said once and the job goes on directly.
        bool tls = !options.remote_tls_cert.empty() || !options.remote_tls_key.empty() ||
                   !options.remote_tls_ca.empty();
        auto link = connect_remote(sys, options.remote, options.remote_token, tls);
        if (link) {
            if (auto differs = other_sources(options, *sources, link->server); !differs.empty())
                link = core::fail(core::errc::unsupported,
                                  "the server at " + options.remote +
                                      " takes packages from elsewhere: " + differs);
        }
        if (!link && options.remote_only)
            return stop_now(failed_outcome(1, link.error()));
        if (!link) {
            cfg.warnings.push_back(link.error().describe() + ": going on directly");
        } else {
            link->gateway = relay_gateway(sys, link->gateway, caf::actor_cast<caf::actor>(self));
            spawned->remote_download = spawn_remote_download(
                sys, *link, fetch_target, spawned->service->cache, spawned->service->download,
                caf::actor_cast<caf::actor>(self));
            cfg.download = spawned->remote_download;
            // Direct references are resolved here, without the crawl (its prefetches of their
            // dependencies would go around the server).
            auto quiet = fetch_target;
            quiet.crawl = false;
            spawned->direct_provider = spawn_fetch_provider(sys, *spawned->service, quiet);
            spawned->remote_provider =
                spawn_remote_provider(sys, *link, fetch_target, spawned->provider,
                                      spawned->direct_provider, caf::actor_cast<caf::actor>(self));
            cfg.remote_provider = spawned->remote_provider;
            cfg.remote = std::move(*link);
            cfg.remote_only = options.remote_only;
            cfg.target_for_server = fetch_target;
        }
    }
    cfg.unpacker = spawned->unpacker;
    cfg.installer = spawned->installer;
    cfg.dependencies = spawned->service->members();
    cfg.listener = caf::actor_cast<caf::actor>(self);
    cfg.options = std::move(options);
    cfg.sources = std::move(*sources);
    cfg.target = std::move(*target);
    bool reporting = static_cast<bool>(self->state.listener);
    auto id = cfg.id;
    auto session = spawn_session(sys, std::move(cfg));
    self->state.session = session;
    spawned->session = session;
    spawned->session_id = std::move(id);
    if (reporting) // download bytes and retries, for progress
        spawned->service->pools->subscribe_all(session);
    spawned->service->pools->watch_all(session);
    self->monitor(session);
    self->set_down_handler([self](caf::down_msg& dm) {
        if (dm.source == self->state.session.address())
            deliver(self,
                    failed_outcome(1, is_failure(dm.reason)
                                          ? from_down(dm, "the session")
                                          : core::error{core::errc::internal,
                                                        "the session ended without an outcome"}));
    });

    return {
        [self](progress_event& e) {
            if (self->state.listener)
                self->send(self->state.listener, std::move(e));
        },
        [self](job_outcome& o) { deliver(self, std::move(o)); },
        [self](remote_pinned& p) { // from the relay: the server's resolution goes on
            if (self->state.session)
                self->send(self->state.session, std::move(p));
        },
        [self](remote_failed_atom, std::string& why) {
            if (self->state.session)
                self->send(self->state.session, remote_failed_atom::value, std::move(why));
        },
        [self](cancel_atom) {
            if (self->state.session)
                self->send(self->state.session, cancel_atom::value);
        },
    };
}

} // namespace

caf::actor spawn_job(caf::actor_system& sys, job_options options, caf::actor listener) {
    return sys.spawn<caf::detached>(job_fn, std::move(options), std::move(listener));
}

} // namespace actpip::embed
