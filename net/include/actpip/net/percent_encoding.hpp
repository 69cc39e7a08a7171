#pragma once
// Percent-encoding (RFC 3986 section 2.1) for URL components.

#include <string>
#include <string_view>

#include "actpip/core/error.hpp"

namespace actpip::net {

// Which characters are left alone by `percent_encode`; everything else becomes %XX.
enum class encode_set {
    unreserved, // ALPHA DIGIT - . _ ~ (a single path segment, a query key or value)
    path,       // unreserved, sub-delims, ':' '@' '/' and an existing '%XX' kept as is
    query,      // as path, plus '?'
    userinfo,   // unreserved, sub-delims except ':' and '@'
};

// Encodes every byte outside `set` as %XX (upper-case hex). UTF-8 is encoded byte by byte.
std::string percent_encode(std::string_view text, encode_set set = encode_set::unreserved);

// Decodes every %XX. A '%' not followed by two hex digits is an error.
core::result<std::string> percent_decode(std::string_view text);

// Like `percent_decode` but leaves a malformed '%' as it is (for display and lenient input).
std::string percent_decode_lenient(std::string_view text);

} // namespace actpip::net
