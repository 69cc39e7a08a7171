#include "candidate_selector.hpp"

#include <algorithm>

namespace actpip::resolver::detail {

std::string unusable_reason(const candidate& c, const core::version& python) {
    if (c.unusable) {
        return c.unusable->describe();
    }
    if (c.requires_python && !c.requires_python->contains(python, true)) {
        return "requires Python" + c.requires_python->to_string() + " and the target Python is " +
               python.to_string();
    }
    return {};
}

selection select_candidate(const std::vector<candidate>& sorted, const version_set& allowed,
                           const selection_policy& policy) {
    selection out;
    if (policy.installed != nullptr && allowed.contains(*policy.installed)) {
        out.k = selection::kind::chosen;
        out.version = *policy.installed;
        out.installed = true;
        return out;
    }
    std::vector<std::size_t> in_range;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (!allowed.contains(sorted[i].version)) {
            continue;
        }
        in_range.push_back(i);
    }
    // Pre-releases: opted in, named by a specifier, or all the package has.
    const bool only_prereleases = std::all_of(
        sorted.begin(), sorted.end(), [](const candidate& c) { return c.version.is_prerelease(); });
    const bool allow_pre = policy.allow_prereleases || only_prereleases;
    std::vector<std::size_t> pool;
    for (std::size_t i : in_range) {
        if (allow_pre || !sorted[i].version.is_prerelease()) {
            pool.push_back(i);
        }
    }
    std::vector<std::size_t> usable;
    for (std::size_t i : pool) {
        if (!sorted[i].yanked) {
            usable.push_back(i);
        }
    }
    if (usable.empty() && policy.pinned) {
        usable = pool;
    }
    if (usable.empty()) {
        out.k = selection::kind::none;
        if (!pool.empty()) {
            out.reason = "only yanked versions match, and yanked versions are used only when "
                         "pinned with ==";
        } else if (!in_range.empty()) {
            out.reason = "only pre-releases match, and pre-releases are not allowed";
        }
        return out;
    }
    const std::size_t pick = policy.prefer_lowest ? usable.front() : usable.back();
    const std::string why = unusable_reason(sorted[pick], *policy.python);
    if (why.empty()) {
        out.k = selection::kind::chosen;
        out.version = sorted[pick].version;
        return out;
    }
    std::size_t lo = pick;
    std::size_t hi = pick;
    while (lo > 0 && unusable_reason(sorted[lo - 1], *policy.python) == why) {
        --lo;
    }
    while (hi + 1 < sorted.size() && unusable_reason(sorted[hi + 1], *policy.python) == why) {
        ++hi;
    }
    out.k = selection::kind::unusable;
    out.range =
        version_set::from_interval(cut::below(sorted[lo].version), cut::above(sorted[hi].version));
    out.reason = why;
    return out;
}

} // namespace actpip::resolver::detail
