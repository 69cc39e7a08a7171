#pragma once
// Sets of PEP 440 versions as sorted unions of disjoint half-open intervals [lo, hi) between
// "cuts": positions in the total order of versions. The algebra PubGrub needs (union,
// intersection, complement, subset and disjointness tests) is exact on this representation.
//
// A cut sits just below a version, just above it, or just above every version with a given
// base (epoch + release, e.g. above every 1.7, 1.7.post3 and 1.7+local): the last one is what
// `>1.7` needs, since PEP 440 excludes 1.7.postN and 1.7+local there and no smallest version
// above all of them exists.
//
// Conversion from specifiers follows `packaging` 21.3 (what pip 23.2 vendors):
//   >=V   [V, inf)                     <=V   (-inf, above V and every V+local)
//   ==V   [V, above V+locals) (no local in V: 1.0+abc satisfies ==1.0); with a local: {V}
//   ==P.* [P.dev0, next-prefix.dev0)   ~=V   >=V, ==prefix.*
//   <V    (-inf, V) without V's own pre-releases unless V is one: <1.7 is (-inf, 1.7.dev0)
//   >V    (V, inf) without V's post-releases and locals: >1.7 starts above every 1.7 base
//   !=    complement of ==;  ===V  {V} (string identity approximated by version equality)
// Three corners of `packaging` cannot be written as finitely many intervals and are
// approximated (documented, and excluded from the property tests): `<B.postN` keeps
// B.postK.devM for K < N; `>V` with V a pre-release keeps the pre-releases-with-local between
// V and its final release; `>B.postN` keeps B.postK+local for K > N.
//
// Pre-releases are NOT excluded here: a set is what the specifiers admit as numbers. Whether a
// pre-release may be chosen is a policy applied when the solver picks a candidate (see
// src/candidate_selector.hpp): allowed with --pre, when a specifier on the package names a
// pre-release, or when the package has nothing but pre-releases.

#include "actpip/core/specifier.hpp"
#include "actpip/core/version.hpp"

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace actpip::resolver {

struct cut {
    enum class kind : std::uint8_t { bottom, below, above, above_base, top };
    kind k = kind::bottom;
    core::version v; // unused for bottom/top; for above_base only epoch and release matter

    static cut bottom() { return cut{kind::bottom, {}}; }
    static cut top() { return cut{kind::top, {}}; }
    static cut below(core::version v) { return cut{kind::below, std::move(v)}; }
    static cut above(core::version v) { return cut{kind::above, std::move(v)}; }
    static cut above_base(core::version v) { return cut{kind::above_base, std::move(v)}; }

    // Whether `x` lies above this cut.
    bool precedes(const core::version& x) const;

    friend std::strong_ordering operator<=>(const cut& a, const cut& b);
    friend bool operator==(const cut& a, const cut& b) {
        return (a <=> b) == std::strong_ordering::equal;
    }
};

struct interval {
    cut lo; // inclusive position
    cut hi; // exclusive position
    bool contains(const core::version& x) const { return lo.precedes(x) && !hi.precedes(x); }
    friend bool operator==(const interval&, const interval&) = default;
};

class version_set {
public:
    version_set() = default; // empty

    static version_set empty() { return {}; }
    static version_set full();
    static version_set singleton(const core::version& v); // exactly v (not its locals)
    static version_set at_least(const core::version& v);  // [v, inf)
    static version_set below(const core::version& v);     // (-inf, v)
    static version_set between(const core::version& lo, const core::version& hi); // [lo, hi)
    static version_set from_interval(cut lo, cut hi);

    // The versions a specifier admits (ignoring the pre-release policy).
    static version_set from_specifier(const core::specifier& s);
    static version_set from_specifiers(const core::specifier_set& s);

    bool is_empty() const { return intervals_.empty(); }
    bool is_full() const;
    bool contains(const core::version& v) const;
    // The single version this set holds, when it is [v, above v).
    const core::version* as_singleton() const;

    version_set complement() const;
    version_set union_with(const version_set& o) const;
    version_set intersect(const version_set& o) const;
    version_set difference(const version_set& o) const { return intersect(o.complement()); }
    bool is_subset_of(const version_set& o) const;
    bool is_disjoint(const version_set& o) const;

    const std::vector<interval>& intervals() const { return intervals_; }

    // As specifiers: ">=1.0, <2.0", "==1.2", "!=1.5", "==1.*"; several disjoint ranges are
    // joined with " | "; the full set prints "*", the empty set "<none>".
    std::string to_string() const;

    friend bool operator==(const version_set&, const version_set&) = default;

private:
    std::vector<interval> intervals_; // sorted, disjoint, non-adjacent, each non-empty
    void push(cut lo, cut hi);        // appends, merging with the last interval
};

} // namespace actpip::resolver
