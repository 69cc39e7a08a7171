#include "actpip/storage/atomic_file.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace actpip::storage {

namespace {

core::error io_error(std::string what, const std::filesystem::path& path, int err) {
    return core::error{err == ENOENT ? core::errc::not_found : core::errc::io,
                       what + " " + path.string() + ": " + std::strerror(err)};
}

std::string unique_suffix() {
    static std::atomic<std::uint64_t> counter{0};
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" +
           std::to_string(static_cast<std::uint64_t>(now) % 1000000007u);
}

core::result<void> sync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(io_error("cannot open directory", dir, errno));
    }
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL) { // some file systems cannot sync directories
        return std::unexpected(io_error("cannot sync directory", dir, err));
    }
    return {};
}

} // namespace

bool is_temporary_name(std::string_view filename) {
    return filename.starts_with(temporary_prefix);
}

core::result<atomic_file> atomic_file::create(std::filesystem::path target,
                                              std::filesystem::path temp_dir) {
    if (temp_dir.empty()) {
        temp_dir = target.parent_path();
    }
    std::error_code ec;
    std::filesystem::create_directories(temp_dir, ec);
    if (ec) {
        return core::fail(core::errc::io,
                          "cannot create directory " + temp_dir.string() + ": " + ec.message());
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto temp = temp_dir / (std::string(temporary_prefix) + unique_suffix() + "-" +
                                target.filename().string());
        // Readable by the owner only: cache entries may hold a private index's pages.
        int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            return atomic_file(fd, std::move(target), std::move(temp));
        }
        if (errno != EEXIST) {
            return std::unexpected(io_error("cannot create", temp, errno));
        }
    }
    return core::fail(core::errc::io, "cannot create a temporary file in " + temp_dir.string());
}

atomic_file::atomic_file(atomic_file&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), target_(std::move(other.target_)),
      temp_(std::exchange(other.temp_, {})), size_(other.size_) {}

atomic_file& atomic_file::operator=(atomic_file&& other) noexcept {
    if (this != &other) {
        abort();
        fd_ = std::exchange(other.fd_, -1);
        target_ = std::move(other.target_);
        temp_ = std::exchange(other.temp_, {});
        size_ = other.size_;
    }
    return *this;
}

atomic_file::~atomic_file() {
    abort();
}

void atomic_file::close_fd() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void atomic_file::abort() {
    close_fd();
    if (!temp_.empty()) {
        ::unlink(temp_.c_str());
        temp_.clear();
    }
}

core::result<void> atomic_file::write(std::span<const std::byte> data) {
    return write(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

core::result<void> atomic_file::write(std::string_view data) {
    if (fd_ < 0) {
        return core::fail(core::errc::internal, "write to a closed atomic file " + temp_.string());
    }
    while (!data.empty()) {
        auto n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::unexpected(io_error("cannot write", temp_, errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
        size_ += static_cast<std::uint64_t>(n);
    }
    return {};
}

core::result<void> atomic_file::commit(durability d) {
    return commit_as(target_, d);
}

core::result<void> atomic_file::commit_as(std::filesystem::path target, durability d) {
    if (fd_ < 0) {
        return core::fail(core::errc::internal,
                          "commit of a closed atomic file for " + target.string());
    }
    if (d == durability::synced && ::fsync(fd_) != 0) {
        auto e = io_error("cannot sync", temp_, errno);
        abort();
        return std::unexpected(std::move(e));
    }
    close_fd();
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (::rename(temp_.c_str(), target.c_str()) != 0) {
        auto e = io_error("cannot rename " + temp_.string() + " to", target, errno);
        abort();
        return std::unexpected(std::move(e));
    }
    temp_.clear();
    target_ = std::move(target);
    if (d == durability::unsynced) {
        return {};
    }
    return sync_directory(target_.parent_path());
}

core::result<void> write_file_atomically(const std::filesystem::path& target, std::string_view data,
                                         durability d) {
    auto file = atomic_file::create(target);
    if (!file) {
        return std::unexpected(std::move(file.error()));
    }
    if (auto r = file->write(data); !r) {
        return r;
    }
    return file->commit(d);
}

core::result<std::string> read_whole_file(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(io_error("cannot open", path, errno));
    }
    std::string out;
    char buffer[65536];
    while (true) {
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            auto e = io_error("cannot read", path, errno);
            ::close(fd);
            return std::unexpected(std::move(e));
        }
        if (n == 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

} // namespace actpip::storage
