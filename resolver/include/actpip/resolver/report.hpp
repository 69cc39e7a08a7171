#pragma once
// Explanations of a failed resolution, derived from the incompatibility derivation tree the
// way pub and uv write them: one sentence per derivation step ("Because app depends on lib>=2
// and tool depends on lib<2, app and tool cannot be installed together."), steps that are
// used twice numbered and referred to by number, single-use chains collapsed into one
// sentence, and version ranges shortened to what the index has (all versions -> the bare
// name, the only matching version -> ==v).

#include "actpip/resolver/incompatibility.hpp"
#include "actpip/resolver/package.hpp"

#include <functional>
#include <string>
#include <vector>

namespace actpip::resolver {

struct report_context {
    const package_table& packages;
    const std::vector<incompatibility>& incompats;
    // The versions the index lists for a distribution (empty when unknown).
    std::function<std::vector<core::version>(const std::string&)> known_versions;
};

// The incompatibility as one clause: "a==1.0 depends on b>=2".
std::string describe(const report_context& ctx, const incompatibility& inc);

// The whole explanation, one sentence per line.
std::string explain(const report_context& ctx, incompat_id root);

// Advice drawn from the tree ("pre-releases of b match; use --pre to allow them").
std::vector<std::string> hints(const report_context& ctx, incompat_id root, bool pre_allowed);

} // namespace actpip::resolver
