#pragma once
// What uninstalling a distribution removes: exactly the files its RECORD lists, the compiled
// __pycache__ files of its modules, the launchers of its console and gui scripts, and its
// .dist-info directory; then the directories those leave empty. Foreign files stay, and so do
// the directories holding them. Paths outside the environment are never touched.

#include "actpip/core/error.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/installed.hpp"

#include <filesystem>
#include <vector>

namespace actpip::storage {

struct removal_plan {
    installed_distribution dist;
    std::vector<std::filesystem::path> files; // existing files (or symlinks), each once
    // Directories to remove afterwards when empty, deepest first.
    std::vector<std::filesystem::path> dirs;
};

core::result<removal_plan> plan_removal(const installed_distribution& dist,
                                        const target_environment& env);

} // namespace actpip::storage
