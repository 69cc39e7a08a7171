#include "actpip/net/percent_encoding.hpp"

#include "url_chars.hpp"

namespace actpip::net {

namespace {

bool keep(unsigned char c, encode_set set) {
    using namespace detail;
    switch (set) {
    case encode_set::unreserved:
        return is_unreserved(c);
    case encode_set::path:
        return is_pchar(c) || c == '/';
    case encode_set::query:
        return is_pchar(c) || c == '/' || c == '?';
    case encode_set::userinfo:
        return is_unreserved(c) || (is_sub_delim(c));
    }
    return false;
}

} // namespace

std::string percent_encode(std::string_view text, encode_set set) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        bool escape_kept = set != encode_set::unreserved && set != encode_set::userinfo &&
                           c == '%' && detail::is_pct_encoded(text, i);
        if (keep(c, set) || escape_kept) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

core::result<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (!detail::is_pct_encoded(text, i)) {
            return std::unexpected(core::parse_error(core::errc::network, "percent-encoding", text,
                                                     i, "'%' not followed by two hex digits"));
        }
        out.push_back(static_cast<char>(detail::hex_value(text[i + 1]) * 16 +
                                        detail::hex_value(text[i + 2])));
        i += 2;
    }
    return out;
}

std::string percent_decode_lenient(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && detail::is_pct_encoded(text, i)) {
            out.push_back(static_cast<char>(detail::hex_value(text[i + 1]) * 16 +
                                            detail::hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

} // namespace actpip::net
