#pragma once
// Byte counts as people read and write them: "40 B", "877.0 KiB", "12.3 MiB"; "500M", "10G".

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <optional>
#include <string>

namespace actpip::cli {

inline std::string human_size(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(units)) {
        value /= 1024;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return buffer;
}

// "1048576", "500K", "500M", "10G", "1T" (powers of 1024; a trailing "B" or "iB" is allowed).
inline std::optional<std::uint64_t> parse_size(std::string text) {
    while (!text.empty() && (text.back() == 'B' || text.back() == 'b' || text.back() == 'i'))
        text.pop_back();
    if (text.empty())
        return std::nullopt;
    std::uint64_t scale = 1;
    switch (std::toupper(static_cast<unsigned char>(text.back()))) {
    case 'K':
        scale = 1ull << 10;
        break;
    case 'M':
        scale = 1ull << 20;
        break;
    case 'G':
        scale = 1ull << 30;
        break;
    case 'T':
        scale = 1ull << 40;
        break;
    default:
        break;
    }
    if (scale != 1)
        text.pop_back();
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
        text.size() > 12)
        return std::nullopt;
    return std::stoull(text) * scale;
}

} // namespace actpip::cli
