#pragma once
// The installer's vocabulary: a plan names wheels by their cache path and sha256 (the
// unpacked tree goes to <unpacked_dir>/<sha256>), the projects to remove and the environment
// as the command line gives it; the reply is what changed, or our error, and after an error
// the environment is as it was. The unpack pool turns one wheel into its tree in the cache.

#include "actpip/actors/protocol/reply.hpp"
#include "actpip/storage/link.hpp"

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>
#include <vector>

namespace actpip::actors {

struct install_item {
    std::string path;     // the wheel in the cache
    std::string sha256;   // hex; names its unpacked tree
    std::string filename; // the wheel's own name when `path` is a cache key (may be empty)
    bool requested = true;
    std::string direct_url_json; // PEP 610, or empty
};

// storage::environment_options in wire form.
struct install_target {
    std::string python; // empty: $VIRTUAL_ENV, else python3
    std::string target; // --target DIR
    std::string prefix; // --prefix DIR
    bool break_system_packages = false;
};

struct install_plan {
    std::vector<install_item> wheels;
    std::vector<std::string> removals; // project names to uninstall
    install_target environment;
    std::string unpacked_dir;          // cache_layout::unpacked_dir()
    std::string interpreter_cache_dir; // empty: probe the interpreter every time
    storage::link_mode link_mode = storage::link_mode::automatic;
    bool compile = false;
    // The pins the resolution kept as installed ("name==version"): checked under the
    // environment lock before the commit, since another process may have changed them since
    // the installed set was read.
    std::vector<std::string> kept_installed;
};

struct install_result {
    std::vector<std::string> installed;     // "name-version", sorted
    std::vector<std::string> removed;       // "name-version", sorted
    std::vector<std::string> not_installed; // removals that were not installed
};

// A wheel of a tentative pin, landed while the resolution goes on: the install job stages
// it at once; the plan that follows decides whether it stays.
struct tentative_wheel {
    install_item item;
};

// Opens an install job early: `basis` is the plan without its wheels (environment, cache,
// link mode). The job stages tentative wheels as they come and commits the plan it is sent.
struct install_opening {
    install_plan basis;
};

// One wheel to unpack into `dest` (its tree in the unpacked cache).
struct unpack_order {
    std::string path;
    std::string dest;
    std::string filename;
    std::string sha256; // hex: checked before unpacking (cached wheels are written unsynced)
};

struct unpacked_tree {
    std::string root;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, install_item& x) {
    return f(caf::meta::type_name("install_item"), x.path, x.sha256, x.filename, x.requested,
             x.direct_url_json);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, install_target& x) {
    return f(caf::meta::type_name("install_target"), x.python, x.target, x.prefix,
             x.break_system_packages);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, install_plan& x) {
    return f(caf::meta::type_name("install_plan"), x.wheels, x.removals, x.environment,
             x.unpacked_dir, x.interpreter_cache_dir, x.link_mode, x.compile, x.kept_installed);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, install_result& x) {
    return f(caf::meta::type_name("install_result"), x.installed, x.removed, x.not_installed);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tentative_wheel& x) {
    return f(caf::meta::type_name("tentative_wheel"), x.item);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, install_opening& x) {
    return f(caf::meta::type_name("install_opening"), x.basis);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unpack_order& x) {
    return f(caf::meta::type_name("unpack_order"), x.path, x.dest, x.filename, x.sha256);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unpacked_tree& x) {
    return f(caf::meta::type_name("unpacked_tree"), x.root);
}

// One transaction: tentative wheels staged as they land, then the plan (the final pins'
// wheels) committed; a staged wheel the plan leaves out is taken back out first. Ended
// without a plan (the session failed or was cancelled), it rolls back.
using install_job_actor =
    caf::typed_actor<caf::reacts_to<tentative_wheel>,
                     caf::replies_to<install_plan>::with<reply<install_result>>>;

// A plan at once (a job per plan), or a job opened before the resolution is final.
using installer_actor = caf::typed_actor<caf::replies_to<install_plan>::with<reply<install_result>>,
                                         caf::replies_to<install_opening>::with<install_job_actor>>;

// Identical orders (same `dest`) in flight at once are joined, so a wheel the session is
// unpacking as it lands is never unpacked a second time for the installer.
using unpack_pool_actor =
    caf::typed_actor<caf::replies_to<unpack_order>::with<reply<unpacked_tree>>>;

} // namespace actpip::actors
