#include "actpip/storage/uninstall.hpp"

#include "actpip/storage/entry_points.hpp"
#include "install_io.hpp"

#include <algorithm>
#include <set>
#include <sys/stat.h>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

bool exists_no_follow(const fs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

} // namespace

core::result<removal_plan> plan_removal(const installed_distribution& dist,
                                        const target_environment& env) {
    auto record = dist.read_record();
    if (!record) {
        return std::unexpected(std::move(record.error()));
    }
    removal_plan plan;
    plan.dist = dist;
    std::set<fs::path> files;
    auto add = [&](const fs::path& p) {
        if (env.contains(p) && exists_no_follow(p)) {
            files.insert(p);
        }
    };
    for (const auto& row : *record) {
        const fs::path p = (dist.lib_dir / row.path).lexically_normal();
        add(p);
        if (p.extension() == ".py") {
            // __pycache__/<stem>.<tag>.pyc for any interpreter tag and optimization level
            const fs::path cache = p.parent_path() / "__pycache__";
            const std::string stem = p.stem().string() + ".";
            std::error_code ec;
            for (const auto& entry : fs::directory_iterator(cache, ec)) {
                auto name = entry.path().filename().string();
                if (name.starts_with(stem) && name.ends_with(".pyc")) {
                    add(entry.path());
                }
            }
        }
    }
    // Launchers that an older installer generated without listing them in RECORD.
    if (auto text = detail::read_file(dist.dist_info / "entry_points.txt", 1u << 20)) {
        if (auto eps = parse_entry_points(*text, "entry_points.txt")) {
            const auto scripts = env.scheme_for(dist.name).scripts;
            for (const auto& ep : script_entry_points(*eps)) {
                add(scripts / ep.name);
            }
        }
    }
    // The whole .dist-info directory is the distribution's own.
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(dist.dist_info, ec)) {
        add(entry.path());
    }
    plan.files.assign(files.begin(), files.end());

    std::set<fs::path> stops;
    for (const auto& dir : env.library_dirs()) {
        stops.insert(dir.lexically_normal());
    }
    for (const auto& root : env.roots) {
        stops.insert(root.lexically_normal());
    }
    const auto scheme = env.scheme_for(dist.name);
    stops.insert(scheme.scripts.lexically_normal());
    std::set<fs::path> dirs{dist.dist_info};
    for (const auto& f : plan.files) {
        for (fs::path d = f.parent_path();
             !stops.contains(d) && env.contains(d) && d != d.parent_path(); d = d.parent_path()) {
            dirs.insert(d);
        }
    }
    plan.dirs.assign(dirs.begin(), dirs.end());
    std::sort(plan.dirs.begin(), plan.dirs.end(), [](const fs::path& a, const fs::path& b) {
        auto da = std::distance(a.begin(), a.end());
        auto db = std::distance(b.begin(), b.end());
        return da != db ? da > db : a > b;
    });
    return plan;
}

} // namespace actpip::storage
