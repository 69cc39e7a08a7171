#pragma once
// Character classes of RFC 3986, shared by the URL parser and percent-encoding.

#include <string_view>

namespace actpip::net::detail {

constexpr bool is_alpha(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_hex(unsigned char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr int hex_value(char ch) {
    auto c = static_cast<unsigned char>(ch);
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}
constexpr bool is_unreserved(unsigned char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
constexpr bool is_sub_delim(unsigned char c) {
    return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
           c == '+' || c == ',' || c == ';' || c == '=';
}
constexpr bool is_pchar(unsigned char c) {
    return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@';
}
inline bool is_pct_encoded(std::string_view s, std::size_t i) {
    return i + 2 < s.size() && s[i] == '%' && is_hex(static_cast<unsigned char>(s[i + 1])) &&
           is_hex(static_cast<unsigned char>(s[i + 2]));
}

} // namespace actpip::net::detail
