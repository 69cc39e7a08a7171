#pragma once
// How a death is noticed. Whoever waits on an actor's answer monitors that actor (CAF 0.17
// drops the promises of an actor that dies, so its askers would wait for ever); actors that
// are spawned on demand, out of the waiter's sight (the host pools), are announced to it with
// `monitor` so that it can monitor them too. A monitored actor that ends with a failure
// fails the job with an error naming it (error_bridge.hpp).

#include <caf/actor.hpp>
#include <caf/atom.hpp>

#include <string>

namespace actpip::actors {

// (monitor, actor, who): "you depend on this actor; `who` names it in errors".
using monitor_atom = caf::atom_constant<caf::atom("monitor")>;

} // namespace actpip::actors
