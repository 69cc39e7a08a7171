#include "actpip/core/html_entities.hpp"

#include <array>
#include <cstddef>
#include <utility>

namespace actpip::core {

namespace {

struct named_entity {
    std::string_view name;
    std::uint32_t code_point;
    bool legacy; // also recognized without the ';' (HTML5's legacy list)
};

constexpr std::array<named_entity, 18> named_entities{{
    {"amp", '&', true},
    {"lt", '<', true},
    {"gt", '>', true},
    {"quot", '"', true},
    {"apos", '\'', false},
    {"nbsp", 0xA0, true},
    {"copy", 0xA9, true},
    {"reg", 0xAE, true},
    {"hellip", 0x2026, false},
    {"ndash", 0x2013, false},
    {"mdash", 0x2014, false},
    {"lsquo", 0x2018, false},
    {"rsquo", 0x2019, false},
    {"ldquo", 0x201C, false},
    {"rdquo", 0x201D, false},
    {"sol", '/', false},
    {"num", '#', false},
    {"equals", '=', false},
}};

// Python's html._invalid_charrefs for 0x80-0x9F (0x81, 0x8D, 0x8F, 0x90, 0x9D map to
// themselves).
constexpr std::array<std::uint16_t, 32> windows_1252{
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int digit_value(char c, int base) {
    int v = -1;
    if (c >= '0' && c <= '9') {
        v = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
        v = c - 'A' + 10;
    }
    return v;
}

std::uint32_t checked_code_point(std::uint64_t value) {
    if (value >= 0x80 && value <= 0x9F) {
        return windows_1252[value - 0x80];
    }
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return 0xFFFD;
    }
    return static_cast<std::uint32_t>(value);
}

// Decodes the reference starting at text[i] == '&'. Returns the characters consumed (0 when
// it is not a reference).
std::size_t decode_reference(std::string_view text, std::size_t i, std::string& out) {
    std::size_t j = i + 1;
    if (j < text.size() && text[j] == '#') {
        ++j;
        int base = 10;
        if (j < text.size() && (text[j] == 'x' || text[j] == 'X')) {
            base = 16;
            ++j;
        }
        std::size_t start = j;
        std::uint64_t value = 0;
        while (j < text.size() && digit_value(text[j], base) >= 0) {
            if (value <= 0x10FFFF) {
                value = value * static_cast<std::uint64_t>(base) +
                        static_cast<std::uint64_t>(digit_value(text[j], base));
            }
            ++j;
        }
        if (j == start) {
            return 0;
        }
        if (j < text.size() && text[j] == ';') {
            ++j;
        }
        append_utf8(out, checked_code_point(value));
        return j - i;
    }
    std::size_t start = j;
    while (j < text.size() && is_ascii_alnum(text[j])) {
        ++j;
    }
    auto name = text.substr(start, j - start);
    bool semicolon = j < text.size() && text[j] == ';';
    for (const auto& entity : named_entities) {
        if (semicolon && name == entity.name) {
            append_utf8(out, entity.code_point);
            return j + 1 - i;
        }
    }
    // Legacy references without ';' match as a prefix ("&ampx" -> "&x"), as html.unescape.
    for (const auto& entity : named_entities) {
        if (entity.legacy && name.starts_with(entity.name)) {
            append_utf8(out, entity.code_point);
            return 1 + entity.name.size();
        }
    }
    return 0;
}

} // namespace

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string html_unescape(std::string_view text) {
    if (text.find('&') == std::string_view::npos) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            if (auto used = decode_reference(text, i, out); used > 0) {
                i += used;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

} // namespace actpip::core
