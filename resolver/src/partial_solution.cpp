#include "partial_solution.hpp"

namespace actpip::resolver::detail {

partial_solution::package_state& partial_solution::state(package_id p) {
    if (p >= states_.size()) {
        states_.resize(p + 1);
    }
    return states_[p];
}

void partial_solution::push(assignment a) {
    auto& s = state(a.t.package);
    s.acc = s.acc ? s.acc->intersect(a.t) : a.t;
    s.indices.push_back(assignments_.size());
    assignments_.push_back(std::move(a));
}

void partial_solution::decide(package_id p, const core::version& v) {
    ++level_;
    state(p).decided = true;
    push(assignment{term{p, version_set::singleton(v), true}, level_, no_cause});
}

void partial_solution::derive(term t, incompat_id cause) {
    push(assignment{std::move(t), level_, cause});
}

void partial_solution::backtrack(std::uint32_t level) {
    std::vector<package_id> touched;
    while (!assignments_.empty() && assignments_.back().level > level) {
        const package_id p = assignments_.back().t.package;
        auto& s = states_[p];
        s.indices.pop_back();
        if (assignments_.back().is_decision()) {
            s.decided = false;
        }
        touched.push_back(p);
        assignments_.pop_back();
    }
    for (package_id p : touched) {
        auto& s = states_[p];
        s.acc.reset();
        for (std::size_t i : s.indices) {
            s.acc = s.acc ? s.acc->intersect(assignments_[i].t) : assignments_[i].t;
        }
    }
    level_ = level;
}

const term* partial_solution::accumulated(package_id p) const {
    if (p >= states_.size() || !states_[p].acc) {
        return nullptr;
    }
    return &*states_[p].acc;
}

bool partial_solution::decided(package_id p) const {
    return p < states_.size() && states_[p].decided;
}

term_relation partial_solution::relation(const term& t) const {
    const term* acc = accumulated(t.package);
    if (acc == nullptr) {
        return term_relation::inconclusive;
    }
    return acc->relation_to(t);
}

std::size_t partial_solution::satisfier(const term& t) const {
    const auto& s = states_[t.package];
    std::optional<term> acc;
    for (std::size_t i : s.indices) {
        acc = acc ? acc->intersect(assignments_[i].t) : assignments_[i].t;
        if (acc->satisfies(t)) {
            return i;
        }
    }
    return assignments_.size(); // unreachable for a satisfied term
}

} // namespace actpip::resolver::detail
