#pragma once
// All-or-nothing changes to an environment. Every wheel of a plan is first staged (its files
// placed under a hidden `.actpip-tx-<id>` directory in each scheme directory, mirroring the
// destination tree, RECORD and launchers written, sources byte-compiled when asked); commit()
// then moves the previous versions' files aside and renames the staged ones into place: a
// staged directory whose destination does not exist (a new package, its .dist-info) in one
// rename of the whole tree, the others (shared namespace directories, an upgraded package
// whose old directories remain) entry by entry. Any failure, in staging or in
// commit, undoes everything done so far: no half-installed package remains and a failed
// upgrade leaves the previous version as it was. A transaction that is destroyed without a
// successful commit rolls back.
//
// A transaction holds the environment lock (env_lock.hpp) from its first change to its end,
// first finishing what a killed process left (transaction_recovery.hpp); its commit holds
// back SIGINT and SIGTERM while it renames (signal_guard.hpp). A second transaction on the
// same environment waits for the first to end, so one thread must not hold two at once.

#include "actpip/core/error.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/install_faults.hpp"
#include "actpip/storage/link.hpp"
#include "actpip/storage/uninstall.hpp"
#include "actpip/storage/unpacked_wheel.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace actpip::storage {

struct wheel_to_install {
    unpacked_wheel wheel;
    bool requested = true; // write REQUESTED (the user named it, PEP 376)
    // PEP 610 direct_url.json contents, for URL and file requirements.
    std::optional<std::string> direct_url_json;
};

struct install_options {
    link_mode mode = link_mode::automatic;
    bool compile = false;             // byte-compile with the target interpreter
    std::string installer = "actpip"; // INSTALLER
    fault_hook faults;                // test seam: make any change fail
};

struct install_outcome {
    std::vector<std::string> installed; // "name-version"
    std::vector<std::string> removed;   // "name-version" (upgraded or uninstalled)
};

// PEP 610 for an archive at `url` with its sha256, as pip writes it (sorted keys).
std::string direct_url_for_archive(std::string_view url, std::string_view sha256_hex);

namespace detail {
struct staged_wheel;
struct journal;
} // namespace detail

class install_transaction {
public:
    install_transaction(target_environment env, install_options options);
    ~install_transaction();
    install_transaction(const install_transaction&) = delete;
    install_transaction& operator=(const install_transaction&) = delete;

    // Stages a wheel; an installed distribution of the same project will be replaced.
    core::result<void> stage(const wheel_to_install& wheel);
    // Takes a staged wheel of `project` back out (a tentative pin that the resolution
    // dropped or changed): its staged files and the directories only they needed are
    // deleted, and the installed version is no longer replaced (unless remove() asked).
    // False when no wheel of the project is staged.
    core::result<bool> unstage(std::string_view project);
    // Schedules an uninstall; false when the project is not installed.
    core::result<bool> remove(std::string_view project);
    // Applies everything staged and scheduled, or nothing.
    core::result<install_outcome> commit();
    // Undoes everything (also done by the destructor when commit did not succeed).
    void rollback();

    const target_environment& environment() const { return env_; }

private:
    // Takes the environment lock and recovers what a killed transaction left (once).
    core::result<void> prepare();
    core::result<void> write_commit_plan();
    core::result<std::filesystem::path> staging_dir_for(const std::filesystem::path& dir);
    core::result<void> plan_replacement(std::string_view project);
    core::result<void> apply();
    void finish();

    target_environment env_;
    install_options options_;
    std::string id_;
    file_placer placer_;
    std::map<std::filesystem::path, std::filesystem::path> staging_dirs_;
    std::vector<std::filesystem::path> created_dirs_;
    std::unordered_set<std::string> staged_dirs_; // directories made under staging_dirs_
    std::vector<detail::staged_wheel> wheels_;
    std::vector<removal_plan> removals_;
    std::set<std::string> explicit_removals_; // by remove(), kept by unstage()
    std::unique_ptr<detail::journal> journal_;
    bool done_ = false;
};

// The whole job: stages every wheel, then commits; on error the environment is unchanged.
core::result<install_outcome> install_wheels(const target_environment& env,
                                             const std::vector<wheel_to_install>& wheels,
                                             const install_options& options = {});

// Uninstalls the named projects together; names not installed are listed in `missing`.
core::result<install_outcome> uninstall_projects(const target_environment& env,
                                                 const std::vector<std::string>& names,
                                                 std::vector<std::string>* missing = nullptr,
                                                 const install_options& options = {});

} // namespace actpip::storage
