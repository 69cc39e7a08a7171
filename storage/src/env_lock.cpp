#include "actpip/storage/env_lock.hpp"

namespace actpip::storage {

std::filesystem::path environment_state_dir(const target_environment& env) {
    auto dirs = env.library_dirs();
    if (!dirs.empty() && !dirs.front().empty()) {
        return dirs.front();
    }
    return env.roots.empty() ? std::filesystem::path() : env.roots.front();
}

std::filesystem::path environment_lock_path(const target_environment& env) {
    return environment_state_dir(env) / ".actpip.lock";
}

core::result<file_lock> lock_environment(const target_environment& env) {
    auto lock = file_lock::acquire(environment_lock_path(env), lock_kind::exclusive);
    if (!lock) {
        return std::unexpected(
            std::move(lock.error()).add_context("while locking the environment"));
    }
    return lock;
}

core::result<std::optional<file_lock>> try_lock_environment(const target_environment& env) {
    auto lock = file_lock::try_acquire(environment_lock_path(env), lock_kind::exclusive);
    if (!lock) {
        return std::unexpected(
            std::move(lock.error()).add_context("while locking the environment"));
    }
    return lock;
}

} // namespace actpip::storage
