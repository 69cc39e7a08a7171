#pragma once
// Which of a project's candidates may be installed on a target, best first, as pip's
// PackageFinder decides: compatible tags, Requires-Python, yanked files only when the
// requirement pins a version with == or ===, pre-releases only when allowed (or when
// nothing else matches), --only-binary / --no-binary, and the order newest version first,
// then wheels before sdists, then the best tag, then the highest build tag. Pure: the
// caller supplies the target's tags and Python version.

#include "actpip/core/candidate.hpp"
#include "actpip/core/error.hpp"
#include "actpip/core/specifier.hpp"
#include "actpip/core/tags.hpp"
#include "actpip/core/version.hpp"

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

// pip's FormatControl: --no-binary and --only-binary values, each ":all:", ":none:" or
// project names (normalized here).
struct format_control {
    std::set<std::string> no_binary;
    std::set<std::string> only_binary;

    // Adds one --no-binary / --only-binary value (comma-separated names, ":all:" or
    // ":none:"), with pip's rule that naming a project in one removes it from the other.
    void add_no_binary(std::string_view value);
    void add_only_binary(std::string_view value);

    bool allows_wheel(std::string_view name) const;
    bool allows_sdist(std::string_view name) const;
};

struct selection_policy {
    tag_ranker tags;                // the target's supported tags
    core::version python_version;   // the target's full Python version, for Requires-Python
    bool allow_prereleases = false; // --pre
    format_control formats;
    // Building sdists is not supported yet: sdists are listed as rejected unless this is set.
    bool allow_sdists = false;
};

enum class rejection {
    incompatible_tags,
    requires_python,
    yanked,
    prerelease,
    specifier,
    binary_not_allowed, // --no-binary
    source_not_allowed, // --only-binary, or sdists not supported
};

std::string_view to_string(rejection why);

struct rejected_candidate {
    candidate what;
    rejection why;
};

struct candidate_selection {
    std::vector<candidate> applicable; // best first
    std::vector<rejected_candidate> rejected;

    const candidate* best() const { return applicable.empty() ? nullptr : &applicable.front(); }
    // The best candidate of each version, newest first (what a resolver iterates over).
    std::vector<const candidate*> best_per_version() const;
};

// Selects among `candidates` (all of one project) those that satisfy `specifiers` for the
// target. An empty specifier set matches every version.
candidate_selection select_candidates(std::span<const candidate> candidates,
                                      const specifier_set& specifiers,
                                      const selection_policy& policy);

// The best candidate, or an error explaining why there is none. When sdists would have
// matched but no wheel does: "no wheel of X matches this environment; building sdists is not
// supported yet", with the closest candidates (the newest rejected versions) as hints.
result<candidate> best_candidate(std::string_view name, std::span<const candidate> candidates,
                                 const specifier_set& specifiers, const selection_policy& policy);

} // namespace actpip::core
