#pragma once
// The installer actor. Each plan runs in its own detached job actor (disk work never runs on
// the scheduler threads that carry the network actors): the job opens the environment, asks
// the unpack pool for every wheel's tree, stages each wheel into one
// storage::install_transaction as soon as its tree is ready, and commits only when every
// wheel has staged. Any failure rolls the transaction back and the reply is the error; the
// environment lock (storage/env_lock.hpp) makes concurrent plans on one environment wait
// for each other.

#include "actpip/actors/protocol/install.hpp"

#include <caf/actor_system.hpp>

namespace actpip::actors {

// `unpacker` is the pool the session already fills as wheels land (so a tree in progress is
// joined, not unpacked twice); null: the installer spawns one of its own per plan.
installer_actor spawn_installer(caf::actor_system& sys, unpack_pool_actor unpacker = {});

} // namespace actpip::actors
