#pragma once
// Private: picks the version to try for a package from its candidate list, applying the
// candidate policies that the version-set algebra leaves out:
//
// - Pre-releases: a pre-release may be chosen when the user opted in (--pre, or for this
//   package), when a specifier on the package names a pre-release with an inclusive operator
//   (==, >=, <=, ~=, ===: packaging's Specifier.prereleases, which pip uses), or when the
//   package has nothing but pre-releases. pip and uv disagree at the edges, and actpip takes
//   pip's side: `c==2.0b1` next to `c>=1` allows c's pre-releases (uv: no, without opt-in);
//   `a<0.2.0a2` and `b>0.0.0a1` do not name a pre-release in packaging's sense, so they do
//   not opt in (uv: they do). Where the package has only pre-releases actpip allows them even
//   under a specifier such as `a<0.2.0` (as uv does; pip 23.2 fails there).
// - Yanked (PEP 592 as pip 23.2 applies it): skipped, unless every candidate left in the range
//   is yanked and some requirement pins the package with == or ===. uv refuses a yanked
//   version pinned only by a transitive requirement; actpip follows pip.
// - Requires-Python, including upper bounds (pip honours `<=3.8`; uv ignores upper bounds):
//   a candidate whose Requires-Python excludes the target is unusable, as is one without a
//   usable file. Unusable candidates are reported in runs (consecutive candidates with the
//   same reason) so that explanations name a range, not every version.
// - An installed version inside the range wins when the package is not being upgraded.

#include "actpip/resolver/provider.hpp"
#include "actpip/resolver/version_set.hpp"

#include <string>
#include <vector>

namespace actpip::resolver::detail {

struct selection_policy {
    bool prefer_lowest = false;
    bool allow_prereleases = false;
    bool pinned = false; // some requirement uses == or ===
    const core::version* installed = nullptr;
    const core::version* python = nullptr;
};

struct selection {
    enum class kind { chosen, none, unusable };
    kind k = kind::none;
    core::version version; // chosen
    bool installed = false;
    version_set range;  // unusable: the run of candidates sharing `reason`
    std::string reason; // unusable: why; none: extra detail (may be empty)
};

// `sorted` ascends by version.
selection select_candidate(const std::vector<candidate>& sorted, const version_set& allowed,
                           const selection_policy& policy);

// Why a candidate cannot be used at all (Requires-Python, no file), or empty.
std::string unusable_reason(const candidate& c, const core::version& python);

} // namespace actpip::resolver::detail
