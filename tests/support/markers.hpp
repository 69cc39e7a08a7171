#pragma once
// The marker values of the target most tests resolve for: CPython 3.11 on Linux x86_64.

#include "actpip/core/marker.hpp"

namespace actpip::test {

inline core::marker_environment linux_py311_markers() {
    core::marker_environment m;
    m.values = {{"python_version", "3.11"},         {"python_full_version", "3.11.7"},
                {"sys_platform", "linux"},          {"os_name", "posix"},
                {"platform_machine", "x86_64"},     {"platform_system", "Linux"},
                {"implementation_name", "cpython"}, {"extra", ""}};
    return m;
}

} // namespace actpip::test
