#pragma once
// Test helper: a child process that the test starts and always stops (SIGTERM, then SIGKILL),
// optionally reading the first line it prints (a server's "PORT <n>").

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace actpip::test {

class child_process {
public:
    child_process() = default;
    // Starts argv[0] (searched in PATH). Standard output is a pipe when `capture_stdout`.
    static std::optional<child_process> start(const std::vector<std::string>& argv,
                                              bool capture_stdout) {
        int fds[2] = {-1, -1};
        if (capture_stdout && pipe(fds) != 0)
            return std::nullopt;
        pid_t pid = fork();
        if (pid < 0)
            return std::nullopt;
        if (pid == 0) {
            setpgid(0, 0);
            // Dies with the test (a crashed test must not leave servers behind), and never
            // holds the test's own output open.
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            int devnull = open("/dev/null", O_RDWR);
            dup2(devnull, 0);
            dup2(capture_stdout ? fds[1] : devnull, 1);
            if (!std::getenv("ACTPIP_TEST_SERVER_STDERR"))
                dup2(devnull, 2);
            if (capture_stdout) {
                close(fds[0]);
                close(fds[1]);
            }
            std::vector<char*> args;
            for (const auto& a : argv)
                args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execvp(args[0], args.data());
            _exit(127);
        }
        child_process p;
        p.pid_ = pid;
        if (capture_stdout) {
            close(fds[1]);
            p.out_ = fds[0];
        }
        return p;
    }
    child_process(child_process&& o) noexcept : pid_(o.pid_), out_(o.out_) {
        o.pid_ = -1;
        o.out_ = -1;
    }
    child_process& operator=(child_process&& o) noexcept {
        if (this != &o) {
            stop();
            pid_ = std::exchange(o.pid_, -1);
            out_ = std::exchange(o.out_, -1);
        }
        return *this;
    }
    ~child_process() { stop(); }

    // The first line of output, waiting at most `timeout`.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout) {
        std::string line;
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (out_ >= 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return std::nullopt;
            pollfd p{out_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0)
                continue;
            char c;
            if (::read(out_, &c, 1) != 1)
                return std::nullopt;
            if (c == '\n')
                return line;
            line.push_back(c);
        }
        return std::nullopt;
    }

    void stop() {
        if (out_ >= 0) {
            close(out_);
            out_ = -1;
        }
        if (pid_ <= 0)
            return;
        kill(-pid_, SIGTERM);
        kill(pid_, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        kill(-pid_, SIGKILL);
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int out_ = -1;
};

inline std::uint16_t free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

inline bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        close(fd);
        if (ok)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

// A fresh directory under $TMPDIR (never the source tree), removed by the destructor.
class temp_dir {
public:
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "actpip-net-XXXXXX").string();
        if (char* p = mkdtemp(tmpl.data()))
            path_ = p;
    }
    ~temp_dir() {
        std::error_code ec;
        if (!path_.empty())
            std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace actpip::test
