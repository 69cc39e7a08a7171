#pragma once
// The session's work on files and descriptions, kept out of the actor: the user's --hash
// checks, copying downloads, the installer's items and the resolution as the API reports it.

#include "actpip/actors/download_book.hpp"
#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/protocol/install.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/api.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace actpip::actors {

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

// A job that failed: exit code and the error with its hints.
job_outcome failed_outcome(int exit_code, const core::error& e);
// A resolution without a solution: its explanation is the error (exit code 1).
job_outcome unresolvable_outcome(const resolution_outcome& r);

// What the resolution memo of a job is keyed by (storage/resolution_memo.hpp): the
// requirements, constraints, sources, target and the options that change a resolution.
std::string resolution_memo_input(const job_options& options, const job_sources& sources,
                                  const job_target& target);

// The installer's plan for the downloaded wheels, in the order given.
install_plan make_install_plan(const std::vector<session_wheel>& wheels, const job_options& options,
                               const job_sources& sources, const job_target& target);

// Whether name==version is installed in the target and kept (not --force-reinstall).
bool is_installed(const job_target& target, bool force_reinstall, const std::string& name,
                  const std::string& version);

// What every outcome carries besides its own result: the target's marker values and, once
// resolved, the resolution as the report describes it and the answers' warnings first
// (each yanked pin among them).
void add_job_facts(job_outcome& outcome, const job_target& target,
                   const resolution_outcome* resolution, const job_sources& sources,
                   const download_book& book, const std::string& download_dir);

// The resolution as pip's report describes it: each pin with its file (from `book`), the
// wheel's sha256 and local path once downloaded (for a download job: in `download_dir`).
std::vector<resolved_distribution> describe_resolution(const resolution_outcome& outcome,
                                                       const job_sources& sources,
                                                       const download_book& book,
                                                       const std::string& download_dir = {});

} // namespace actpip::actors
