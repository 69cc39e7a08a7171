#include "actpip/storage/cache_budget.hpp"

#include "actpip/storage/cache_wheels.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

std::uint64_t tree_bytes(const fs::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec))
            total += it->file_size(ec);
    return total;
}

struct stored_wheel {
    fs::path path;
    std::string sha256;
    std::uint64_t bytes = 0; // the wheel and its unpacked tree
    fs::file_time_type used;
};

// Every stored wheel (<wheels>/<ab>/<sha256>) with what it costs, least recently used first.
std::vector<stored_wheel> stored_wheels(const cache_layout& layout) {
    std::vector<stored_wheel> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(layout.wheels_dir(), ec), end; !ec && it != end;
         it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        auto name = it->path().filename().string();
        if (name.size() != 64 || name.find_first_not_of("0123456789abcdef") != std::string::npos)
            continue; // temporary files are prune's
        stored_wheel w;
        w.path = it->path();
        w.sha256 = name;
        w.bytes = it->file_size(ec) + tree_bytes(layout.unpacked_dir() / name);
        w.used = fs::last_write_time(it->path(), ec);
        out.push_back(std::move(w));
    }
    std::sort(out.begin(), out.end(),
              [](const stored_wheel& a, const stored_wheel& b) { return a.used < b.used; });
    return out;
}

} // namespace

std::uint64_t evictable_bytes(const cache_layout& layout) {
    return tree_bytes(layout.wheels_dir()) + tree_bytes(layout.unpacked_dir());
}

core::result<cache_removal> evict_to_budget(const cache_layout& layout, std::uint64_t budget,
                                            const std::set<std::string>& in_use) {
    cache_removal report;
    auto total = evictable_bytes(layout);
    for (const auto& w : stored_wheels(layout)) {
        if (total <= budget)
            break;
        if (in_use.contains(w.sha256))
            continue;
        std::error_code ec;
        // The tree first: a tree without its wheel would be prune's to clean up.
        fs::remove_all(layout.unpacked_dir() / w.sha256, ec);
        if (!fs::remove(w.path, ec) || ec)
            continue;
        total = w.bytes > total ? 0 : total - w.bytes;
        report.files += 1;
        report.bytes += w.bytes;
        report.removed.push_back(w.path.string());
    }
    return report;
}

void mark_used(const cache_layout& layout, const std::string& sha256) {
    if (auto w = find_cached_wheel(layout, sha256)) {
        std::error_code ec;
        fs::last_write_time(w->path, fs::file_time_type::clock::now(), ec);
    }
}

} // namespace actpip::storage
