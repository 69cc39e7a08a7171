#pragma once
// PEP 508 dependency specifications: name, extras, version specifiers or a URL, markers.

#include "actpip/core/error.hpp"
#include "actpip/core/marker.hpp"
#include "actpip/core/specifier.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

struct requirement {
    std::string name;                // as written
    std::vector<std::string> extras; // as written, sorted and de-duplicated
    specifier_set specifiers;
    std::optional<std::string> url; // `name @ url`
    std::optional<core::marker> marker;

    static result<requirement> parse(std::string_view text);

    std::string normalized_name() const;
    // Whether the markers hold for `env` (always true without markers). Evaluation errors
    // count as false, as pip does for dependencies.
    bool applies_to(const marker_environment& env) const;
    std::string to_string() const; // name[extras]specifiers @ url ; marker
};

} // namespace actpip::core
