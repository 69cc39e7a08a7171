#pragma once
// The gateway: the one actor `actpip serve` publishes. It checks every request (the token,
// the protocol version, the client's bound on requests in flight, sizes, names), answers
// with the process's fetch service and the server's own indexes (a client's target only
// says which files fit its interpreter), resolves with a resolver of its own per request,
// and serves wheels from its cache in chunks the client pulls. One log line per request.
// Nothing a client sends names a path or a URL on the server.

#include "actpip/actors/fetch_provider.hpp"
#include "actpip/actors/protocol/remote.hpp"
#include "actpip/core/index_merge.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace actpip::actors {

struct gateway_options {
    std::vector<std::string> index_urls; // the server's sources, whatever a client says
    std::vector<std::string> find_links;
    core::index_strategy strategy = core::index_strategy::first_index;
    std::string token;                       // empty: no token is asked for
    std::filesystem::path cache_dir;         // the fetch service's cache
    std::uint64_t max_cache_bytes = 0;       // 0: no budget
    std::uint32_t max_in_flight = 64;        // requests in flight per client
    std::chrono::seconds transfer_idle{120}; // a transfer not pulled for this long is dropped
    bool log_json = false;
    std::function<void(const std::string&)> log; // one line per request served or refused
};

// "Tell me when no transfer is running" (for a shutdown that lets transfers finish); local
// only: the gateway ends only on a local exit message.
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using gateway_host_actor = gateway_actor::extend<caf::replies_to<drain_atom>::with<bool>>;

gateway_host_actor spawn_gateway(caf::actor_system& sys,
                                 std::shared_ptr<const fetch_service> service,
                                 gateway_options options);

// The gateway published on host:port (plain TCP, or mutual TLS when `tls`: the system must
// have loaded caf::openssl with the server's certificate) under a supervisor that is not
// published: any peer that reaches a CAF port can kill the actor published there, so a
// gateway that dies is replaced and published again on the same port, and the server stays
// up. drain_atom (a shutdown) stops accepting clients and answers once the transfers in
// progress are done; a (local) exit message stops everything.
struct published_gateway {
    caf::actor supervisor;
    std::uint16_t port = 0;
};
core::result<published_gateway> publish_gateway(caf::actor_system& sys,
                                                std::shared_ptr<const fetch_service> service,
                                                gateway_options options, std::string host,
                                                std::uint16_t port, bool tls);

// A token compared in constant time (a wrong one takes as long whatever it shares).
bool same_token(const std::string& expected, const std::string& given);

// A wheel file name a client may ask for: a valid wheel name, nothing that could be a path.
bool is_plain_wheel_filename(const std::string& filename);

} // namespace actpip::actors
