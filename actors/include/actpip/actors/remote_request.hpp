#pragma once
// What a client asks a server to resolve, and whether it may. A server takes packages from
// its own sources: a client whose sources differ would get another result through it, and
// direct references are the client's to resolve. Pure: tested without actors.

#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/protocol/remote.hpp"
#include "actpip/api.hpp"

#include <string>
#include <vector>

namespace actpip::actors {

// Sources as a server announces them and a client compares them: credentials masked, no
// trailing slash (".../simple" and ".../simple/" are one index).
std::vector<std::string> masked_sources(const std::vector<std::string>& urls);

// Empty when a server with these sources serves the same packages as this job's (credentials
// aside), else how they differ.
std::string other_sources(const job_options& options, const job_sources& sources,
                          const remote_welcome& server);

// Empty when the job may be resolved by the server, else why not.
std::string why_not_remote(const job_sources& sources);

remote_resolve make_remote_resolve(const job_options& options, const job_sources& sources,
                                   const job_target& target, const fetch_target& fetch,
                                   const std::string& token, const std::string& client);

} // namespace actpip::actors
