#pragma once
// Private: PubGrub's partial solution, the ordered list of decisions and derivations with
// their decision levels, and per package the intersection of its assignments.

#include "actpip/resolver/incompatibility.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace actpip::resolver::detail {

inline constexpr std::uint32_t no_cause = UINT32_MAX;

struct assignment {
    term t;
    std::uint32_t level = 0;
    incompat_id cause = no_cause; // no_cause for decisions
    bool is_decision() const { return cause == no_cause; }
};

class partial_solution {
public:
    void decide(package_id p, const core::version& v);
    void derive(term t, incompat_id cause);
    // Drops every assignment above `level`.
    void backtrack(std::uint32_t level);

    std::uint32_t level() const { return level_; }
    const std::vector<assignment>& assignments() const { return assignments_; }

    // The intersection of every assignment of `p`, or null when it has none.
    const term* accumulated(package_id p) const;
    bool decided(package_id p) const;
    term_relation relation(const term& t) const;
    bool satisfies(const term& t) const { return relation(t) == term_relation::satisfied; }

    // Index of the earliest assignment after which `t` is satisfied (it must be).
    std::size_t satisfier(const term& t) const;

    // Undecided packages that have a positive accumulated term, in id order.
    template <class F>
    void for_each_pending(F&& f) const {
        for (package_id p = 0; p < states_.size(); ++p) {
            const auto& s = states_[p];
            if (s.acc && s.acc->positive && !s.decided) {
                f(p, *s.acc);
            }
        }
    }

private:
    struct package_state {
        std::optional<term> acc;
        bool decided = false;
        std::vector<std::size_t> indices; // into assignments_
    };
    std::vector<assignment> assignments_;
    std::vector<package_state> states_;
    std::uint32_t level_ = 0;

    package_state& state(package_id p);
    void push(assignment a);
};

} // namespace actpip::resolver::detail
