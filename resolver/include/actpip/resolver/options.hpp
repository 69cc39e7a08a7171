#pragma once
// What a resolution is asked to do besides the root requirements.

#include "actpip/core/marker.hpp"
#include "actpip/core/requirement.hpp"
#include "actpip/core/version.hpp"

#include <set>
#include <string>
#include <vector>

namespace actpip::resolver {

enum class resolution_strategy {
    highest,       // newest compatible version first (pip, uv default)
    lowest,        // oldest compatible version of every package
    lowest_direct, // oldest for the root requirements, newest for the rest (uv)
};

struct installed_dist {
    std::string name; // normalized
    core::version version;
};

struct resolve_options {
    // The target: markers are evaluated against it (with extra="" for the base package),
    // Requires-Python against python_version (three components, as pip pads it: 3.9 ->
    // 3.9.0).
    core::marker_environment environment;
    core::version python_version;

    resolution_strategy strategy = resolution_strategy::highest;

    // --pre (every package), or only these packages (normalized names).
    bool allow_prereleases = false;
    std::set<std::string> prerelease_packages;

    // Distributions already in the target. They are kept when they satisfy, unless
    // upgraded: `upgrade` (-U, pip's only-if-needed strategy: the packages named by the root
    // requirements), `upgrade_eager` (every package), `upgrade_packages` (these names) or
    // `force_reinstall` (no installed version is preferred).
    std::vector<installed_dist> installed;
    bool upgrade = false;
    bool upgrade_eager = false;
    std::set<std::string> upgrade_packages;
    bool force_reinstall = false;

    // --no-deps: only the root requirements are resolved.
    bool no_deps = false;

    // -c: limit the versions of a package when something requires it; never add one.
    std::vector<core::requirement> constraints;
};

} // namespace actpip::resolver
