#pragma once
// Python's view of Unicode where packaging's regular expressions depend on it: which code
// points `\w` and `\d` match in a `str` pattern, and the digit values `int()` gives them.
// Private to core; the tables come from CPython 3.11 (Unicode 14.0), the interpreter the
// conformance vectors were made with.

#include <cstddef>
#include <optional>
#include <string_view>

namespace actpip::core::detail {

struct utf8_char {
    char32_t code = 0;
    std::size_t size = 0; // bytes
};

// Decodes the code point starting at text[pos]; nullopt for malformed UTF-8 (overlong forms,
// surrogates and values past U+10FFFF included) or pos at the end.
std::optional<utf8_char> decode_utf8(std::string_view text, std::size_t pos);

// Python `re` `\w` on str: letters, digits, numerics and the underscore.
bool is_py_word(char32_t c);

// Python `re` `\d` on str (Unicode category Nd): the digit's value 0-9, or -1.
int py_decimal_value(char32_t c);

} // namespace actpip::core::detail
