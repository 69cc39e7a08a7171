#pragma once
// The target the actor tests resolve and fetch for: CPython 3.11 on Linux x86_64 (glibc
// 2.36), and the fetch side as a session of that target sees it.

#include "actpip/actors/fetch_provider.hpp"
#include "actpip/core/tags.hpp"
#include "actpip/resolver/options.hpp"
#include "support/markers.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <memory>
#include <string>
#include <vector>

namespace actpip::test {

inline resolver::resolve_options linux_py311() {
    resolver::resolve_options o;
    o.environment = linux_py311_markers();
    o.python_version = *core::version::parse("3.11.7");
    return o;
}

// What a session on this target asks the fetch side with, for `index_urls` (no crawl unless
// asked).
inline actors::fetch_target fetch_target_for(std::vector<std::string> index_urls,
                                             bool crawl = false) {
    actors::fetch_target t;
    t.index_urls = std::move(index_urls);
    t.interpreter.implementation = "cp";
    t.interpreter.major = 3;
    t.interpreter.minor = 11;
    t.interpreter.os = core::os_kind::linux_family;
    t.interpreter.arch = "x86_64";
    t.interpreter.has_glibc = true;
    t.interpreter.glibc_major = 2;
    t.interpreter.glibc_minor = 36;
    t.python_version = "3.11.7";
    for (const auto& [k, v] : linux_py311_markers().values)
        t.markers.emplace(k, v);
    t.crawl = crawl;
    return t;
}

// The fetch side as one session sees it: the process's service and the session's provider.
struct session_fetch_side {
    actors::fetch_service service;
    actors::data_provider_actor provider;
    actors::fetch_target target;

    void shutdown() {
        if (provider)
            caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
        provider = nullptr;
        service.shutdown();
    }
};

inline session_fetch_side spawn_session_fetch_side(caf::actor_system& sys,
                                                   std::shared_ptr<net::client> client,
                                                   actors::fetch_target target,
                                                   actors::fetch_service_options options = {}) {
    session_fetch_side side;
    side.service = actors::spawn_fetch_service(sys, std::move(client), std::move(options));
    side.target = std::move(target);
    side.provider = actors::spawn_fetch_provider(sys, side.service, side.target);
    return side;
}

} // namespace actpip::test
