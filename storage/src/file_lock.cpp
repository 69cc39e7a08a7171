#include "actpip/storage/file_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace actpip::storage {

namespace {

core::result<int> open_lock_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return core::fail(core::errc::io,
                          "cannot open lock file " + path.string() + ": " + std::strerror(errno));
    }
    return fd;
}

// 0: locked; EWOULDBLOCK: busy (non-blocking only); other: the error.
int lock_fd(int fd, lock_kind kind, bool blocking) {
    int op = (kind == lock_kind::shared ? LOCK_SH : LOCK_EX) | (blocking ? 0 : LOCK_NB);
    while (::flock(fd, op) != 0) {
        if (errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

} // namespace

core::result<file_lock> file_lock::acquire(const std::filesystem::path& path, lock_kind kind) {
    auto fd = open_lock_file(path);
    if (!fd) {
        return std::unexpected(std::move(fd.error()));
    }
    if (int err = lock_fd(*fd, kind, true); err != 0) {
        ::close(*fd);
        return core::fail(core::errc::io,
                          "cannot lock " + path.string() + ": " + std::strerror(err));
    }
    return file_lock(*fd);
}

core::result<std::optional<file_lock>> file_lock::try_acquire(const std::filesystem::path& path,
                                                              lock_kind kind) {
    auto fd = open_lock_file(path);
    if (!fd) {
        return std::unexpected(std::move(fd.error()));
    }
    int err = lock_fd(*fd, kind, false);
    if (err == 0) {
        return std::optional<file_lock>(file_lock(*fd));
    }
    ::close(*fd);
    if (err == EWOULDBLOCK) {
        return std::optional<file_lock>();
    }
    return core::fail(core::errc::io, "cannot lock " + path.string() + ": " + std::strerror(err));
}

file_lock::file_lock(file_lock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

file_lock& file_lock::operator=(file_lock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

file_lock::~file_lock() {
    release();
}

void file_lock::release() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
        fd_ = -1;
    }
}

} // namespace actpip::storage
