#pragma once
// Advisory whole-file locks (flock) shared between actpip processes on one cache. The lock
// file is created when missing and never deleted (deleting a lock file while others wait on
// it would let two holders in). Locks are per open file: two file_lock objects in one
// process exclude each other like two processes do. Blocking calls: not for network threads.

#include "actpip/core/error.hpp"

#include <filesystem>
#include <optional>

namespace actpip::storage {

enum class lock_kind { shared, exclusive };

class file_lock {
public:
    // Waits until the lock is granted.
    static core::result<file_lock> acquire(const std::filesystem::path& path, lock_kind kind);
    // nullopt when another holder has a conflicting lock.
    static core::result<std::optional<file_lock>> try_acquire(const std::filesystem::path& path,
                                                              lock_kind kind);

    file_lock(file_lock&& other) noexcept;
    file_lock& operator=(file_lock&& other) noexcept;
    file_lock(const file_lock&) = delete;
    file_lock& operator=(const file_lock&) = delete;
    ~file_lock();

    void release();
    bool held() const { return fd_ >= 0; }

private:
    explicit file_lock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

} // namespace actpip::storage
