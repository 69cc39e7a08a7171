#pragma once
// Byte counts as people read them: "40 B", "877.0 KiB", "12.3 MiB".

#include <cstdint>
#include <cstdio>
#include <iterator>
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

} // namespace actpip::cli
