#pragma once
// ASCII whitespace handling shared by core's parsers (Python's str.strip() set for ASCII).

#include <string_view>

namespace actpip::core::detail {

inline bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_ascii_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace actpip::core::detail
