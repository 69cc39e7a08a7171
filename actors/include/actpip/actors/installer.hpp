#pragma once
// The installer actor. Each plan runs in its own detached job actor (disk work never runs on
// the scheduler threads that carry the network actors): the job opens the environment,
// hands the wheels to a bounded set of detached unpack workers, stages each wheel into one
// storage::install_transaction as soon as its tree is ready, and commits only when every
// wheel has staged. Any failure rolls the transaction back and the reply is the error; the
// environment lock (storage/env_lock.hpp) makes concurrent plans on one environment wait
// for each other.

#include "actpip/actors/installer_protocol.hpp"

#include <caf/actor_system.hpp>

#include <cstddef>

namespace actpip::actors {

struct installer_config {
    std::size_t max_parallel_unpacks = 4; // detached unpack workers per plan
};

// A detached worker that unpacks one wheel at a time into the unpacked cache (the session
// unpacks each wheel as soon as it is downloaded, so the installer finds the trees ready).
unpack_worker_actor spawn_unpack_worker(caf::actor_system& sys, std::size_t index);

installer_actor spawn_installer(caf::actor_system& sys, installer_config config = {});

} // namespace actpip::actors
