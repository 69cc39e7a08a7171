#include "actpip/resolver/version_set.hpp"

#include "version_math.hpp"

#include <algorithm>
#include <optional>

namespace actpip::resolver {

using detail::compare_base;

bool cut::precedes(const core::version& x) const {
    switch (k) {
    case kind::bottom:
        return true;
    case kind::below:
        return x >= v;
    case kind::above:
        return x > v;
    case kind::above_base:
        return compare_base(x, v) > 0;
    case kind::top:
        return false;
    }
    return false;
}

std::strong_ordering operator<=>(const cut& a, const cut& b) {
    using k = cut::kind;
    if (a.k == k::bottom || b.k == k::bottom || a.k == k::top || b.k == k::top) {
        auto rank = [](k x) { return x == k::bottom ? 0 : x == k::top ? 2 : 1; };
        return rank(a.k) <=> rank(b.k);
    }
    if (a.k == k::above_base && b.k == k::above_base) {
        return compare_base(a.v, b.v);
    }
    if (a.k == k::above_base) {
        return compare_base(b.v, a.v) <= 0 ? std::strong_ordering::greater
                                           : std::strong_ordering::less;
    }
    if (b.k == k::above_base) {
        return compare_base(a.v, b.v) <= 0 ? std::strong_ordering::less
                                           : std::strong_ordering::greater;
    }
    if (auto c = a.v <=> b.v; c != 0) {
        return c;
    }
    return static_cast<int>(a.k) <=> static_cast<int>(b.k);
}

version_set version_set::full() {
    return from_interval(cut::bottom(), cut::top());
}

version_set version_set::singleton(const core::version& v) {
    return from_interval(cut::below(v), cut::above(v));
}

version_set version_set::at_least(const core::version& v) {
    return from_interval(cut::below(v), cut::top());
}

version_set version_set::below(const core::version& v) {
    return from_interval(cut::bottom(), cut::below(v));
}

version_set version_set::between(const core::version& lo, const core::version& hi) {
    return from_interval(cut::below(lo), cut::below(hi));
}

version_set version_set::from_interval(cut lo, cut hi) {
    version_set s;
    s.push(std::move(lo), std::move(hi));
    return s;
}

void version_set::push(cut lo, cut hi) {
    if (!(lo < hi)) {
        return;
    }
    if (!intervals_.empty() && intervals_.back().hi >= lo) {
        if (intervals_.back().hi < hi) {
            intervals_.back().hi = std::move(hi);
        }
        return;
    }
    intervals_.push_back(interval{std::move(lo), std::move(hi)});
}

bool version_set::is_full() const {
    return intervals_.size() == 1 && intervals_[0].lo.k == cut::kind::bottom &&
           intervals_[0].hi.k == cut::kind::top;
}

bool version_set::contains(const core::version& v) const {
    // First interval whose upper cut is not below v.
    auto it = std::partition_point(intervals_.begin(), intervals_.end(),
                                   [&](const interval& i) { return i.hi.precedes(v); });
    return it != intervals_.end() && it->lo.precedes(v);
}

const core::version* version_set::as_singleton() const {
    if (intervals_.size() == 1 && intervals_[0].lo.k == cut::kind::below &&
        intervals_[0].hi.k == cut::kind::above && intervals_[0].lo.v == intervals_[0].hi.v) {
        return &intervals_[0].lo.v;
    }
    return nullptr;
}

version_set version_set::complement() const {
    version_set out;
    cut prev = cut::bottom();
    for (const auto& i : intervals_) {
        out.push(prev, i.lo);
        prev = i.hi;
    }
    out.push(std::move(prev), cut::top());
    return out;
}

version_set version_set::union_with(const version_set& o) const {
    version_set out;
    out.intervals_.reserve(intervals_.size() + o.intervals_.size());
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < intervals_.size() || j < o.intervals_.size()) {
        const bool take_mine = j == o.intervals_.size() ||
                               (i < intervals_.size() && intervals_[i].lo <= o.intervals_[j].lo);
        const interval& next = take_mine ? intervals_[i++] : o.intervals_[j++];
        out.push(next.lo, next.hi);
    }
    return out;
}

version_set version_set::intersect(const version_set& o) const {
    version_set out;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < intervals_.size() && j < o.intervals_.size()) {
        const interval& a = intervals_[i];
        const interval& b = o.intervals_[j];
        const cut& lo = a.lo < b.lo ? b.lo : a.lo;
        const cut& hi = a.hi < b.hi ? a.hi : b.hi;
        out.push(lo, hi);
        if (a.hi < b.hi) {
            ++i;
        } else {
            ++j;
        }
    }
    return out;
}

