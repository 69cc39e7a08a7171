#pragma once
// The fetch side as the resolver's data provider: `versions_query` goes to the index actor,
// `metadata_query` to the metadata actor (with the file the index chose for that version),
// `file_query` is answered from the files it has seen (the session's question for a pin's
// file). `spawn_fetch_side` wires host pools, the cache actor (when options.cache_dir is set),
// index, metadata and download actors (crawl included) and the provider; `shutdown` stops
// them all.

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

data_provider_actor spawn_fetch_provider(caf::actor_system& sys, index_actor index,
                                         metadata_actor metadata);

struct fetch_side {
    std::shared_ptr<fetch_pools> pools;
    cache_actor cache; // null without a cache dir
    metadata_actor metadata;
    index_actor index;
    data_provider_actor provider;
    download_actor download;

    // Every actor of the side with the name errors give it ("the index actor"), for monitors.
    std::vector<std::pair<caf::actor, std::string>> members() const;
    void shutdown();
};

fetch_side spawn_fetch_side(caf::actor_system& sys, std::shared_ptr<net::client> client,
                            fetch_options options);

} // namespace actpip::actors
