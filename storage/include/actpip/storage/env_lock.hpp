#pragma once
// One lock per environment, so two transactions on it (in one process or in two) run one
// after the other: an exclusive flock on `.actpip.lock` in the environment's first library
// directory (purelib; the directory itself for --target). The file stays after use (see
// file_lock.hpp). Blocking: call it from disk-work threads only.

#include "actpip/core/error.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/file_lock.hpp"

#include <filesystem>
#include <optional>

namespace actpip::storage {

// Where the lock file (and the journals of unfinished commits) of `env` live.
std::filesystem::path environment_state_dir(const target_environment& env);
std::filesystem::path environment_lock_path(const target_environment& env);

// Waits until the environment is free.
core::result<file_lock> lock_environment(const target_environment& env);
// nullopt when another transaction holds it.
core::result<std::optional<file_lock>> try_lock_environment(const target_environment& env);

} // namespace actpip::storage
