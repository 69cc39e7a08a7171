#include "actpip/storage/link.hpp"

#include "install_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

// Errors that mean "this method is not available here", not "this file failed".
bool unsupported(int err) {
    return err == EXDEV || err == EOPNOTSUPP || err == ENOTTY || err == EINVAL || err == ENOSYS ||
           err == EPERM || err == EMLINK || err == EBADF;
}

struct fd_guard {
    int fd = -1;
    ~fd_guard() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

// 0 on success, else errno.
int try_clone(const fs::path& src, const fs::path& dst) {
    fd_guard in{::open(src.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) {
        return errno;
    }
    struct stat st {};
    if (::fstat(in.fd, &st) != 0) {
        return errno;
    }
    fd_guard out{::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777)};
    if (out.fd < 0) {
        return errno;
    }
    if (::ioctl(out.fd, FICLONE, in.fd) != 0) {
        int err = errno;
        ::unlink(dst.c_str());
        return err;
    }
    ::fchmod(out.fd, st.st_mode & 07777);
    return 0;
}

} // namespace

std::string_view to_string(link_mode mode) {
    switch (mode) {
    case link_mode::automatic:
        return "auto";
    case link_mode::clone:
        return "clone";
    case link_mode::hardlink:
        return "hardlink";
    case link_mode::copy:
        return "copy";
    case link_mode::symlink:
        return "symlink";
    }
    return "auto";
}

std::optional<link_mode> parse_link_mode(std::string_view text) {
    for (auto m : {link_mode::automatic, link_mode::clone, link_mode::hardlink, link_mode::copy,
                   link_mode::symlink}) {
        if (to_string(m) == text) {
            return m;
        }
    }
    return std::nullopt;
}

core::result<void> copy_file_contents(const fs::path& src, const fs::path& dst,
                                      const fault_hook& faults) {
    if (int err = detail::injected(faults, "write", dst)) {
        return std::unexpected(detail::os_error("cannot write", dst, err));
    }
    fd_guard in{::open(src.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) {
        return std::unexpected(detail::os_error("cannot open", src, errno));
    }
    struct stat st {};
    if (::fstat(in.fd, &st) != 0) {
        return std::unexpected(detail::os_error("cannot stat", src, errno));
    }
    fd_guard out{::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        st.st_mode & 0777)};
    if (out.fd < 0) {
        return std::unexpected(detail::os_error("cannot create", dst, errno));
    }
    auto fail = [&](int err) {
        ::unlink(dst.c_str());
        return std::unexpected(detail::os_error("cannot write", dst, err));
    };
    bool kernel_copy = true;
    char buf[65536];
    for (;;) {
        ssize_t n = 0;
        if (kernel_copy) {
            n = ::copy_file_range(in.fd, nullptr, out.fd, nullptr, 1u << 30, 0);
            if (n < 0 &&
                (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) {
                kernel_copy = false;
                continue;
            }
        } else {
            n = ::read(in.fd, buf, sizeof buf);
            if (n > 0) {
                for (ssize_t done = 0; done < n;) {
                    ssize_t w = ::write(out.fd, buf + done, static_cast<std::size_t>(n - done));
                    if (w < 0 && errno == EINTR) {
                        continue;
                    }
                    if (w < 0) {
                        return fail(errno);
                    }
                    done += w;
                }
            }
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return fail(errno);
        }
        if (n == 0) {
            break;
        }
    }
    if (::fchmod(out.fd, st.st_mode & 07777) != 0) {
        return fail(errno);
    }
    int fd = out.fd;
    out.fd = -1;
    if (::close(fd) != 0) {
        return fail(errno);
    }
    return {};
}

core::result<link_mode> file_placer::place(const fs::path& src, const fs::path& dst) {
    if (mode_ == link_mode::symlink) {
        if (int err = detail::injected(faults_, "link", dst)) {
            return std::unexpected(detail::os_error("cannot link", dst, err));
        }
        if (::symlink(src.c_str(), dst.c_str()) != 0) {
            return std::unexpected(detail::os_error("cannot link", dst, errno));
        }
        return link_mode::symlink;
    }
    if ((mode_ == link_mode::automatic || mode_ == link_mode::clone) && !clone_failed_) {
        if (int err = detail::injected(faults_, "link", dst)) {
            return std::unexpected(detail::os_error("cannot clone to", dst, err));
        }
        int err = try_clone(src, dst);
        if (err == 0) {
            return link_mode::clone;
        }
        if (!unsupported(err)) {
            return std::unexpected(detail::os_error("cannot clone to", dst, err));
        }
        clone_failed_ = true;
    }
    if ((mode_ == link_mode::automatic || mode_ == link_mode::hardlink) && !hardlink_failed_) {
        if (int err = detail::injected(faults_, "link", dst)) {
            return std::unexpected(detail::os_error("cannot link", dst, err));
        }
        if (::link(src.c_str(), dst.c_str()) == 0) {
            return link_mode::hardlink;
        }
        if (!unsupported(errno)) {
            return std::unexpected(detail::os_error("cannot link", dst, errno));
        }
        hardlink_failed_ = true;
    }
    if (auto ok = copy_file_contents(src, dst, faults_); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return link_mode::copy;
}

} // namespace actpip::storage
