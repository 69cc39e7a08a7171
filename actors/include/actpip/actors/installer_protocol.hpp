#pragma once
// Messages of the installer actor: plain, serializable values. A plan names wheels by their
// cache path and sha256 (the unpacked tree goes to <unpacked_dir>/<sha256>), the projects to
// remove and the environment as the command line gives it; the reply is the outcome or our
// error value, and after an error the environment is as it was.

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "actpip/actors/error_inspect.hpp"
#include "actpip/core/error.hpp"

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
    std::string link_mode = "auto";    // auto, clone, hardlink, copy, symlink
    bool compile = false;
};

struct install_result {
    bool ok = false;
    std::vector<std::string> installed;     // "name-version", sorted
    std::vector<std::string> removed;       // "name-version", sorted
    std::vector<std::string> not_installed; // removals that were not installed
    core::error error;
};

// Internal: one wheel for an unpack worker, and its answer.
struct unpack_order {
    std::string path;
    std::string dest;
    std::string filename;
};

struct unpack_answer {
    bool ok = false;
    std::string root;
    core::error error;
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
             x.unpacked_dir, x.interpreter_cache_dir, x.link_mode, x.compile);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, install_result& x) {
    return f(caf::meta::type_name("install_result"), x.ok, x.installed, x.removed, x.not_installed,
             x.error);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unpack_order& x) {
    return f(caf::meta::type_name("unpack_order"), x.path, x.dest, x.filename);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unpack_answer& x) {
    return f(caf::meta::type_name("unpack_answer"), x.ok, x.root, x.error);
}

using installer_actor = caf::typed_actor<caf::replies_to<install_plan>::with<install_result>>;
using unpack_worker_actor = caf::typed_actor<caf::replies_to<unpack_order>::with<unpack_answer>>;

} // namespace actpip::actors
