#include "solver_impl.hpp"

#include "actpip/core/name.hpp"
#include "actpip/resolver/report.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace actpip::resolver {

std::string versions_key(const std::string& name, const std::optional<std::string>& url) {
    return url ? name + '\n' + *url : name;
}

std::string metadata_key(const std::string& name, const core::version& v,
                         const std::optional<std::string>& url) {
    return versions_key(name, url) + '\n' + v.to_string();
}

solver::impl::impl(std::vector<core::requirement> reqs, resolve_options o)
    : opts(std::move(o)), root_requirements(std::move(reqs)) {
    base_env = opts.environment;
    base_env.values.insert_or_assign("extra", "");
    if (!opts.force_reinstall) {
        for (const auto& d : opts.installed) {
            installed.emplace(core::normalize_name(d.name), d.version);
        }
    }
}

solver::solver(std::vector<core::requirement> requirements, resolve_options options)
    : impl_(std::make_unique<impl>(std::move(requirements), std::move(options))) {}
solver::~solver() = default;
solver::solver(solver&&) noexcept = default;
solver& solver::operator=(solver&&) noexcept = default;

step_result solver::step() {
    return impl_->step();
}

const statistics& solver::stats() const {
    return impl_->stats;
}

std::vector<pin> solver::take_tentative_pins() {
    return std::exchange(impl_->tentative, {});
}

void solver::provide(versions_response r) {
    const std::string key = versions_key(core::normalize_name(r.name), r.url);
    if (impl_->versions.contains(key)) {
        return;
    }
    impl::versions_entry e;
    if (auto* u = std::get_if<unavailable>(&r.result)) {
        e.missing = std::move(*u);
    } else {
        e.candidates = std::move(std::get<std::vector<candidate>>(r.result));
        std::stable_sort(
            e.candidates.begin(), e.candidates.end(),
            [](const candidate& a, const candidate& b) { return a.version < b.version; });
        auto last = std::unique(
            e.candidates.begin(), e.candidates.end(),
            [](const candidate& a, const candidate& b) { return a.version == b.version; });
        e.candidates.erase(last, e.candidates.end());
    }
    impl_->versions.emplace(key, std::move(e));
}

void solver::provide(metadata_response r) {
    impl_->metadata.emplace(metadata_key(core::normalize_name(r.name), r.version, r.url),
                            std::move(r.result));
}

step_result solver::impl::step() {
    ++stats.steps;
    if (final_result) {
        return *final_result;
    }
    if (current == stage::start) {
        add_root_facts();
        current = stage::propagate;
        next = root_package;
    }
    for (;;) {
        if (current == stage::propagate) {
            if (auto terminal = propagate(next)) {
                final_result = make_failure(*terminal);
                current = stage::done;
                return *final_result;
            }
            current = stage::choose;
        }
        choice c = choose();
        switch (c.k) {
        case choice::kind::need:
            return std::move(c.wanted);
        case choice::kind::propagate:
            next = c.package;
            current = stage::propagate;
            break;
        case choice::kind::done:
            final_result = make_solution();
            current = stage::done;
            return *final_result;
        }
    }
}

std::optional<std::string> solver::impl::url_of(const std::string& name) const {
    auto it = names.find(name);
    return it == names.end() ? std::nullopt : it->second.url;
}

const solver::impl::versions_entry* solver::impl::find_versions(const std::string& name) const {
    auto it = versions.find(versions_key(name, url_of(name)));
    return it == versions.end() ? nullptr : &it->second;
}

const std::variant<dist_metadata, unavailable>*
solver::impl::find_metadata(const std::string& name, const core::version& v) const {
    auto it = metadata.find(metadata_key(name, v, url_of(name)));
    return it == metadata.end() ? nullptr : &it->second;
}

detail::selection_policy solver::impl::policy_for(const package_key& key) const {
    detail::selection_policy p;
    auto info = names.find(key.name);
    const bool direct = info != names.end() && info->second.direct;
    p.prefer_lowest = opts.strategy == resolution_strategy::lowest ||
                      (opts.strategy == resolution_strategy::lowest_direct && direct);
    p.allow_prereleases = opts.allow_prereleases || opts.prerelease_packages.contains(key.name) ||
                          (info != names.end() && info->second.named_prerelease);
    p.pinned = info != names.end() && info->second.pinned;
    p.python = &opts.python_version;
    auto inst = installed.find(key.name);
    const bool upgrading =
        opts.upgrade_eager || opts.upgrade_packages.contains(key.name) || (opts.upgrade && direct);
    if (inst != installed.end() && !upgrading) {
        p.installed = &inst->second;
    }
    return p;
}

// Decision order: the root, then packages narrowed to one version, then those that took
// part in the most conflicts, then discovery order. All of it follows from the inputs.
std::optional<package_id> solver::impl::next_package() const {
    std::optional<package_id> best;
    std::tuple<int, std::int64_t, package_id> best_key{};
    partial.for_each_pending([&](package_id p, const term& t) {
        const int narrowed = (p == root_package) ? 0 : (t.set.as_singleton() ? 1 : 2);
        const auto conflicts =
            -static_cast<std::int64_t>(p < conflict_count.size() ? conflict_count[p] : 0);
        std::tuple<int, std::int64_t, package_id> key{narrowed, conflicts, p};
        if (!best || key < best_key) {
            best = p;
            best_key = key;
        }
    });
    return best;
}

