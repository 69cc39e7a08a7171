#pragma once
// Staging one wheel: its files placed under staging directories, scripts fixed, launchers,
// INSTALLER, REQUESTED, direct_url.json and the new RECORD written.

#include "actpip/storage/transaction.hpp"

#include <functional>
#include <set>
#include <unordered_set>

namespace actpip::storage::detail {

struct staged_file {
    std::filesystem::path staged;
    std::filesystem::path dest;
};

struct staged_wheel {
    std::string name;
    std::string project_name;
    std::string version;
    std::vector<staged_file> files;
};

struct stage_context {
    const target_environment& env;
    const install_options& options;
    file_placer& placer;
    // The staging directory for files whose destination lies under `dir` (a scheme dir).
    std::function<core::result<std::filesystem::path>(const std::filesystem::path& dir)>
        staging_dir_for;
    // Staging directories known to exist (created by this transaction), so that staging a
    // file does not look its parent up again.
    std::unordered_set<std::string>* known_dirs = nullptr;
};

core::result<staged_wheel> stage_wheel(const wheel_to_install& wheel, stage_context& ctx);

// Byte-compiles `sources` (staged path, final path) with `python`; returns the compiled
// (staged .pyc, final .pyc) pairs. Files that do not compile are left out, as pip does.
core::result<std::vector<staged_file>> compile_staged(const std::string& python,
                                                      const std::vector<staged_file>& sources,
                                                      const std::filesystem::path& scratch);

} // namespace actpip::storage::detail
