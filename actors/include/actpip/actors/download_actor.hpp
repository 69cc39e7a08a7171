#pragma once
// The download actor: a wheel file of the index -> the verified wheel in the cache. A wheel
// already stored under the index's sha256 is never fetched again; otherwise it streams
// through the host pool into a temporary file in the cache, and the cache actor hashes it
// against the index's hash and moves it into place (a mismatch deletes it and names the
// file, the expected and the actual hash). Identical concurrent downloads are joined. All
// disk work is the cache actor's. Who asks, and when: the session, the moment the resolver
// announces a tentative pin (protocol/resolution.hpp, `pinned`).

#include "actpip/actors/fetch_options.hpp"
#include "actpip/actors/protocol/download.hpp"

#include <caf/actor_system.hpp>

#include <memory>

namespace actpip::actors {

// `cache` null: every download fails (there is nowhere to put it).
download_actor spawn_download(caf::actor_system& sys,
                              std::shared_ptr<const fetch_service_options> options,
                              std::shared_ptr<fetch_pools> pools, cache_actor cache);

} // namespace actpip::actors
