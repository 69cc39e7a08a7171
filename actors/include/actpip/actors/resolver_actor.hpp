#pragma once
// The resolver actor: runs resolver::solver between messages. When the solver's next step
// needs data it asks the provider (what it needs now at normal priority, what it will
// probably need as prefetch) and goes back to its mailbox; answers are handed to the solver,
// which resumes only when the answer it was blocked on has arrived. Nothing blocks a thread,
// and the outcome does not depend on the order in which answers arrive.

#include "actpip/actors/resolution_protocol.hpp"
#include "actpip/resolver/options.hpp"

#include <caf/actor_system.hpp>

#include <string>
#include <vector>

namespace actpip::actors {

resolver_actor spawn_resolver(caf::actor_system& sys, std::vector<core::requirement> requirements,
                              resolver::resolve_options options, data_provider_actor provider,
                              std::string session = {});

} // namespace actpip::actors
