#pragma once
// Test support: resolver scenarios as small text files (root requirements, options, a
// package universe, the expected outcome). Format, one statement per line, `#` comments:
//
//   python 3.12                   target interpreter (markers and Requires-Python)
//   option pre | lowest | lowest-direct | no-deps | upgrade | upgrade-eager | force-reinstall
//   option pre-package NAME | upgrade-package NAME
//   installed NAME VERSION
//   root REQUIREMENT              constraint REQUIREMENT
//   package NAME VERSION [yanked] [requires-python SPEC] [unusable REASON...]
//     requires REQUIREMENT        (indented lines belong to the package above)
//     extra NAME
//     metadata-unavailable
//   missing NAME [offline]
//   url NAME URL VERSION          (followed by `requires` lines like a package)
//   expect NAME VERSION           expect unsatisfiable           expect satisfiable
//   skip REASON                   deviation REASON   (a documented difference from uv)

#include "actpip/resolver/memory_provider.hpp"
#include "actpip/resolver/solver.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace actpip::resolver::test {

struct scenario {
    std::string name;
    std::vector<core::requirement> root;
    resolve_options options;
    memory_provider universe;
    bool expect_success = true;
    bool check_pins = true;                      // false for `expect satisfiable`
    std::map<std::string, std::string> expected; // name -> version text
    std::optional<std::string> skip;
    std::optional<std::string> deviation;
};

core::result<scenario> load_scenario(const std::filesystem::path& file);

// The marker environment of CPython `python` ("3.12" or "3.9.18") on x86_64 Linux.
resolve_options target_for(const std::string& python);

// "a 1.0.0, b 2.0" for messages; versions normalized.
std::string describe(const solution& s);

} // namespace actpip::resolver::test
