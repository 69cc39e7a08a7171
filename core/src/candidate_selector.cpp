#include "actpip/core/candidate_selector.hpp"

#include "actpip/core/name.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace actpip::core {

namespace {

void add_formats(std::string_view value, std::set<std::string>& target,
                 std::set<std::string>& other) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= value.size()) {
        auto comma = value.find(',', start);
        auto item =
            value.substr(start, comma == std::string_view::npos ? value.npos : comma - start);
        items.emplace_back(item);
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    // pip's handle_mutual_excludes: ":all:" resets both sets, ":none:" clears the target.
    for (const auto& item : items) {
        if (item == ":all:") {
            other.clear();
            target.clear();
            target.insert(":all:");
        } else if (item == ":none:") {
            target.clear();
        } else if (!item.empty()) {
            auto name = normalize_name(item);
            other.erase(name);
            target.insert(name);
        }
    }
}

bool is_pinned(const specifier_set& specifiers) {
    return std::ranges::any_of(specifiers.clauses(), [](const specifier& s) {
        return (s.op() == spec_op::equal && !s.wildcard()) || s.op() == spec_op::arbitrary;
    });
}

std::optional<rejection> check(const candidate& c, const specifier_set& specifiers,
                               const selection_policy& policy, bool pinned) {
    if (!specifiers.contains(c.version, true)) {
        return rejection::specifier;
    }
    if (c.is_wheel()) {
        if (!policy.formats.allows_wheel(c.name)) {
            return rejection::binary_not_allowed;
        }
        if (!c.wheel || !policy.tags.is_compatible(c.wheel->tags)) {
            return rejection::incompatible_tags;
        }
    } else if (!policy.allow_sdists || !policy.formats.allows_sdist(c.name)) {
        return rejection::source_not_allowed;
    }
    if (c.file.requires_python) {
        // An invalid Requires-Python is ignored, as pip does.
        auto rp = specifier_set::parse(*c.file.requires_python);
        // pip checks the release only ("3.13.0" for 3.13.0rc1), so a pre-release Python
        // satisfies ">=3.13".
        auto python = version::from(policy.python_version.release());
        if (rp && !rp->contains(python, true)) {
            return rejection::requires_python;
        }
    }
    if (c.file.yanked && !pinned) {
        return rejection::yanked;
    }
    return std::nullopt;
}

std::size_t tag_rank(const candidate& c, const selection_policy& policy) {
    if (!c.wheel) {
        return std::numeric_limits<std::size_t>::max();
    }
    return policy.tags.best_rank(c.wheel->tags).value_or(std::numeric_limits<std::size_t>::max());
}

// Better first: not yanked, newer, wheel, better tag, higher build tag.
bool better(const candidate& a, const candidate& b, const selection_policy& policy) {
    if (a.file.yanked != b.file.yanked) {
        return !a.file.yanked;
    }
    if (auto order = a.version <=> b.version; order != 0) {
        return order > 0;
    }
    if (a.is_wheel() != b.is_wheel()) {
        return a.is_wheel();
    }
    auto ra = tag_rank(a, policy);
    auto rb = tag_rank(b, policy);
    if (ra != rb) {
        return ra < rb;
    }
    std::optional<build_tag> ba = a.wheel ? a.wheel->build : std::nullopt;
    std::optional<build_tag> bb = b.wheel ? b.wheel->build : std::nullopt;
    return ba > bb;
}

std::string describe(const rejected_candidate& r, const selection_policy& policy) {
    std::string why;
    switch (r.why) {
    case rejection::incompatible_tags:
        why = "no compatible tag";
        break;
    case rejection::requires_python:
        why = "requires Python " + r.what.file.requires_python.value_or("?") + ", target is " +
              policy.python_version.to_string();
        break;
    case rejection::yanked:
        why = "yanked" +
              (r.what.file.yanked_reason ? " (" + *r.what.file.yanked_reason + ")" : std::string());
        break;
    case rejection::source_not_allowed:
        why =
            policy.formats.allows_sdist(r.what.name) ? "sdist" : "sdist, excluded by --only-binary";
        break;
    default:
        why = std::string(to_string(r.why));
        break;
    }
    return r.what.file.filename + " (" + why + ")";
}

} // namespace

void format_control::add_no_binary(std::string_view value) {
    add_formats(value, no_binary, only_binary);
}

void format_control::add_only_binary(std::string_view value) {
    add_formats(value, only_binary, no_binary);
}

bool format_control::allows_wheel(std::string_view name) const {
    auto n = normalize_name(name);
    if (only_binary.contains(n)) {
        return true;
    }
    if (no_binary.contains(n)) {
        return false;
    }
    return only_binary.contains(":all:") || !no_binary.contains(":all:");
}

