#pragma once
// A PubGrub term: "package is selected at a version in `set`" (positive) or its negation
// "package is not selected, or at a version outside `set`" (negative).

#include "actpip/resolver/package.hpp"
#include "actpip/resolver/version_set.hpp"

namespace actpip::resolver {

enum class term_relation { satisfied, contradicted, inconclusive };

struct term {
    package_id package = root_package;
    version_set set;
    bool positive = true;

    term negate() const { return term{package, set, !positive}; }
    // Both terms must name the same package.
    term intersect(const term& o) const;
    term difference(const term& o) const { return intersect(o.negate()); }
    // Whether every selection this term allows is allowed by `o` (this => o).
    bool satisfies(const term& o) const;
    // Whether no selection is allowed by both.
    bool contradicts(const term& o) const;
    term_relation relation_to(const term& o) const;
    bool is_empty() const { return positive && set.is_empty(); }

    friend bool operator==(const term&, const term&) = default;
};

} // namespace actpip::resolver
