#pragma once
// File helpers shared by the installer's sources: every change goes through the fault hook,
// every failure is an error value naming the path.

#include "actpip/core/error.hpp"
#include "actpip/storage/install_faults.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace actpip::storage::detail {

core::error os_error(std::string_view what, const std::filesystem::path& path, int err);

// Calls the hook (if any); its errno, or 0.
int injected(const fault_hook& hook, std::string_view operation, const std::filesystem::path& p);

// The whole file, refusing files larger than `max_size`.
core::result<std::string> read_file(const std::filesystem::path& path,
                                    std::uintmax_t max_size = 256u << 20);

// Creates `path` (which must not exist) with `mode` (less the umask) holding `data`.
core::result<void> write_new_file(const std::filesystem::path& path, std::string_view data,
                                  mode_t mode, const fault_hook& hook);

// Creates `dir` and its missing parents; appends the ones it created, outermost first.
core::result<void> make_dirs(const std::filesystem::path& dir, const fault_hook& hook,
                             std::vector<std::filesystem::path>* created = nullptr);

core::result<void> rename_path(const std::filesystem::path& from, const std::filesystem::path& to,
                               const fault_hook& hook);

// Removes a tree; errors are ignored (used for clean-up only).
void remove_tree_quietly(const std::filesystem::path& path);

// A random hex string for temporary names.
std::string random_suffix();

// The current umask, read without changing it for other threads for long.
mode_t current_umask();

} // namespace actpip::storage::detail