bool format_control::allows_sdist(std::string_view name) const {
    auto n = normalize_name(name);
    if (only_binary.contains(n)) {
        return false;
    }
    if (no_binary.contains(n)) {
        return true;
    }
    return !only_binary.contains(":all:");
}

std::string_view to_string(rejection why) {
    switch (why) {
    case rejection::incompatible_tags:
        return "no compatible tag";
    case rejection::requires_python:
        return "Requires-Python excludes the target";
    case rejection::yanked:
        return "yanked";
    case rejection::prerelease:
        return "pre-release";
    case rejection::specifier:
        return "version not requested";
    case rejection::binary_not_allowed:
        return "wheel, excluded by --no-binary";
    case rejection::source_not_allowed:
        return "sdist";
    }
    return "rejected";
}

std::vector<const candidate*> candidate_selection::best_per_version() const {
    std::vector<const candidate*> out;
    for (const auto& c : applicable) {
        bool seen =
            std::ranges::any_of(out, [&](const candidate* o) { return o->version == c.version; });
        if (!seen) {
            out.push_back(&c);
        }
    }
    std::ranges::stable_sort(
        out, [](const candidate* a, const candidate* b) { return a->version > b->version; });
    return out;
}

candidate_selection select_candidates(std::span<const candidate> candidates,
                                      const specifier_set& specifiers,
                                      const selection_policy& policy) {
    candidate_selection out;
    bool pinned = is_pinned(specifiers);
    std::vector<candidate> survivors;
    for (const auto& c : candidates) {
        if (auto why = check(c, specifiers, policy, pinned)) {
            out.rejected.push_back({c, *why});
        } else {
            survivors.push_back(c);
        }
    }
    // Pre-releases: allowed by --pre or by a clause that names one; otherwise only when
    // nothing else remains (packaging's SpecifierSet.filter).
    bool allow_pre = policy.allow_prereleases || specifiers.prereleases().value_or(false) ||
                     std::ranges::none_of(
                         survivors, [](const candidate& c) { return !c.version.is_prerelease(); });
    for (auto& c : survivors) {
        if (!allow_pre && c.version.is_prerelease()) {
            out.rejected.push_back({std::move(c), rejection::prerelease});
        } else {
            out.applicable.push_back(std::move(c));
        }
    }
    std::ranges::stable_sort(out.applicable, [&](const candidate& a, const candidate& b) {
        return better(a, b, policy);
    });
    return out;
}

result<candidate> best_candidate(std::string_view name, std::span<const candidate> candidates,
                                 const specifier_set& specifiers, const selection_policy& policy) {
    auto selection = select_candidates(candidates, specifiers, policy);
    if (const auto* best = selection.best()) {
        return *best;
    }
    std::string project = normalize_name(name);
    std::string wanted = project + (specifiers.empty() ? "" : specifiers.to_string());
    // The closest candidates: those of a requested version, newest first.
    std::vector<rejected_candidate> closest;
    for (const auto& r : selection.rejected) {
        if (r.why != rejection::specifier) {
            closest.push_back(r);
        }
    }
    std::ranges::stable_sort(
        closest, [](const auto& a, const auto& b) { return a.what.version > b.what.version; });
    bool sdist_would_do = std::ranges::any_of(closest, [&](const rejected_candidate& r) {
        return r.why == rejection::source_not_allowed && policy.formats.allows_sdist(r.what.name);
    });
    error e;
    if (candidates.empty()) {
        e = error{errc::not_found, "no distributions of " + project + " were found"};
    } else if (sdist_would_do) {
        e = error{errc::unsupported, "no wheel of " + wanted +
                                         " matches this environment; building sdists is not "
                                         "supported yet"};
    } else {
        e = error{errc::not_found, "no distribution of " + wanted + " matches this environment"};
    }
    constexpr std::size_t max_listed = 5;
    for (std::size_t i = 0; i < closest.size() && i < max_listed; ++i) {
        e.add_hint("closest candidate: " + describe(closest[i], policy));
    }
    if (closest.empty() && !candidates.empty()) {
        std::vector<version> versions;
        for (const auto& c : candidates) {
            if (std::ranges::find(versions, c.version) == versions.end()) {
                versions.push_back(c.version);
            }
        }
        std::ranges::sort(versions, std::greater<>());
        std::string list;
        for (std::size_t i = 0; i < versions.size() && i < 10; ++i) {
            list += (i ? ", " : "") + versions[i].to_string();
        }
        e.add_hint("available versions: " + list);
    }
    return std::unexpected(std::move(e));
}

} // namespace actpip::core