bool version_set::is_subset_of(const version_set& o) const {
    return intersect(o) == *this;
}

bool version_set::is_disjoint(const version_set& o) const {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < intervals_.size() && j < o.intervals_.size()) {
        const interval& a = intervals_[i];
        const interval& b = o.intervals_[j];
        const cut& lo = a.lo < b.lo ? b.lo : a.lo;
        const cut& hi = a.hi < b.hi ? a.hi : b.hi;
        if (lo < hi) {
            return false;
        }
        if (a.hi < b.hi) {
            ++i;
        } else {
            ++j;
        }
    }
    return true;
}

namespace {

// The version w whose successor_public is v, when there is one.
std::optional<core::version> predecessor_public(const core::version& v) {
    if (!v.dev() || v.has_local()) {
        return std::nullopt;
    }
    if (*v.dev() > 0) {
        return detail::with_dev(v, *v.dev() - 1);
    }
    if (!v.post()) {
        return std::nullopt;
    }
    core::version_builder b;
    b.epoch(v.epoch()).release(v.release());
    if (v.pre()) {
        b.pre(v.pre()->kind, v.pre()->number);
    }
    if (*v.post() > 0) {
        b.post(*v.post() - 1);
    }
    return b.build();
}

// "==V", "==P.*" for the intervals that are exactly one equality clause; nullopt otherwise.
std::optional<std::string> equality_text(const interval& i) {
    if (i.lo.k != cut::kind::below) {
        return std::nullopt;
    }
    const core::version& lo = i.lo.v;
    if (i.hi.k == cut::kind::above && i.hi.v == lo) {
        return "==" + lo.to_string();
    }
    if (i.hi.k != cut::kind::below) {
        return std::nullopt;
    }
    if (auto p = predecessor_public(i.hi.v); p && *p == lo) {
        return "==" + lo.to_string();
    }
    if (detail::is_plain_dev0(lo) && detail::is_plain_dev0(i.hi.v)) {
        const std::size_t n = lo.release().size();
        if (detail::prefix_end(lo, n) == i.hi.v) {
            return "==" + lo.base_version() + ".*";
        }
    }
    return std::nullopt;
}

std::string interval_text(const interval& i) {
    if (auto eq = equality_text(i)) {
        return *eq;
    }
    std::string lower;
    switch (i.lo.k) {
    case cut::kind::below:
        lower = ">=" + i.lo.v.to_string();
        break;
    case cut::kind::above:
        lower = ">" + i.lo.v.to_string();
        break;
    case cut::kind::above_base:
        lower = ">" + i.lo.v.base_version();
        break;
    default:
        break;
    }
    std::string upper;
    switch (i.hi.k) {
    case cut::kind::below:
        if (detail::is_plain_dev0(i.hi.v)) {
            upper = "<" + i.hi.v.base_version();
        } else if (auto p = predecessor_public(i.hi.v)) {
            upper = "<=" + p->to_string();
        } else {
            upper = "<" + i.hi.v.to_string();
        }
        break;
    case cut::kind::above:
        upper = "<=" + i.hi.v.to_string();
        break;
    case cut::kind::above_base:
        upper = "<=" + i.hi.v.base_version() + ".post*";
        break;
    default:
        break;
    }
    if (lower.empty() && upper.empty()) {
        return "*";
    }
    if (lower.empty() || upper.empty()) {
        return lower + upper;
    }
    return lower + ", " + upper;
}

} // namespace

std::string version_set::to_string() const {
    if (intervals_.empty()) {
        return "<none>";
    }
    if (intervals_.size() >= 2 && intervals_.front().lo.k == cut::kind::bottom &&
        intervals_.back().hi.k == cut::kind::top) {
        std::string out;
        bool all_equalities = true;
        for (const auto& hole : complement().intervals_) {
            auto eq = equality_text(hole);
            if (!eq) {
                all_equalities = false;
                break;
            }
            out += (out.empty() ? "!" : ", !") + eq->substr(1);
        }
        if (all_equalities) {
            return out;
        }
    }
    std::string out;
    for (const auto& i : intervals_) {
        if (!out.empty()) {
            out += " | ";
        }
        out += interval_text(i);
    }
    return out;
}

} // namespace actpip::resolver
