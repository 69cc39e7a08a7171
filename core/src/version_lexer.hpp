#pragma once
// Private to core: the lexical layer of PEP 440 as `packaging` 21.3 implements it with Python
// regular expressions (re.IGNORECASE on str patterns, `\s`, str.strip()/lower()). Shared by
// version.cpp and specifier.cpp so both accept exactly the same texts.
//
// Python quirks reproduced on purpose:
// - whitespace is Unicode whitespace (str.isspace), e.g. U+00A0 and U+3000, not only ASCII;
// - case-insensitive letters also match four non-ASCII characters: U+0130 and U+0131 match
//   'i', U+017F matches 's', U+212A (Kelvin sign) matches 'k';
// - digits are ASCII only.

#include "actpip/core/version.hpp"

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace actpip::core::detail::pep440 {

// Length in bytes of the whitespace character (Python str.isspace) at s[pos]; 0 if none.
std::size_t space_length(std::string_view s, std::size_t pos);

// `s` without leading and trailing whitespace, and where it starts in `s`.
struct trimmed {
    std::size_t offset = 0;
    std::string_view text;
};
trimmed strip_spaces(std::string_view s);

// Index of the first whitespace character in `s`, or npos.
std::size_t find_space(std::string_view s);

// Length in bytes of the character at s[pos] when it matches the ASCII lower-case letter
// `lower` case-insensitively as Python's re does; 0 if it does not.
std::size_t match_letter(std::string_view s, std::size_t pos, char lower);

// Python's str.lower() for the characters a PEP 440 text can hold (ASCII, U+0130 -> "i̇",
// U+212A -> 'k'); other bytes are copied unchanged.
std::string python_lower(std::string_view s);

// The whole UTF-8 character starting at s[pos] (one byte when the text is not UTF-8).
std::string_view char_at(std::string_view s, std::size_t pos);

// Which part of the version grammar the text must match.
enum class version_grammar {
    full,         // Version: ... pre? post? dev? (+local)?
    no_dev_local, // before the `.*` of a wildcard specifier: ... pre? post?
};

struct scan_failure {
    std::size_t pos = 0; // into the scanned text
    std::string reason;
};

// Parses `text` (already stripped of surrounding whitespace) entirely as a PEP 440 version.
std::expected<version, scan_failure> scan_version(std::string_view text, version_grammar grammar);

} // namespace actpip::core::detail::pep440
