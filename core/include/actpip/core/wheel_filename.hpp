#pragma once
// PEP 427 wheel filenames, {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl, parsed
// exactly as packaging 21.3's utils.parse_wheel_filename (the one pip 23.2.1 vendors).

#include "actpip/core/error.hpp"
#include "actpip/core/tags.hpp"
#include "actpip/core/version.hpp"

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

// A build tag: leading digits, then the rest ("1000abc" -> 1000, "abc"). Ordered as
// packaging's (int, str) tuple: numerically, then by the suffix.
struct build_tag {
    // Python's int() of the digits in ASCII without leading zeros ("0" for zero), so any size
    // is exact; non-ASCII decimal digits ("١٢") count, as Python's `\d` and int() take them.
    std::string number;
    std::string suffix;

    std::string to_string() const { return number + suffix; }

    friend std::strong_ordering operator<=>(const build_tag& a, const build_tag& b);
    friend bool operator==(const build_tag&, const build_tag&) = default;
};

struct wheel_filename {
    std::string name; // normalized (PEP 503): "foo-bar"
    core::version version;
    std::optional<build_tag> build;
    std::vector<tag> tags; // the compressed tag set expanded, see parse_tag
    // The three tag fields as written, compressed sets included ("py2.py3", "none", "any").
    std::string python_tag;
    std::string abi_tag;
    std::string platform_tag;

    // "foo_bar-1.0-1abc-py2.py3-none-any.whl": the name with '-' as '_', the normalized
    // version, the build tag and the tag fields as written. Parsing it gives back the same
    // name, version, build and tags.
    std::string to_string() const;
};

// packaging 21.3's rules, odd ones included: the name must match Python's
// re.match(r"^[\w\d._]*$") with Unicode \w (so it may be empty, or end in one "\n", which `$`
// allows) and not contain "__"; the build tag must start with a (Unicode) decimal digit, and
// its suffix ends at a newline (`.` does not match one); the version is PEP 440
// (version::parse); more than 4,300 build digits are an error, as Python's int() limit
// makes them.
result<wheel_filename> parse_wheel_filename(std::string_view filename);

} // namespace actpip::core
