#pragma once
// The download actor: a wheel file of the index -> the verified wheel in the cache. A wheel
// already stored under the index's sha256 is never fetched again; otherwise it streams
// through the host pool into a temporary file in the cache, and the cache actor hashes it
// against the index's hash and moves it into place (a mismatch deletes it and names the
// file, the expected and the actual hash). Identical concurrent downloads are joined. All
// disk work is the cache actor's.

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/fetch_options.hpp"
#include "actpip/actors/fetch_protocol.hpp"

#include <caf/actor_system.hpp>

#include <memory>

namespace actpip::actors {

struct download_request {
    wire_file file; // url, filename and hashes are what count
    std::string session;
};

struct download_result {
    bool ok = false;
    artifact wheel;
    std::uint32_t requests = 0; // HTTP requests this answer cost (0: from the cache)
    core::error error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, download_request& x) {
    return f(caf::meta::type_name("download_request"), x.file, x.session);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, download_result& x) {
    return f(caf::meta::type_name("download_result"), x.ok, x.wheel, x.requests, x.error);
}

using download_actor = caf::typed_actor<caf::replies_to<download_request>::with<download_result>>;

// `cache` null: every download fails (there is nowhere to put it).
download_actor spawn_download(caf::actor_system& sys, std::shared_ptr<const fetch_options> options,
                              std::shared_ptr<fetch_pools> pools, cache_actor cache);

} // namespace actpip::actors
