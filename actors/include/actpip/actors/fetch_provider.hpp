#pragma once
// The fetch side: `spawn_fetch_service` wires host pools, the cache actor (when
// options.cache_dir is set), the index, metadata and download actors (crawl included), once
// per process; `spawn_fetch_provider` makes a session's data provider over it:
// `versions_query` goes to the index actor, `metadata_query` to the metadata actor (with the
// file the index chose for that version), `file_query` is answered from the files it has
// seen (the session's question for a pin's file), each with the session's target.

#include "actpip/actors/download_actor.hpp"
#include "actpip/actors/fetch_options.hpp"
#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/actors/protocol/resolution.hpp"

#include <caf/actor_system.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace actpip::actors {

// The file of a direct reference (`name @ URL`, a local wheel as file://): its version comes
// from the wheel's file name, a `#sha256=` fragment becomes its hash. An error when the
// URL is not a wheel or names another project.
core::result<wire_file> wire_file_for_url(const std::string& name, const std::string& url);

// The fetch actors of a process (one per HTTP client configuration and cache root): every
// session shares their pools, cache and in-flight requests, each request carrying its target.
struct fetch_service {
    std::shared_ptr<fetch_pools> pools;
    cache_actor cache; // null without a cache dir
    metadata_actor metadata;
    index_actor index;
    download_actor download;

    // Every actor of the service with the name errors give it ("the index actor"), for
    // monitors.
    std::vector<std::pair<caf::actor, std::string>> members() const;
    void shutdown();
};

fetch_service spawn_fetch_service(caf::actor_system& sys, std::shared_ptr<net::client> client,
                                  fetch_service_options options);

// The resolver's provider for one session: its questions go to `service` with `target`.
data_provider_actor spawn_fetch_provider(caf::actor_system& sys, const fetch_service& service,
                                         fetch_target target);

} // namespace actpip::actors
