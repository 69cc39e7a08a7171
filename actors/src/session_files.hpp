#pragma once
// The session's work on files and descriptions, kept out of the actor: the user's --hash
// checks, copying downloads, the installer's items and the resolution as the API reports it.

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/fetch_protocol.hpp"
#include "actpip/actors/installer_protocol.hpp"
#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/resolution_protocol.hpp"
#include "actpip/api.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace actpip::actors {

// A pinned file and the verified wheel in the cache.
struct session_wheel {
    wire_file file;
    artifact wheel;
};

std::string unpacked_dir_of(const job_sources& sources);

// --require-hashes and --hash: every wheel must match one of the hashes given for its
// project; an error names the file, the expected and the actual hash.
core::result<void> verify_user_hashes(const job_sources& sources,
                                      const std::vector<session_wheel>& wheels);

// `actpip download -d DIR`: each wheel copied to DIR under its own name (atomically).
core::result<void> copy_downloads(const std::vector<session_wheel>& wheels,
                                  const std::filesystem::path& directory);

// Whether `name` is a direct reference (`name @ URL` or a local wheel) among the roots.
bool is_direct(const job_sources& sources, const std::string& name);

install_item install_item_for(const session_wheel& w, const job_sources& sources);

// "name-version" (the installer's form) -> "name==version".
std::vector<std::string> dashed_to_pinned(const std::vector<std::string>& dashed);

std::vector<resolved_distribution>
describe_resolution(const resolution_outcome& outcome, const job_sources& sources,
                    const std::map<std::string, metadata_answer>& metadata,
                    const std::map<std::string, wire_file>& files,
                    const std::map<std::string, std::set<std::string>>& yanked);

// "name==version" with the name normalized and the version canonical: the session's key.
std::string pin_key(const std::string& name, const std::string& version);

} // namespace actpip::actors
