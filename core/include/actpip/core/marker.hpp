#pragma once
// PEP 508 environment markers: parsing, printing as packaging does, and evaluation.

#include "actpip/core/error.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

// The values of the marker variables (python_version, sys_platform, ..., and extra).
// A variable missing from the map makes a marker that uses it fail with
// errc::undefined_environment_name.
struct marker_environment {
    std::map<std::string, std::string, std::less<>> values;

    // This environment with `extra` set (extras are normalized when compared).
    marker_environment with_extra(std::string_view extra) const;
};

class marker {
public:
    struct node; // the expression tree; defined in the source file

    marker();
    static result<marker> parse(std::string_view text);

    // true/false, or errc::undefined_comparison / errc::undefined_environment_name.
    // Versions compare as PEP 440 versions when the operator is a version comparison and
    // both sides parse; otherwise strings compare by the rules of packaging 21.3.
    result<bool> evaluate(const marker_environment& env) const;

    // The marker with `extra` substituted, simplified where possible; used to ask whether a
    // requirement can hold for an environment and any extra. Returns whether the marker may be
    // true for some value of `extra`.
    bool may_hold_for_some_extra(const marker_environment& env) const;

    // Printed as packaging prints it: `python_version >= "3.8" and (os_name == "nt")`.
    std::string to_string() const;
    bool empty() const;

private:
    std::shared_ptr<const node> root_; // immutable, so sharing is safe
};

} // namespace actpip::core
