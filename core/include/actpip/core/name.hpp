#pragma once
// Distribution names: PEP 503 normalization and PEP 508 validity.

#include "actpip/core/error.hpp"

#include <string>
#include <string_view>

namespace actpip::core {

// "Foo.Bar_baz" -> "foo-bar-baz": runs of -, _ and . become one -, lower-cased.
std::string normalize_name(std::string_view name);

// PEP 508 names: ASCII letters and digits, with ., -, _ inside; must start and end with a
// letter or digit.
bool is_valid_name(std::string_view name);

// A validated, normalized name (what indexes, caches and the resolver key on).
result<std::string> parse_name(std::string_view name);

} // namespace actpip::core
