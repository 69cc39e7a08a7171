#include "install_io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage::detail {

namespace fs = std::filesystem;

core::error os_error(std::string_view what, const fs::path& path, int err) {
    return core::error{core::errc::io,
                       std::string(what) + " " + path.string() + ": " + std::strerror(err)};
}

int injected(const fault_hook& hook, std::string_view operation, const fs::path& p) {
    return hook ? hook(operation, p) : 0;
}

core::result<std::string> read_file(const fs::path& path, std::uintmax_t max_size) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(os_error("cannot open", path, errno));
    }
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return std::unexpected(os_error("cannot read", path, err));
        }
        if (n == 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_size) {
            ::close(fd);
            return core::fail(core::errc::io, path.string() + " is too large");
        }
    }
    ::close(fd);
    return out;
}

core::result<void> write_new_file(const fs::path& path, std::string_view data, mode_t mode,
                                  const fault_hook& hook) {
    if (int err = injected(hook, "write", path)) {
        return std::unexpected(os_error("cannot write", path, err));
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        return std::unexpected(os_error("cannot create", path, errno));
    }
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int err = errno;
            ::close(fd);
            ::unlink(path.c_str());
            return std::unexpected(os_error("cannot write", path, err));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(path.c_str());
        return std::unexpected(os_error("cannot write", path, err));
    }
    return {};
}

core::result<void> make_dirs(const fs::path& dir, const fault_hook& hook,
                             std::vector<fs::path>* created) {
    std::vector<fs::path> missing;
    for (fs::path p = dir; !p.empty(); p = p.parent_path()) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                return std::unexpected(os_error("not a directory:", p, ENOTDIR));
            }
            break;
        }
        missing.push_back(p);
        if (p == p.parent_path()) {
            break;
        }
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (int err = injected(hook, "mkdir", *it)) {
            return std::unexpected(os_error("cannot create directory", *it, err));
        }
        if (::mkdir(it->c_str(), 0777) != 0 && errno != EEXIST) {
            return std::unexpected(os_error("cannot create directory", *it, errno));
        }
        if (created) {
            created->push_back(*it);
        }
    }
    return {};
}

core::result<void> rename_path(const fs::path& from, const fs::path& to, const fault_hook& hook) {
    if (int err = injected(hook, "rename", to)) {
        return std::unexpected(os_error("cannot move into place", to, err));
    }
    if (::rename(from.c_str(), to.c_str()) != 0) {
        return std::unexpected(os_error("cannot move " + from.string() + " to", to, errno));
    }
    return {};
}

void remove_tree_quietly(const fs::path& path) {
    std::error_code ec;
    fs::remove_all(path, ec);
}

std::string random_suffix() {
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::lock_guard lock(mutex);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    auto value = engine();
    for (int i = 0; i < 12; ++i) {
        out += hex[(value >> (i * 4)) & 0xf];
    }
    return out;
}

mode_t current_umask() {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    mode_t mask = ::umask(022);
    ::umask(mask);
    return mask;
}

} // namespace actpip::storage::detail
