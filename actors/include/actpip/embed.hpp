#pragma once
// For hosts that run their own CAF actor system: spawn an actpip job there and receive its
// progress and outcome as messages. (Hosts without CAF use actpip/api.hpp.)
//
//   auto job = actpip::embed::spawn_job(sys, options, listener);
//   // listener receives actpip::progress_event messages, then one actpip::job_outcome
//   caf::anon_send(job, actpip::embed::cancel_atom::value); // to stop it
//
// The job runs on a detached thread of `sys` for its blocking set-up (reading requirement
// files, probing the interpreter); its fetch, resolver and installer actors are ordinary
// actors of `sys`.

#include "actpip/api.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

namespace actpip {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, progress_event& x) {
    return f(caf::meta::type_name("actpip_progress_event"), x.what, x.subject, x.message, x.bytes,
             x.total, x.count, x.seconds, x.from_cache, x.elapsed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resolved_distribution& x) {
    return f(caf::meta::type_name("actpip_resolved_distribution"), x.name, x.version, x.url,
             x.filename, x.sha256, x.requested, x.direct, x.yanked, x.already_installed,
             x.requested_extras, x.requires_dist, x.requires_python, x.provides_extra,
             x.local_path);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_outcome& x) {
    return f(caf::meta::type_name("actpip_job_outcome"), x.exit_code, x.error, x.hints, x.warnings,
             x.resolution, x.installed, x.removed, x.environment, x.resolve_seconds,
             x.install_seconds, x.http_requests);
}

namespace embed {

using cancel_atom = caf::atom_constant<caf::atom("cancel")>;

// Starts one job on `sys`, which must outlive it (its actors run there until the outcome is
// sent). `listener` gets progress_event messages and then exactly one job_outcome (exit code
// 130 after cancel_atom); the job ends itself after the outcome. A job that dies without an
// outcome (a bug) ends with that reason: monitor the returned actor to notice it.
caf::actor spawn_job(caf::actor_system& sys, job_options options, caf::actor listener);

// Registers every message type of actpip (these, and the actors' own vocabulary) with a
// configuration, so that they can cross to another process; call it before creating the
// actor system.
void add_message_types(caf::actor_system_config& cfg);

} // namespace embed
} // namespace actpip
