#include "actpip/resolver/term.hpp"
#include "actpip/resolver/incompatibility.hpp"

namespace actpip::resolver {

// A positive term is the set of versions S; a negative one is (all versions \ S) plus "not
// selected". The operations below follow from that picture.

term term::intersect(const term& o) const {
    if (positive && o.positive) {
        return term{package, set.intersect(o.set), true};
    }
    if (positive) {
        return term{package, set.difference(o.set), true};
    }
    if (o.positive) {
        return term{package, o.set.difference(set), true};
    }
    return term{package, set.union_with(o.set), false};
}

bool term::satisfies(const term& o) const {
    if (positive && o.positive) {
        return set.is_subset_of(o.set);
    }
    if (positive) {
        return set.is_disjoint(o.set);
    }
    if (o.positive) {
        return false; // "not selected" is never inside a positive term
    }
    return o.set.is_subset_of(set);
}

bool term::contradicts(const term& o) const {
    if (positive && o.positive) {
        return set.is_disjoint(o.set);
    }
    if (positive) {
        return set.is_subset_of(o.set);
    }
    if (o.positive) {
        return o.set.is_subset_of(set);
    }
    return false; // both admit "not selected"
}

term_relation term::relation_to(const term& o) const {
    if (satisfies(o)) {
        return term_relation::satisfied;
    }
    if (contradicts(o)) {
        return term_relation::contradicted;
    }
    return term_relation::inconclusive;
}

const term* incompatibility::find(package_id p) const {
    for (const auto& t : terms) {
        if (t.package == p) {
            return &t;
        }
    }
    return nullptr;
}

} // namespace actpip::resolver
