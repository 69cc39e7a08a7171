#pragma once
// The unpack pool: wheels -> their trees in the unpacked cache, on a bounded set of detached
// workers (unpacking is blocking disk work). The session sends each wheel the moment it is
// downloaded and the installer asks for every wheel of its plan; an order for a tree already
// in flight joins it and an order for a tree already made is answered at once, so no wheel
// is unpacked twice and nobody needs to know who asked first.

#include "actpip/actors/protocol/install.hpp"

#include <caf/actor_system.hpp>

#include <cstddef>
#include <memory>

namespace actpip::actors {

// More workers contend in the kernel on small machines (measured: two is fastest on two
// cores). Each worker holds `keep_alive` (what the trees are written into) until it ends.
unpack_pool_actor spawn_unpack_pool(caf::actor_system& sys, std::size_t workers = 2,
                                    std::shared_ptr<const void> keep_alive = {});

} // namespace actpip::actors
