#pragma once
// Private helpers that build the boundary versions interval arithmetic needs.

#include "actpip/core/version.hpp"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace actpip::resolver::detail {

// Epoch and release compared as PEP 440 does (trailing zeros do not matter).
std::strong_ordering compare_base(const core::version& a, const core::version& b);

// The epoch and release of `v` only: 1!2.0rc1.post3+x -> 1!2.0.
core::version base_of(const core::version& v);

// `v` without its local label, with `dev` replaced (used to build successors).
core::version with_dev(const core::version& v, std::uint64_t dev);

// The smallest version above v and every v+local (v has no local label):
// 1.0 -> 1.0.post0.dev0, 1.0.post2 -> 1.0.post3.dev0, 1.0a1.dev3 -> 1.0a1.dev4.
core::version successor_public(const core::version& v);

// The first `n` release segments of `v` (padded with zeros) with .dev0: (1.2.3, 2) -> 1.2.dev0.
core::version prefix_start(const core::version& v, std::size_t n);
// The smallest version above every version starting with those segments: (1.2.3, 2) ->
// 1.3.dev0.
core::version prefix_end(const core::version& v, std::size_t n);

// A final release ending in .dev0 with no pre or post part: 1.0.dev0 (what `<1.0` stops at).
bool is_plain_dev0(const core::version& v);

} // namespace actpip::resolver::detail
