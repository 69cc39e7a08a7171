#pragma once
// The resolver actor: runs resolver::solver between messages. When the solver's next step
// needs data it asks the provider (what it needs now at normal priority, what it will
// probably need as prefetch) and goes back to its mailbox; answers are handed to the solver,
// which resumes only when the answer it was blocked on has arrived. Nothing blocks a thread,
// and the outcome does not depend on the order in which answers arrive.
//
// Each version the solver chooses to try is a tentative pin: the resolver tells its observer
// (`pinned`, protocol/resolution.hpp) the moment it is chosen, once per version, and the
// observer (the session) starts that wheel's download. The outcome's
// pins carry what the answers said of them (yanked, metadata) and the answers' warnings.

#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/resolver/options.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <string>
#include <vector>

namespace actpip::actors {

// `observer` may be null (nobody to tell of tentative pins).
resolver_actor spawn_resolver(caf::actor_system& sys, std::vector<core::requirement> requirements,
                              resolver::resolve_options options, data_provider_actor provider,
                              std::string session = {}, caf::actor observer = {});

} // namespace actpip::actors
