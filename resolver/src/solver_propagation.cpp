// Unit propagation and conflict resolution, as in Natalie Weizenbaum's description of
// PubGrub (dart-lang/pub, doc/solver.md), including its choice to backjump no further than
// decision level 1 (the root) for clearer explanations.

#include "solver_impl.hpp"

#include <algorithm>

namespace actpip::resolver {

namespace {

// Folds terms on the same package together (an incompatibility is a conjunction).
std::vector<term> merge_terms(const std::vector<term>& in) {
    std::vector<term> out;
    for (const auto& t : in) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const term& o) { return o.package == t.package; });
        if (it == out.end()) {
            out.push_back(t);
        } else {
            *it = it->intersect(t);
        }
    }
    return out;
}

} // namespace

incompat_id solver::impl::store(incompatibility inc) {
    incompats.push_back(std::move(inc));
    return static_cast<incompat_id>(incompats.size() - 1);
}

incompat_id solver::impl::add(incompatibility inc) {
    const incompat_id id = store(std::move(inc));
    for (const auto& t : incompats[id].terms) {
        if (t.package >= by_package.size()) {
            by_package.resize(t.package + 1);
        }
        by_package[t.package].push_back(id);
    }
    return id;
}

bool solver::impl::is_terminal(const incompatibility& inc) const {
    return inc.terms.empty() ||
           (inc.terms.size() == 1 && inc.terms[0].positive && inc.terms[0].package == root_package);
}

std::optional<incompat_id> solver::impl::propagate(package_id start) {
    std::vector<package_id> changed{start};
    while (!changed.empty()) {
        const package_id p = changed.back();
        changed.pop_back();
        if (p >= by_package.size()) {
            continue;
        }
        // Newest first: learned incompatibilities are the most useful.
        for (std::size_t k = by_package[p].size(); k-- > 0;) {
            const incompat_id id = by_package[p][k];
            const term* unsatisfied = nullptr;
            bool contradicted = false;
            bool inconclusive_twice = false;
            for (const auto& t : incompats[id].terms) {
                switch (partial.relation(t)) {
                case term_relation::satisfied:
                    break;
                case term_relation::contradicted:
                    contradicted = true;
                    break;
                case term_relation::inconclusive:
                    if (unsatisfied != nullptr) {
                        inconclusive_twice = true;
                    }
                    unsatisfied = &t;
                    break;
                }
                if (contradicted || inconclusive_twice) {
                    break;
                }
            }
            if (contradicted || inconclusive_twice) {
                continue;
            }
            if (unsatisfied == nullptr) {
                const resolved r = resolve_conflict(id);
                if (r.terminal) {
                    return r.id;
                }
                // The learned incompatibility is now almost satisfied: derive its last term.
                const incompatibility& cause = incompats[r.id];
                for (const auto& t : cause.terms) {
                    if (partial.relation(t) != term_relation::satisfied) {
                        partial.derive(t.negate(), r.id);
                        changed.assign(1, t.package);
                        break;
                    }
                }
                break;
            }
            const term derived = unsatisfied->negate();
            partial.derive(derived, id);
            if (std::find(changed.begin(), changed.end(), derived.package) == changed.end()) {
                changed.push_back(derived.package);
            }
        }
    }
    return std::nullopt;
}

solver::impl::resolved solver::impl::resolve_conflict(incompat_id conflict) {
    ++stats.conflicts;
    incompat_id current = conflict;
    bool created = false;
    for (;;) {
        if (is_terminal(incompats[current])) {
            return {current, true};
        }
        const auto& assigns = partial.assignments();
        std::size_t most_recent = 0;
        const term* most_recent_term = nullptr;
        std::uint32_t previous_level = 1;
        std::optional<term> difference;
        for (const auto& t : incompats[current].terms) {
            const std::size_t s = partial.satisfier(t);
            if (most_recent_term == nullptr) {
                most_recent = s;
                most_recent_term = &t;
            } else if (most_recent < s) {
                previous_level = std::max(previous_level, assigns[most_recent].level);
                most_recent = s;
                most_recent_term = &t;
                difference.reset();
            } else {
                previous_level = std::max(previous_level, assigns[s].level);
            }
            if (most_recent_term == &t) {
                // If the satisfier does not satisfy the term on its own, the assignment that
                // satisfies the rest also bounds how far we may jump back.
                term diff = assigns[most_recent].t.difference(t);
                if (diff.is_empty()) {
                    difference.reset();
                } else {
                    previous_level =
                        std::max(previous_level, assigns[partial.satisfier(diff.negate())].level);
                    difference = std::move(diff);
                }
            }
        }
        const detail::assignment& satisfier = assigns[most_recent];
        for (const auto& t : incompats[current].terms) {
            if (t.package < conflict_count.size()) {
                ++conflict_count[t.package];
            } else {
                conflict_count.resize(t.package + 1, 0);
                ++conflict_count[t.package];
            }
        }
        if (satisfier.is_decision() || previous_level != satisfier.level) {
            if (created) {
                // Register the learned incompatibility for propagation.
                for (const auto& t : incompats[current].terms) {
                    if (t.package >= by_package.size()) {
                        by_package.resize(t.package + 1);
                    }
                    by_package[t.package].push_back(current);
                }
            }
            partial.backtrack(previous_level);
            return {current, false};
        }
        // Resolve the conflict against the satisfier's cause.
        const package_id satisfied_package = most_recent_term->package;
        std::vector<term> terms;
        for (const auto& t : incompats[current].terms) {
            if (t.package != satisfied_package) {
                terms.push_back(t);
            }
        }
        for (const auto& t : incompats[satisfier.cause].terms) {
            if (t.package != satisfied_package) {
                terms.push_back(t);
            }
        }
        if (difference) {
            terms.push_back(difference->negate());
        }
        terms = merge_terms(terms);
        if (terms.size() > 1) {
            std::erase_if(terms,
                          [](const term& t) { return t.positive && t.package == root_package; });
        }
        incompatibility derived{
            std::move(terms), incompat_kind::derived, current, satisfier.cause, {}};
        current = store(std::move(derived));
        created = true;
    }
}

} // namespace actpip::resolver
