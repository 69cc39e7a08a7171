#pragma once
// The one bridge between what the actor system reports and our error values. Replies carry
// core::error (it keeps its message, context and hints across processes); a caf::error is
// what CAF itself says (a request timed out, its receiver is gone, an actor died and why),
// and every receiver turns it into a core::error here, naming what it had asked of whom. An
// exception escaping an actor's handler becomes its exit reason with the exception's message
// kept, so whoever monitors the actor can say what failed.

#include "actpip/core/error.hpp"

#include <caf/error.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/system_messages.hpp>

#include <exception>
#include <string>
#include <string_view>

namespace actpip::actors {

// What a caf::error says, for people: "did not answer in time", "is no longer running",
// "unexpected exception in index: bad_alloc", "shut down".
std::string describe(const caf::error& e);

// `what` names the request: "the index actor, asked for flask" -> "the index actor, asked
// for flask, failed: is no longer running" (errc::internal).
core::error from_caf(const caf::error& e, std::string_view what);

// A monitored actor ended; `who` names it ("the installer"). Normal and user_shutdown exits
// are not failures: use is_failure() first.
core::error from_down(const caf::down_msg& dm, std::string_view who);
bool is_failure(const caf::error& exit_reason);

// The exception in flight -> sec::runtime_error with "unexpected exception in <actor>:
// <what()>" as its context.
caf::error from_exception(const std::exception_ptr& e, std::string_view actor);

// Installs from_exception as `self`'s exception handler (each actor's safety net: our code
// does not throw, but a library it calls might).
void guard_exceptions(caf::scheduled_actor* self, std::string actor);

} // namespace actpip::actors
