#pragma once
// What a client asks a server to resolve, and whether it may: a server resolves with its own
// indexes, so a job with direct references or local sources (file:// indexes, find-links
// directories) is resolved where those are. Pure: tested without actors.

#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/protocol/remote.hpp"
#include "actpip/api.hpp"

#include <string>

namespace actpip::actors {

// Empty when the job may be resolved by a server, else why not (for the log).
std::string why_not_remote(const job_sources& sources);

remote_resolve make_remote_resolve(const job_options& options, const job_sources& sources,
                                   const job_target& target, const fetch_target& fetch,
                                   const std::string& token, const std::string& client);

} // namespace actpip::actors
