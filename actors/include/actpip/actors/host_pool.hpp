#pragma once
// The host-pool actor: the actor face of net::client for one origin. It turns request
// messages into client calls, joins identical in-flight requests, routes completions from
// the network thread back as messages, sends events to its subscribers (per session), and
// drops the queued prefetches of a session that ended (see host_pool_actor).

#include <caf/actor_system.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actpip/actors/http_protocol.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/net/client.hpp"

#include <caf/typed_response_promise.hpp>

namespace actpip::actors {

// What the pool knows of one request in flight (one key of `in_flight`).
struct host_pool_request {
    std::uint8_t priority = 0;         // as sent to the client
    std::vector<std::string> sessions; // every session that asked, in order, distinct
    std::vector<std::string> live;     // those not cancelled since
    bool critical_asker = false;       // somebody asked at critical priority: never cancelled
    net::cancel_flag cancel;
    std::optional<http_event> started; // replayed to sessions joining later
};

struct host_pool_state {
    std::shared_ptr<net::client> client; // shared by every host pool of the process
    std::string origin;                  // "https://host:443"
    std::vector<caf::actor> subscribers;
    in_flight_table<caf::typed_response_promise<http_result>> in_flight;
    std::map<std::string, host_pool_request> requests; // by request_key
    // Files being downloaded into (by request key); removed if the pool ends first, so a
    // cancelled job leaves no partial file behind.
    std::shared_ptr<std::map<std::string, std::string>> partial_files =
        std::make_shared<std::map<std::string, std::string>>();
    static inline const char* name = "host_pool";
};

// `client` must outlive nothing in particular: the actor keeps it alive.
host_pool_actor spawn_host_pool(caf::actor_system& sys, std::shared_ptr<net::client> client,
                                std::string origin);

} // namespace actpip::actors
