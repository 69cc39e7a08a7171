#pragma once
// A server's resolution starts the download of each tentatively pinned wheel, as a client's
// session does: when the client asks for the pins' wheels, they are in the server's cache or
// on their way (its request joins the download in flight), instead of being fetched from the
// upstream index only after the resolution.

#include "actpip/actors/protocol/download.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/core/version.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <map>
#include <string>

namespace actpip::actors {

// Takes `pinned` from a resolver: asks `provider` for the pin's file, tells `asker` of it
// (`remote_pinned`, when there is an asker) and asks `download` for the wheel, under
// `session`, once per pin; skips direct references and the versions the client has
// `installed` (by normalized name). Failures are left to the client's own request.
caf::actor spawn_pin_warmer(caf::actor_system& sys, data_provider_actor provider,
                            download_actor download, std::string session,
                            std::map<std::string, core::version> installed, caf::actor asker);

} // namespace actpip::actors
