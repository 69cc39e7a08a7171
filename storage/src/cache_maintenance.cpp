#include "actpip/storage/cache_maintenance.hpp"

#include "actpip/storage/atomic_file.hpp"
#include "actpip/storage/cache_entry.hpp"
#include "actpip/storage/cache_wheels.hpp"
#include "actpip/storage/file_lock.hpp"

#include <filesystem>
#include <optional>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

bool is_layout_version(const std::string& name) {
    if (name.size() < 2 || name[0] != 'v') {
        return false;
    }
    for (std::size_t i = 1; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') {
            return false;
        }
    }
    return true;
}

cache_kind kind_of(const cache_layout& layout, const fs::path& path) {
    if (is_temporary_name(path.filename().string())) {
        return cache_kind::temporary;
    }
    auto relative = path.lexically_relative(layout.versioned());
    auto first = relative.begin();
    if (relative.empty() || first == relative.end() || *first == "..") {
        return cache_kind::other;
    }
    auto top = first->string();
    if (top == "http") {
        return cache_kind::http;
    }
    if (top == "metadata") {
        return cache_kind::metadata;
    }
    if (top == "wheels") {
        return cache_kind::wheels;
    }
    if (top == "unpacked") {
        return cache_kind::unpacked;
    }
    return cache_kind::other;
}

// Sum of regular files under `path` (or the file itself).
cache_usage::amount size_of(const fs::path& path) {
    cache_usage::amount out;
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(path, ec))) {
        out.files = 1;
        out.bytes = fs::file_size(path, ec);
        return out;
    }
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            ++out.files;
            out.bytes += it->file_size(ec);
        }
    }
    return out;
}

core::result<void> remove_path(const fs::path& path, cache_removal& report, bool list) {
    auto amount = size_of(path);
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec) {
        return core::fail(core::errc::io, "cannot remove " + path.string() + ": " + ec.message());
    }
    report.files += amount.files;
    report.bytes += amount.bytes;
    if (list) {
        report.removed.push_back(path.string());
    }
    return {};
}

bool is_old(const fs::path& path, std::chrono::seconds age) {
    std::error_code ec;
    auto modified = fs::last_write_time(path, ec);
    return !ec && fs::file_time_type::clock::now() - modified >= age;
}

// Entries under a sharded directory (<dir>/<ab>/<key>): the ones to drop.
void prune_sharded(const cache_layout& layout, const fs::path& dir, bool check_entries,
                   const prune_options& options, std::vector<fs::path>& drop) {
    std::error_code ec;
    for (fs::directory_iterator shard(dir, ec), end; !ec && shard != end; shard.increment(ec)) {
        auto shard_name = shard->path().filename().string();
        if (is_temporary_name(shard_name)) {
            if (is_old(shard->path(), options.temporary_age)) {
                drop.push_back(shard->path());
            }
            continue;
        }
        if (!shard->is_directory(ec) || shard_name.size() != 2) {
            drop.push_back(shard->path());
            continue;
        }
        for (fs::directory_iterator it(shard->path(), ec); !ec && it != end; it.increment(ec)) {
            auto name = it->path().filename().string();
            if (is_temporary_name(name)) {
                if (is_old(it->path(), options.temporary_age)) {
                    drop.push_back(it->path());
                }
            } else if (!is_sha256_hex(name) || !name.starts_with(shard_name) ||
                       !it->is_regular_file(ec)) {
                drop.push_back(it->path());
            } else if (check_entries) {
                auto bytes = read_whole_file(it->path());
                if (!bytes || !decode_cache_entry(*bytes)) {
                    drop.push_back(it->path());
                }
            } else if (options.verify_wheels) {
                auto ok = verify_cached_wheel({it->path(), name, 0});
                if (ok && !*ok) {
                    drop.push_back(it->path());
                }
            }
        }
    }
    (void)layout;
}

} // namespace

std::string_view to_string(cache_kind kind) {
    switch (kind) {
    case cache_kind::http:
        return "http";
    case cache_kind::metadata:
        return "metadata";
    case cache_kind::wheels:
        return "wheels";
    case cache_kind::unpacked:
        return "unpacked";
    case cache_kind::temporary:
        return "temporary";
    case cache_kind::other:
        return "other";
    }
    return "other";
}

cache_usage::amount cache_usage::total() const {
    amount sum;
    for (const auto& a : by_kind) {
        sum.files += a.files;
        sum.bytes += a.bytes;
    }
    return sum;
}

core::result<cache_usage> measure_cache(const cache_layout& layout) {
    cache_usage usage;
    std::error_code ec;
    if (!fs::exists(layout.root(), ec)) {
        return usage;
    }
    fs::recursive_directory_iterator it(layout.root(), ec), end;
    if (ec) {
        return core::fail(core::errc::io,
                          "cannot read " + layout.root().string() + ": " + ec.message());
    }
    for (; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) {
            continue;
        }
        if (it->path().parent_path() == layout.root() ||
            it->path().parent_path() == layout.locks_dir()) {
            continue; // lock files
        }
        auto& amount = usage[kind_of(layout, it->path())];
        ++amount.files;
        amount.bytes += it->file_size(ec);
    }
    return usage;
}

core::result<cache_removal> clean_cache(const cache_layout& layout) {
    cache_removal report;
    std::error_code ec;
    if (!fs::exists(layout.root(), ec)) {
        return report;
    }
    auto lock = file_lock::acquire(layout.global_lock(), lock_kind::exclusive);
    if (!lock) {
        return std::unexpected(std::move(lock.error()));
    }
    for (fs::directory_iterator it(layout.root(), ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec) && is_layout_version(it->path().filename().string())) {
            if (auto r = remove_path(it->path(), report, false); !r) {
                return std::unexpected(std::move(r.error()));
            }
        }
    }
    return report;
}

core::result<cache_removal> prune_cache(const cache_layout& layout, const prune_options& options) {
    cache_removal report;
    std::error_code ec;
    if (!fs::exists(layout.root(), ec)) {
        return report;
    }
    auto lock = file_lock::acquire(layout.global_lock(), lock_kind::exclusive);
    if (!lock) {
        return std::unexpected(std::move(lock.error()));
    }
    std::vector<fs::path> drop;
    fs::directory_iterator end;
    for (fs::directory_iterator it(layout.root(), ec); !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (it->is_directory(ec) && is_layout_version(name) && name != cache_layout::version) {
            drop.push_back(it->path()); // an older (or newer) layout
        }
    }
    prune_sharded(layout, layout.http_dir(), true, options, drop);
    prune_sharded(layout, layout.metadata_dir(), true, options, drop);
    prune_sharded(layout, layout.resolutions_dir(), true, options, drop);
    prune_options wheel_options = options;
    prune_sharded(layout, layout.wheels_dir(), false, wheel_options, drop);
    for (fs::directory_iterator it(layout.unpacked_dir(), ec); !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        bool temporary = is_temporary_name(name) || name.starts_with(".");
        if (temporary ? is_old(it->path(), options.temporary_age)
                      : !find_cached_wheel(layout, name)) {
            drop.push_back(it->path()); // unreferenced: its wheel is gone
        }
    }
    for (fs::directory_iterator it(layout.versioned(), ec); !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (name != "http" && name != "metadata" && name != "wheels" && name != "unpacked" &&
            name != "locks" &&
            (!is_temporary_name(name) || is_old(it->path(), options.temporary_age))) {
            drop.push_back(it->path());
        }
    }
    for (const auto& path : drop) {
        if (auto r = remove_path(path, report, true); !r) {
            return std::unexpected(std::move(r.error()));
        }
    }
    return report;
}

} // namespace actpip::storage
