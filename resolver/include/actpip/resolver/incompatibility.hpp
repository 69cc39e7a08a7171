#pragma once
// A set of terms that must not all hold at once, with where it came from: the facts of the
// problem (the root, a dependency, a package with no usable version) or a derivation from
// two earlier incompatibilities during conflict resolution (the tree explanations are made
// of).

#include "actpip/resolver/term.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace actpip::resolver {

using incompat_id = std::uint32_t;

enum class incompat_kind {
    root,        // the root must be selected
    dependency,  // terms[0] (positive) depends on terms[1] (negative)
    constraint,  // a -c constraint: root with a positive term outside the allowed range
    no_versions, // no usable version in the range of terms[0]
    unavailable, // the versions of terms[0] cannot be used, for `reason`
    derived,     // from conflict resolution over `left` and `right`
};

struct incompatibility {
    std::vector<term> terms;
    incompat_kind kind = incompat_kind::derived;
    incompat_id left = 0;  // derived only
    incompat_id right = 0; // derived only
    std::string reason;    // unavailable, no_versions (extra detail, e.g. pre-releases)

    static incompatibility fact(std::vector<term> terms, incompat_kind kind,
                                std::string reason = {}) {
        return incompatibility{std::move(terms), kind, 0, 0, std::move(reason)};
    }

    const term* find(package_id p) const;
};

} // namespace actpip::resolver
