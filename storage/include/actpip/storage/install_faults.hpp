#pragma once
// The test seam of the installer: a hook called before every change that storage makes on
// disk (creating a directory, writing, linking or renaming a file, removing one). When it
// returns a nonzero errno value, that change fails exactly as if the system had refused it
// with that error, so tests can provoke disk-full or permission errors at any step.

#include <filesystem>
#include <functional>
#include <string_view>

namespace actpip::storage {

// operation: "mkdir", "write", "link", "rename", "remove". Returns 0 to let it happen.
using fault_hook =
    std::function<int(std::string_view operation, const std::filesystem::path& path)>;

} // namespace actpip::storage
