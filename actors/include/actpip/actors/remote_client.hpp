#pragma once
// The client's end of the remote boundary: a connection to a server's gateway (checked with a
// hello, so a refusal is known at once), and a download actor that takes wheels from the
// server in chunks into the local cache (hash-checked there) and, at the first failure,
// tells the session once and goes on with the direct download actor for good.

#include "actpip/actors/protocol/cache.hpp"
#include "actpip/actors/protocol/download.hpp"
#include "actpip/actors/protocol/remote.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/core/error.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <string>

namespace actpip::actors {

struct remote_link {
    gateway_actor gateway;
    std::string token;
    std::string client; // this client's name in the server's log
    std::string where;  // "host:port", for messages
    remote_welcome server;
};

// Connects to "host:port" (over mutual TLS with `tls`: the actor system must have loaded
// caf::openssl with this client's certificate) and says hello. Blocking: for a detached
// actor. An error names the server and why (cannot connect, refused, another protocol).
core::result<remote_link> connect_remote(caf::actor_system& sys, const std::string& where,
                                         const std::string& token, bool tls);

// A local, event-based stand-in for `gateway` that asks it on behalf of this process's
// detached actors (the session, the remote download actor), which must never be senders on
// the wire themselves (gateway_relay.cpp says why). It ends with the gateway (same reason) or
// with `owner`, and passes the server's tentative pins (`remote_pinned`) on to `owner`.
gateway_actor relay_gateway(caf::actor_system& sys, gateway_actor gateway, caf::actor owner);

// The provider of a job that resolves itself while it has a server (direct references among
// its requirements): versions, metadata and files come from the server's fetch side (for
// `target`, with the server's sources); direct references from `direct`, and everything from
// `local` once the server failed (`reporter` gets (remote_failed, why) once) or when it
// refuses a question (busy).
data_provider_actor spawn_remote_provider(caf::actor_system& sys, remote_link link,
                                          fetch_target target, data_provider_actor local,
                                          data_provider_actor direct, caf::actor reporter);

// Downloads through `link`, into `cache`; `direct` takes over at the first failure (and
// `reporter` gets (remote_failed, why) once).
download_actor spawn_remote_download(caf::actor_system& sys, remote_link link, fetch_target target,
                                     cache_actor cache, download_actor direct, caf::actor reporter);

} // namespace actpip::actors
