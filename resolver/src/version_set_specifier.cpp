// Specifier -> version_set, following packaging 21.3 operator by operator (see the header for
// the table and the three documented approximations).

#include "actpip/resolver/version_set.hpp"

#include "version_math.hpp"

namespace actpip::resolver {

namespace {

using detail::base_of;
using detail::prefix_end;
using detail::prefix_start;
using detail::successor_public;

version_set equal_to(const core::version& v) {
    if (v.has_local()) {
        return version_set::singleton(v); // ==1.0+abc matches exactly that version
    }
    return version_set::from_interval(cut::below(v), cut::below(successor_public(v)));
}

version_set prefix_match(const core::version& v, std::size_t segments) {
    return version_set::from_interval(cut::below(prefix_start(v, segments)),
                                      cut::below(prefix_end(v, segments)));
}

version_set less_than(const core::version& v) {
    if (v.is_prerelease()) {
        return version_set::below(v);
    }
    // Pre-releases of V's own release are excluded: <1.7 stops at 1.7.dev0.
    const core::version base_dev0 = prefix_start(v, v.release().size());
    version_set s = version_set::below(base_dev0);
    if (v.post()) {
        // <1.7.post2 also admits 1.7, 1.7+local and 1.7.post1 (approximation: and
        // 1.7.post1.devN, which packaging excludes).
        s = s.union_with(
            version_set::from_interval(cut::below(base_of(v)), cut::below(detail::with_dev(v, 0))));
    }
    return s;
}

version_set greater_than(const core::version& v) {
    const core::version base = base_of(v);
    version_set tail = version_set::from_interval(cut::above_base(base), cut::top());
    if (v.post()) {
        // >1.7.post1 admits 1.7.post2 and up (approximation: and their locals).
        return version_set::from_interval(cut::below(successor_public(v)), cut::top());
    }
    if (!v.is_prerelease()) {
        return tail; // >1.7 excludes 1.7.postN and 1.7+local
    }
    // >1.7a1: the later pre-releases and 1.7 itself, then everything above the 1.7 base.
    return version_set::from_interval(cut::below(successor_public(v)), cut::above(base))
        .union_with(tail);
}

std::size_t compatible_prefix_length(const core::version& v) {
    // packaging drops post/dev segments and counts a pre-release as its own segment, then
    // removes the last one: ~=1.4.5 -> 1.4.*, ~=1.4.5a4 -> 1.4.5.*, ~=1.4.5.post1 -> 1.4.*.
    const std::size_t n = v.release().size() + (v.pre() ? 1 : 0);
    return n - 1;
}

} // namespace

version_set version_set::from_specifier(const core::specifier& s) {
    const auto& parsed = s.parsed_version();
    if (!parsed) {
        return version_set::empty(); // === with a non-PEP 440 string matches no version
    }
    const core::version& v = *parsed;
    switch (s.op()) {
    case core::spec_op::equal:
        return s.wildcard() ? prefix_match(v, v.release().size()) : equal_to(v);
    case core::spec_op::not_equal:
        return (s.wildcard() ? prefix_match(v, v.release().size()) : equal_to(v)).complement();
    case core::spec_op::greater_equal:
        return at_least(v.without_local());
    case core::spec_op::less_equal:
        return from_interval(cut::bottom(), cut::below(successor_public(v.without_local())));
    case core::spec_op::less:
        return less_than(v.without_local());
    case core::spec_op::greater:
        return greater_than(v.without_local());
    case core::spec_op::compatible:
        return at_least(v).intersect(prefix_match(v, compatible_prefix_length(v)));
    case core::spec_op::arbitrary:
        return singleton(v);
    }
    return version_set::empty();
}

version_set version_set::from_specifiers(const core::specifier_set& s) {
    version_set out = full();
    for (const auto& clause : s.clauses()) {
        out = out.intersect(from_specifier(clause));
    }
    return out;
}

} // namespace actpip::resolver
