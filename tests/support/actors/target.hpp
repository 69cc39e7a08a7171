#pragma once
// The target the actor tests resolve and fetch for: CPython 3.11 on Linux x86_64, pure
// wheels (py3-none-any) only.

#include "actpip/actors/fetch_options.hpp"
#include "actpip/core/tags.hpp"
#include "actpip/resolver/options.hpp"

#include <string>
#include <vector>

namespace actpip::test {

inline core::marker_environment linux_py311_markers() {
    core::marker_environment m;
    m.values = {{"python_version", "3.11"},         {"python_full_version", "3.11.7"},
                {"sys_platform", "linux"},          {"os_name", "posix"},
                {"platform_machine", "x86_64"},     {"platform_system", "Linux"},
                {"implementation_name", "cpython"}, {"extra", ""}};
    return m;
}

inline resolver::resolve_options linux_py311() {
    resolver::resolve_options o;
    o.environment = linux_py311_markers();
    o.python_version = *core::version::parse("3.11.7");
    return o;
}

// The fetch side's options for `index_urls` (no disk cache, no crawl unless asked).
inline actors::fetch_options fetch_options_for(std::vector<std::string> index_urls,
                                               bool crawl = false) {
    actors::fetch_options o;
    o.index_urls = std::move(index_urls);
    std::vector<core::tag> tags{core::tag("py3", "none", "any")};
    o.policy.tags = core::tag_ranker(tags);
    o.policy.python_version = *core::version::parse("3.11.7");
    o.environment = linux_py311_markers();
    o.crawl = crawl;
    return o;
}

} // namespace actpip::test
