#include "support/files.hpp"

#include <fstream>
#include <sstream>

namespace actpip::test {

bool write_file(const std::filesystem::path& p, std::string_view content) {
    std::ofstream out(p, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return static_cast<bool>(out);
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::set<std::string> tree_of(const std::filesystem::path& root) {
    std::set<std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        auto rel = it->path().lexically_relative(root).generic_string();
        if (it->is_directory() && !it->is_symlink()) {
            if (std::filesystem::is_empty(it->path()))
                out.insert(rel + "/");
        } else {
            out.insert(rel);
        }
    }
    return out;
}

std::string payload(std::size_t size, std::uint32_t seed) {
    std::string s(size, '\0');
    std::uint32_t x = seed;
    for (auto& c : s) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>(x >> 24);
    }
    return s;
}

} // namespace actpip::test
