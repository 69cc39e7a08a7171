// Turning requirements into incompatibilities: the root's requirements, -c constraints, and
// the Requires-Dist of a candidate (with markers evaluated against the target, extras through
// `extra == "x"`, and the package-with-extra pinned to its base at the same version).

#include "solver_impl.hpp"

#include "actpip/core/name.hpp"

#include <algorithm>

namespace actpip::resolver {

namespace {

bool is_pin(const core::specifier& s) {
    return (s.op() == core::spec_op::equal && !s.wildcard()) || s.op() == core::spec_op::arbitrary;
}

} // namespace

void solver::impl::note_requirement(const core::requirement& req, bool direct) {
    name_info& info = names[req.normalized_name()];
    for (const auto& clause : req.specifiers.clauses()) {
        info.named_prerelease = info.named_prerelease || clause.names_prerelease();
        info.pinned = info.pinned || is_pin(clause);
    }
    info.direct = info.direct || direct;
}

void solver::impl::add_root_facts() {
    add(incompatibility::fact({term{root_package, version_set::full(), false}},
                              incompat_kind::root));
    // Constraints first, so that direct URLs and pins they carry are known early.
    for (const auto& c : opts.constraints) {
        if (!c.applies_to(base_env)) {
            continue;
        }
        note_requirement(c, false);
        const package_id q = packages.intern(package_key{c.normalized_name(), {}});
        version_set allowed = version_set::from_specifiers(c.specifiers);
        add(incompatibility::fact(
            {term{root_package, version_set::full(), true}, term{q, allowed.complement(), true}},
            incompat_kind::constraint));
    }
    for (const auto& r : root_requirements) {
        if (r.applies_to(base_env)) {
            note_requirement(r, true);
            if (r.url && !names[r.normalized_name()].url) {
                names[r.normalized_name()].url = r.url;
            }
        }
    }
}

bool solver::impl::add_requirement(package_id depender, const version_set& depender_set,
                                   const core::requirement& req, std::vector<incompat_id>& added) {
    const std::string name = req.normalized_name();
    note_requirement(req, depender == root_package);
    name_info& info = names[name];
    if (req.url) {
        if (!info.url) {
            info.url = req.url;
        } else if (*info.url != *req.url) {
            added.push_back(add(incompatibility::fact(
                {term{depender, depender_set, true}}, incompat_kind::unavailable,
                "requires " + name + " @ " + *req.url + ", but " + name + " @ " + *info.url +
                    " is required elsewhere")));
            return false;
        }
    }
    const version_set allowed = version_set::from_specifiers(req.specifiers);
    std::vector<std::string> extras;
    for (const auto& e : req.extras) {
        extras.push_back(core::normalize_name(e));
    }
    if (extras.empty()) {
        extras.emplace_back();
    }
    std::sort(extras.begin(), extras.end());
    extras.erase(std::unique(extras.begin(), extras.end()), extras.end());
    for (const auto& extra : extras) {
        const package_id q = packages.intern(package_key{name, extra});
        incompatibility inc =
            incompatibility::fact({term{depender, depender_set, true}, term{q, allowed, false}},
                                  incompat_kind::dependency);
        if (q == depender) {
            // A package that depends on itself: only versions outside the range conflict.
            term self = inc.terms[0].intersect(inc.terms[1]);
            if (self.is_empty()) {
                continue;
            }
            inc.terms = {self};
        }
        added.push_back(add(std::move(inc)));
    }
    return true;
}

bool solver::impl::add_dependencies(package_id p, const core::version& v, const dist_metadata& m) {
    if (!dependencies_added.emplace(p, v.to_string()).second) {
        // Already added on an earlier branch: only re-check for an immediate conflict.
        bool conflict = false;
        for (incompat_id id : by_package.size() > p ? by_package[p] : std::vector<incompat_id>{}) {
            const auto& inc = incompats[id];
            if (inc.kind != incompat_kind::dependency || inc.terms[0].package != p ||
                !inc.terms[0].set.contains(v)) {
                continue;
            }
            conflict =
                conflict || std::all_of(inc.terms.begin(), inc.terms.end(), [&](const term& t) {
                    return t.package == p || partial.satisfies(t);
                });
        }
        return conflict;
    }
    const package_key key = packages.key(p);
    const version_set exact = key.is_root() ? version_set::full() : version_set::singleton(v);
    std::vector<incompat_id> added;
    if (key.is_root()) {
        for (const auto& r : root_requirements) {
            if (r.applies_to(base_env)) {
                add_requirement(p, exact, r, added);
            }
        }
    } else {
        if (!key.extra.empty()) {
            // name[extra] is name itself at the same version, plus the extra's requirements.
            const package_id base = packages.intern(package_key{key.name, {}});
            added.push_back(add(incompatibility::fact(
                {term{p, exact, true}, term{base, exact, false}}, incompat_kind::dependency)));
        }
        if (!opts.no_deps) {
            const core::marker_environment extra_env =
                key.extra.empty() ? base_env : opts.environment.with_extra(key.extra);
            for (const auto& r : m.requires_dist) {
                const bool applies =
                    r.applies_to(extra_env) && (key.extra.empty() || !r.applies_to(base_env));
                if (applies) {
                    add_requirement(p, exact, r, added);
                }
            }
        }
    }
    bool conflict = false;
    for (incompat_id id : added) {
        const auto& inc = incompats[id];
        conflict = conflict || std::all_of(inc.terms.begin(), inc.terms.end(), [&](const term& t) {
                       return t.package == p || partial.satisfies(t);
                   });
    }
    return conflict;
}

} // namespace actpip::resolver