needs solver::impl::make_needs(request required) const {
    needs n;
    n.required.push_back(std::move(required));
    partial.for_each_pending([&](package_id p, const term& t) {
        const package_key& key = packages.key(p);
        if (key.is_root()) {
            return;
        }
        const auto url = url_of(key.name);
        const versions_entry* e = find_versions(key.name);
        if (e == nullptr) {
            request r = versions_request{key.name, url};
            if (r != n.required.front() &&
                std::find(n.prefetch.begin(), n.prefetch.end(), r) == n.prefetch.end()) {
                n.prefetch.push_back(std::move(r));
            }
            return;
        }
        auto s = detail::select_candidate(e->candidates, t.set, policy_for(key));
        if (s.k == detail::selection::kind::chosen && !find_metadata(key.name, s.version)) {
            request r = metadata_request{key.name, s.version, url};
            if (r != n.required.front() &&
                std::find(n.prefetch.begin(), n.prefetch.end(), r) == n.prefetch.end()) {
                n.prefetch.push_back(std::move(r));
            }
        }
    });
    return n;
}

solver::impl::choice solver::impl::choose() {
    choice out;
    auto picked = next_package();
    if (!picked) {
        out.k = choice::kind::done;
        return out;
    }
    const package_id p = *picked;
    out.package = p;
    out.k = choice::kind::propagate;
    const term& allowed = *partial.accumulated(p);
    if (p == root_package) {
        const bool conflict = add_dependencies(p, core::version{}, dist_metadata{});
        if (!conflict) {
            partial.decide(p, core::version{});
            ++stats.decisions;
        }
        return out;
    }
    const package_key key = packages.key(p);
    const auto url = url_of(key.name);
    const versions_entry* e = find_versions(key.name);
    if (e == nullptr) {
        out.k = choice::kind::need;
        out.wanted = make_needs(versions_request{key.name, url});
        return out;
    }
    if (e->missing) {
        add(incompatibility::fact({term{p, version_set::full(), true}}, incompat_kind::unavailable,
                                  e->missing->describe()));
        return out;
    }
    const auto sel = detail::select_candidate(e->candidates, allowed.set, policy_for(key));
    if (sel.k == detail::selection::kind::none) {
        add(incompatibility::fact({term{p, allowed.set, true}}, incompat_kind::no_versions,
                                  sel.reason));
        return out;
    }
    if (sel.k == detail::selection::kind::unusable) {
        add(incompatibility::fact({term{p, sel.range, true}}, incompat_kind::unavailable,
                                  sel.reason));
        return out;
    }
    // The version to try next: whether its metadata is here or must be asked for, this is
    // the moment it becomes a tentative pin (its download may start now).
    tentative.push_back(pin{key.name, sel.version, {}, url, sel.installed});
    const auto* md = find_metadata(key.name, sel.version);
    if (md == nullptr) {
        out.k = choice::kind::need;
        out.wanted = make_needs(metadata_request{key.name, sel.version, url});
        return out;
    }
    const version_set exact = version_set::singleton(sel.version);
    if (const auto* u = std::get_if<unavailable>(md)) {
        add(incompatibility::fact({term{p, exact, true}}, incompat_kind::unavailable,
                                  u->describe()));
        return out;
    }
    const auto& m = std::get<dist_metadata>(*md);
    if (m.requires_python && !sel.installed &&
        !m.requires_python->contains(opts.python_version, true)) {
        add(incompatibility::fact({term{p, exact, true}}, incompat_kind::unavailable,
                                  "requires Python" + m.requires_python->to_string() +
                                      " and the target Python is " +
                                      opts.python_version.to_string()));
        return out;
    }
    if (!add_dependencies(p, sel.version, m)) {
        partial.decide(p, sel.version);
        ++stats.decisions;
    }
    return out;
}

solution solver::impl::make_solution() const {
    solution out;
    std::map<std::string, pin> pins;
    for (const auto& a : partial.assignments()) {
        if (!a.is_decision() || a.t.package == root_package) {
            continue;
        }
        const package_key& key = packages.key(a.t.package);
        pin& pn = pins[key.name];
        pn.name = key.name;
        pn.version = *a.t.set.as_singleton();
        if (!key.extra.empty()) {
            pn.extras.push_back(key.extra);
        }
        pn.url = url_of(key.name);
        auto inst = installed.find(key.name);
        pn.installed = inst != installed.end() && inst->second == pn.version &&
                       policy_for(key).installed != nullptr;
    }
    for (auto& [name, pn] : pins) {
        std::sort(pn.extras.begin(), pn.extras.end());
        out.pins.push_back(std::move(pn));
    }
    out.stats = stats;
    out.stats.incompatibilities = incompats.size();
    return out;
}

failure solver::impl::make_failure(incompat_id root_cause) {
    failure f;
    report_context ctx{packages, incompats,
                       [this](const std::string& name) -> std::vector<core::version> {
                           std::vector<core::version> out;
                           if (const versions_entry* e = find_versions(name)) {
                               for (const auto& c : e->candidates) {
                                   out.push_back(c.version);
                               }
                           }
                           return out;
                       }};
    f.explanation = explain(ctx, root_cause);
    f.hints = hints(ctx, root_cause, opts.allow_prereleases);
    f.stats = stats;
    f.stats.incompatibilities = incompats.size();
    return f;
}

} // namespace actpip::resolver
