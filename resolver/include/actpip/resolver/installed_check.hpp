#pragma once
// pip's "Requirement already satisfied" without an index: whether the distributions installed
// in the target satisfy the root requirements and, through their own installed metadata,
// everything those require (markers evaluated against the target, extras through
// `extra == "x"`), with every constraint that names one of them. When they do, pip installs
// nothing and asks no index, and so does actpip (the no-op install). Anything this does not
// decide for sure (a direct reference, an extra the installed project does not provide) is
// "not satisfied": the caller resolves as usual.

#include "actpip/core/marker.hpp"
#include "actpip/core/requirement.hpp"
#include "actpip/core/version.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace actpip::resolver {

struct installed_project {
    core::version version;
    std::vector<core::requirement> requires_dist; // Requires-Dist of its installed METADATA
    std::set<std::string> provides_extra;         // normalized
};

// `installed` is keyed by normalized name; `no_deps`: only the roots are checked. Returns the
// names (normalized) of the projects the requirements reach, or nothing when not satisfied.
std::optional<std::set<std::string>> satisfied_by_installed(
    const std::vector<core::requirement>& roots, const std::vector<core::requirement>& constraints,
    const core::marker_environment& environment,
    const std::map<std::string, installed_project>& installed, bool no_deps = false);

} // namespace actpip::resolver
