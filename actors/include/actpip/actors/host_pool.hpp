#pragma once
// The host-pool actor: the actor face of net::client for one origin. It turns request
// messages into client calls, joins identical in-flight requests, routes completions from
// the network thread back as messages, sends events to its subscribers (per session), and
// drops the queued prefetches of a session that ended (protocol/http.hpp). A download that is
// still being written when the pool ends is removed, so a cancelled job leaves no partial
// file behind.

#include "actpip/actors/protocol/http.hpp"
#include "actpip/net/client.hpp"

#include <caf/actor_system.hpp>

#include <memory>
#include <string>

namespace actpip::actors {

// `client` is shared by every host pool of the process; the actor keeps it alive.
host_pool_actor spawn_host_pool(caf::actor_system& sys, std::shared_ptr<net::client> client,
                                std::string origin);

} // namespace actpip::actors
