#pragma once
// A token kept in a file (so that it is not on the command line, where `ps` shows it).

#include <fstream>
#include <optional>
#include <string>

namespace actpip::cli {

// The file's first line, without surrounding whitespace; nothing when unreadable or blank.
inline std::optional<std::string> read_token_file(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
        return std::nullopt;
    auto first = line.find_first_not_of(" \t\r");
    auto last = line.find_last_not_of(" \t\r");
    if (first == std::string::npos)
        return std::nullopt;
    return line.substr(first, last - first + 1);
}

} // namespace actpip::cli
