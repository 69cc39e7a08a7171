#pragma once
// The distributions installed in an environment, read from the *.dist-info directories of
// its library directories (what list, freeze, show, uninstall and upgrades need).

#include "actpip/core/error.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/record.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

struct installed_distribution {
    std::string name;         // METADATA Name, as written
    std::string project_name; // normalized
    std::string version;      // METADATA Version, as written
    std::filesystem::path dist_info;
    std::filesystem::path lib_dir; // the directory holding dist_info
    std::string installer;         // INSTALLER, trimmed ("pip", "actpip"), or empty
    bool requested = false;        // REQUESTED exists
    std::optional<std::string> direct_url_json;

    // Reads RECORD (an error when it is missing: such a distribution cannot be uninstalled).
    core::result<std::vector<record_entry>> read_record() const;
    // The METADATA text.
    core::result<std::string> read_metadata() const;
};

// Reads one *.dist-info directory.
core::result<installed_distribution> read_installed(const std::filesystem::path& dist_info);

// Every distribution of the environment, sorted by project name. Unreadable directories are
// skipped (and named in `warnings` when given).
std::vector<installed_distribution> list_installed(const target_environment& env,
                                                   std::vector<std::string>* warnings = nullptr);

// The installed distribution of a project (any spelling of its name), if there is one.
std::optional<installed_distribution> find_installed(const target_environment& env,
                                                     std::string_view name);

} // namespace actpip::storage
