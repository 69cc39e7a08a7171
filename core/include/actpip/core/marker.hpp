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

    // When set (by with_extra), comparisons that involve `extra` compare both sides normalized
    // as names (PEP 685, packaging 22+): `extra == "Foo_Bar"` holds for extra "foo-bar". When
    // clear, evaluation is exactly packaging 21.3's, which compares extras as plain strings.
    bool normalize_extra = false;

    // This environment with `extra` set (extras are normalized when compared).
    marker_environment with_extra(std::string_view extra) const;
};

struct marker_builder; // private to core

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
    // true for some value of `extra`: it is evaluated with `extra` set to each string the
    // marker compares it with and to one it never mentions, extras compared normalized as
    // with_extra() does; evaluation errors count as false.
    bool may_hold_for_some_extra(const marker_environment& env) const;

    // Printed as packaging 21.3 prints it: `python_version >= "3.8" and (os_name == "nt" or
    // os_name == "posix")`; variables canonical, strings in double quotes (not escaped), and
    // parentheses kept only around groups of several items (`((a or b)) and c` loses them).
    std::string to_string() const;
    bool empty() const;

private:
    std::shared_ptr<const node> root_; // immutable, so sharing is safe

    friend struct marker_builder;
};

} // namespace actpip::core
