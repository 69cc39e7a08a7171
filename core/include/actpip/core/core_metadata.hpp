#pragma once
// Core metadata (METADATA in wheels, PKG-INFO in sdists), Metadata-Version 1.0 to 2.4.
//
// The text is RFC 822-style headers, read the way Python's email parser (compat32) reads
// them: `Name: value` lines, continuation lines starting with a space or tab, fields that may
// repeat, and after the first blank line a body that is the description. The fields the
// installer reasons about are typed; every other field is kept as written, in order.

#include "actpip/core/error.hpp"
#include "actpip/core/marker.hpp"
#include "actpip/core/requirement.hpp"
#include "actpip/core/specifier.hpp"
#include "actpip/core/version.hpp"

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace actpip::core {

// "2.1" as numbers.
struct metadata_version_number {
    unsigned major = 1;
    unsigned minor = 0;
    friend auto operator<=>(const metadata_version_number&,
                            const metadata_version_number&) = default;
};

// One Provides-Extra value: as written, and normalized as pip compares extras (PEP 685,
// the same rule as project names: "Use_Chardet.on-py3" -> "use-chardet-on-py3").
struct provided_extra {
    std::string raw;
    std::string normalized;
};

struct core_metadata {
    std::string metadata_version_text; // "2.1" as written
    metadata_version_number metadata_version;
    std::string name; // as written, validated as a PEP 508 name
    core::version version;
    std::vector<requirement> requires_dist; // in file order
    // Empty when absent. An invalid value is treated as absent with a warning, as pip does.
    specifier_set requires_python;
    std::vector<provided_extra> provides_extra; // in file order, without duplicates
    std::vector<std::string> dynamic;           // field names as written
    // The body after the blank line, or else the Description field with its continuation
    // indentation (8 spaces, or 7 spaces and `|`) removed.
    std::optional<std::string> description;
    // Every field not listed above (and the Description field), in file order, names as
    // written. Values of folded fields keep their line breaks and indentation, as Python's
    // email parser returns them.
    std::vector<std::pair<std::string, std::string>> other_fields;
    // Things tolerated but worth telling someone about ("invalid Requires-Python ignored").
    std::vector<std::string> warnings;

    // Parses METADATA / PKG-INFO text. `source` names the file in error messages
    // ("requests-2.32.3.dist-info/METADATA"). Missing or malformed Metadata-Version, Name or
    // Version, and any Requires-Dist that is not PEP 508, are errc::invalid_metadata errors
    // naming the field and the value.
    static result<core_metadata> parse(std::string_view text, std::string_view source = "METADATA");

    std::string normalized_name() const;
    // Whether the distribution declares `extra` (compared normalized).
    bool provides(std::string_view extra) const;
    // Values of a field kept in other_fields (case-insensitive name), in file order.
    std::vector<std::string> get_all(std::string_view field) const;
    std::optional<std::string> get(std::string_view field) const; // the first one
};

// The dependencies that apply to `env` when `extras` are requested, in Requires-Dist order,
// each once. As pip does it: a requirement applies when its marker holds with extra="" or
// with any requested extra that the distribution provides. Marker evaluation errors count
// as false. Requested extras the distribution does not provide are listed (as requested) so
// the caller can warn, as pip does.
struct applicable_dependencies {
    std::vector<requirement> requirements;
    std::vector<std::string> unknown_extras;
};

applicable_dependencies dependencies_for(const core_metadata& metadata,
                                         const marker_environment& env,
                                         const std::vector<std::string>& extras = {});

} // namespace actpip::core
