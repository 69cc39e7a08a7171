#pragma once
// The session: one job once its inputs are prepared (job_setup.hpp). It spawns the resolver
// over the fetch side it is given and starts each wheel's download the moment the resolver
// announces a tentative pin (`pinned`); each landed wheel goes to the unpack pool at once;
// when the resolution is final and its wheels are there (download_book.hpp decides), the plan
// goes to the installer. It sends progress_event messages and exactly one job_outcome to its
// listener, then ends. `cancel_atom` stops it (exit code 130) unless the installer is already
// committing, which it waits for. Every actor it depends on is monitored: one that dies fails
// the job with an error naming it.

#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/protocol/download.hpp"
#include "actpip/actors/protocol/install.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/actors/remote_client.hpp"
#include "actpip/api.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace actpip::actors {

struct session_config {
    job_options options;
    job_sources sources;
    job_target target;
    std::string id; // names the session in requests, so host pools can cancel its prefetches

    data_provider_actor provider; // versions, metadata and pins' files
    download_actor download;
    unpack_pool_actor unpacker; // null: wheels are unpacked by the installer only
    installer_actor installer;  // null for dry runs and download jobs
    // Other actors the job depends on (the fetch side's), with the names errors give them.
    std::vector<std::pair<caf::actor, std::string>> dependencies;
    caf::actor listener;

    // Through a server: it resolves (one round trip, with its warm metadata) when the job
    // can be resolved there (remote_request.hpp); a failure is said once and the job goes on
    // here, or fails with `remote_only`.
    std::optional<remote_link> remote;
    // The server's fetch side as a provider: what a job that resolves here asks while the
    // server is fine (direct references among its requirements keep the resolution here).
    data_provider_actor remote_provider;
    bool remote_only = false;
    fetch_target target_for_server;    // what the server is told of this target
    std::vector<std::string> warnings; // from the set-up, reported by the session
};

// A detached actor (its few blocking steps: hashing for --hash, copying for `download -d`).
caf::actor spawn_session(caf::actor_system& sys, session_config config);

} // namespace actpip::actors
