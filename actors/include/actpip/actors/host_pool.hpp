#pragma once
// The host-pool actor: the actor face of net::client for one origin. It turns request
// messages into client calls, joins identical in-flight requests, routes completions from
// the network thread back as messages, and sends events to its subscriber.

#include <caf/actor_system.hpp>

#include <memory>
#include <string>

#include "actpip/actors/http_protocol.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/net/client.hpp"

#include <caf/typed_response_promise.hpp>

namespace actpip::actors {

struct host_pool_state {
    std::shared_ptr<net::client> client; // shared by every host pool of the process
    std::string origin;                  // "https://host:443"
    caf::actor subscriber;
    in_flight_table<caf::typed_response_promise<http_result>> in_flight;
    static inline const char* name = "host_pool";
};

// `client` must outlive nothing in particular: the actor keeps it alive.
host_pool_actor spawn_host_pool(caf::actor_system& sys, std::shared_ptr<net::client> client,
                                std::string origin);

} // namespace actpip::actors
