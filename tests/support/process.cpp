#include "support/process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>
#include <utility>

namespace actpip::test {

namespace {

[[noreturn]] void exec(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
}

int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

std::optional<child_process> child_process::start(const std::vector<std::string>& argv,
                                                  bool capture_stdout) {
    int fds[2] = {-1, -1};
    if (capture_stdout && pipe(fds) != 0)
        return std::nullopt;
    pid_t pid = fork();
    if (pid < 0)
        return std::nullopt;
    if (pid == 0) {
        setpgid(0, 0);
        // Dies with the test (a crashed test must not leave servers behind), and never holds
        // the test's own output open.
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
        exec(argv);
    }
    child_process p;
    p.pid_ = pid;
    if (capture_stdout) {
        close(fds[1]);
        p.out_ = fds[0];
    }
    return p;
}

child_process::child_process(child_process&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)), out_(std::exchange(o.out_, -1)) {}

child_process& child_process::operator=(child_process&& o) noexcept {
    if (this != &o) {
        stop();
        pid_ = std::exchange(o.pid_, -1);
        out_ = std::exchange(o.out_, -1);
    }
    return *this;
}

std::optional<std::string> child_process::read_line(std::chrono::milliseconds timeout) {
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

void child_process::stop() {
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

run_result run(const std::vector<std::string>& argv) {
    run_result r;
    int fds[2];
    if (pipe(fds) != 0)
        return r;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return r;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        exec(argv);
    }
    close(fds[1]);
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n > 0)
            r.output.append(buf, static_cast<std::size_t>(n));
        else if (errno != EINTR)
            break;
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = exit_code_of(status);
    return r;
}

forked_child::forked_child(const std::function<int(const notify_fn& notify)>& body) {
    if (pipe(fds_) != 0)
        return;
    pid_ = fork();
    if (pid_ == 0) {
        int fd = fds_[1];
        _exit(body([fd](char c) { (void)!::write(fd, &c, 1); }));
    }
}

forked_child::~forked_child() {
    if (pid_ > 0)
        kill_and_wait(SIGKILL);
    for (int fd : fds_)
        if (fd >= 0)
            close(fd);
}

std::optional<char> forked_child::wait_notice() {
    char c = 0;
    if (fds_[0] < 0 || ::read(fds_[0], &c, 1) != 1)
        return std::nullopt;
    return c;
}

int forked_child::wait() {
    int status = 0;
    if (pid_ > 0)
        waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

int forked_child::kill_and_wait(int signal) {
    if (pid_ > 0)
        kill(pid_, signal);
    return wait();
}

std::uint16_t free_port() {
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

bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout) {
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

} // namespace actpip::test
