#pragma once
// Processes in a test: a child program that the test starts and always stops (a server,
// optionally reading the first line it prints), a program run to its end with its output, a
// copy of the test itself running a function (forked_child), and loopback ports.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace actpip::test {

class child_process {
public:
    child_process() = default;
    // Starts argv[0] (searched in PATH) in a process group of its own, which dies with the
    // test. Standard output is a pipe when `capture_stdout`, else /dev/null; standard error is
    // /dev/null unless ACTPIP_TEST_SERVER_STDERR is set.
    static std::optional<child_process> start(const std::vector<std::string>& argv,
                                              bool capture_stdout);
    child_process(child_process&& o) noexcept;
    child_process& operator=(child_process&& o) noexcept;
    ~child_process() { stop(); }

    // The next line of output, waiting at most `timeout`.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    // SIGTERM to the group, then SIGKILL after 2 s; safe to call twice.
    void stop();
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int out_ = -1;
};

struct run_result {
    int exit_code = -1; // -1 when it could not start or was killed by a signal
    std::string output; // standard output and standard error, interleaved
};

// Runs argv[0] (searched in PATH) to its end.
run_result run(const std::vector<std::string>& argv);

// A copy of this test process (fork) running `body`, which ends it with the exit code it
// returns. The child calls `notify(c)` to hand the parent one byte, for instance when it has
// reached the point where the parent should act on it; the parent waits for it with
// `wait_notice`. A child still running when the object goes is killed.
class forked_child {
public:
    using notify_fn = std::function<void(char)>;
    explicit forked_child(const std::function<int(const notify_fn& notify)>& body);
    ~forked_child();
    forked_child(const forked_child&) = delete;
    forked_child& operator=(const forked_child&) = delete;

    std::optional<char> wait_notice(); // nullopt when the child ended without one
    int wait();                        // waitpid's status (WIFSIGNALED etc.)
    int kill_and_wait(int signal);     // sends `signal`, then wait()
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int fds_[2] = {-1, -1};
};

// A port on 127.0.0.1 that nothing listens on right now.
std::uint16_t free_port();

// True once something accepts connections on 127.0.0.1:port, false after `timeout`.
bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout);

} // namespace actpip::test
