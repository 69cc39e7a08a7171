#pragma once
// Turning a job's options into what the actors are spawned with: the root requirements
// (requirement files read, local wheels made file:// URLs), the hashes the user pinned, the
// HTTP client's options, the target's tags and markers, the installed distributions and the
// cache root. No actors here: this runs before the session spawns anything, and is tested
// directly.

#include "actpip/actors/fetch_options.hpp"
#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/actors/protocol/install.hpp"
#include "actpip/api.hpp"
#include "actpip/core/candidate_selector.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/core/marker.hpp"
#include "actpip/core/platform_tags.hpp"
#include "actpip/core/requirement.hpp"
#include "actpip/net/client_options.hpp"
#include "actpip/resolver/options.hpp"
#include "actpip/storage/installed.hpp"
#include "actpip/storage/link.hpp"
#include "actpip/storage/scratch_directory.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace actpip::actors {

using env_lookup = std::function<std::optional<std::string>(std::string_view)>;

// What does not depend on the target environment: known before the interpreter is probed,
// so connections to the indexes can be opened while it runs.
struct job_sources {
    std::vector<core::requirement> requirements;
    std::vector<core::requirement> constraints;
    std::set<std::string> requested; // normalized names of the root requirements
    std::map<std::string, std::vector<std::string>> requested_extras; // by normalized name
    // --hash values of the requirement files, by normalized name ("sha256:<hex>").
    std::map<std::string, std::vector<core::hash_digest>> hashes;
    bool require_hashes = false;

    std::vector<std::string> index_urls; // index URL first, then extra index URLs
    std::vector<std::string> find_links; // URLs of HTML pages or directories (file://.../)
    bool pre = false;
    core::format_control formats;
    net::client_options client;
    std::string client_key; // fetch_registry.hpp: jobs with the same key share a client

    std::optional<std::filesystem::path> cache_root; // none: --no-cache
    // This job's temporary directory, removed when its last owner goes: the sources, and the
    // actors that write into it (with --no-cache the cache lives there).
    std::shared_ptr<const storage::scratch_directory> scratch;
};

// The target: tags, markers and Python version to resolve for, and what is installed.
struct job_target {
    install_target environment;
    core::marker_environment markers;
    core::version python_version;
    std::vector<core::tag> tags;
    core::interpreter_info tag_facts;   // what `tags` are computed from
    std::vector<std::string> platforms; // --platform
    std::vector<resolver::installed_dist> installed;
    std::vector<storage::installed_distribution> installed_dists; // the same, as read
    std::string interpreter_cache_dir;
};

// Reads the requirements and options. Errors name the requirement or file at fault; an
// error with `usage` set is a bad combination of options (exit code 2). The scratch
// directory is made last, once everything has been checked.
struct setup_error {
    core::error error;
    bool usage = false;
};
std::expected<job_sources, setup_error> prepare_sources(const job_options& options,
                                                        const env_lookup& env);
// The same without requirements: the sources, the client and the cache of a server.
std::expected<job_sources, setup_error> prepare_index_sources(const job_options& options,
                                                              const env_lookup& env);

// The cache this job uses: the configured root, else a throwaway one in its scratch dir
// (--no-cache: downloads and interpreter facts still need somewhere for the job's length).
std::filesystem::path cache_root_of(const job_sources& sources);

// The no-op install, as pip decides it ("Requirement already satisfied") without an index:
// nothing to upgrade, reinstall or hash-check, and every requirement satisfied by what the
// target has installed, read from its own metadata. The outcome to give without resolving
// (the projects reached, each already installed), or nothing.
std::optional<job_outcome> already_satisfied(const job_options& options, const job_sources& sources,
                                             const job_target& target);

// Whether the cache answers every root requirement's page on every index with no request
// (fresh): such a run may need no connection at all, so none is opened until one is asked.
bool root_pages_fresh(const job_sources& sources, const job_options& options);

// Probes the environment (or takes --python-version / --platform) for the target.
std::expected<job_target, setup_error> prepare_target(const job_options& options,
                                                      const job_sources& sources);

// Everything the fetch actors and the resolver are spawned with: the process's fetch
// service (by its key), the session's target in every fetch request, the resolver's options.
fetch_service_options make_fetch_service_options(const job_sources& sources);
storage::cache_mode cache_mode_of(const job_options& options); // --offline, --refresh
std::string fetch_service_key(const job_sources& sources);
fetch_target make_fetch_target(const job_options& options, const job_sources& sources,
                               const job_target& target);
resolver::resolve_options make_resolve_options(const job_options& options,
                                               const job_sources& sources,
                                               const job_target& target);

// The --require-hashes rules that can be checked before resolving: every root requirement
// pinned with == (or a file) and carrying a hash.
core::result<void> check_hash_requirements(const job_sources& sources);

// A local path or file:// URL -> absolute file:// URL; other URLs unchanged.
std::string file_url_of(const std::string& location);

storage::link_mode to_storage(link_mode mode);

} // namespace actpip::actors
