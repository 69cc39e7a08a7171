// A transaction killed mid-commit (SIGKILL) is rolled back by the next one; one asked to stop
// (SIGTERM) mid-commit finishes its renames first and is rolled forward. A child process
// runs the transaction and pauses inside the rename phase through the fault seam.
#include "actpip/storage/env_lock.hpp"
#include "actpip/storage/installed.hpp"
#include "actpip/storage/signal_guard.hpp"
#include "actpip/storage/transaction.hpp"
#include "actpip/storage/transaction_recovery.hpp"
#include "install_test_env.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::storage::test_support;

namespace {

wheel_builder pkg(const std::string& name, const std::string& version) {
    wheel_builder w(name, version);
    w.file(name + "/__init__.py", "V = '" + version + "'\n")
        .file(name + "/" + version + ".py", "pass\n")
        .file(name + "/common.py", "# " + version + "\n")
        .entry_points("[console_scripts]\n" + name + " = " + name + ":main\n");
    return w;
}

bool has_leftovers(const fs::path& root) {
    for (const auto& [path, _] : snapshot(root)) {
        if (path.find(".actpip-tx-") != std::string::npos ||
            path.find(".actpip-old-") != std::string::npos ||
            path.find(".actpip-journal-") != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Runs `install_wheels(env, plan)` in a child that signals `fd` and then calls `pause` at
// the second file it renames into place (well inside the commit), or at the rename into
// `at` when given. Returns the child's pid.
pid_t install_in_child(const target_environment& env, const std::vector<wheel_to_install>& plan,
                       int fd, std::function<void()> pause, fs::path at = {}) {
    pid_t pid = ::fork();
    if (pid != 0) {
        return pid;
    }
    install_options opt;
    auto placed = std::make_shared<int>(0);
    opt.faults = [placed, fd, pause, at](std::string_view op, const fs::path& p) {
        const auto name = p.filename().string();
        if (op == "rename" && name.find(".actpip-") == std::string::npos &&
            (at.empty() ? ++*placed == 2 : p == at)) {
            char c = 'x';
            (void)!::write(fd, &c, 1);
            pause();
        }
        return 0;
    };
    auto r = install_wheels(env, plan, opt);
    ::_exit(r ? 0 : 1);
}

int wait_child(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

} // namespace

TEST(TransactionRecovery, KilledMidCommitIsRolledBackByTheNextTransaction) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    auto a1 = unpack_for_test(pkg("alpha", "1.0"), dir.path() / "a1");
    auto a2 = unpack_for_test(pkg("alpha", "2.0"), dir.path() / "a2");
    auto b1 = unpack_for_test(pkg("beta", "1.0"), dir.path() / "b1");
    ASSERT_TRUE(install_wheels(env, {{a1, true, std::nullopt}}).has_value());
    const auto before = snapshot(e);

    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid =
        install_in_child(env, {{a2, true, std::nullopt}, {b1, true, std::nullopt}}, fds[1], [] {
            for (;;) {
                ::pause();
            }
        });
    char c = 0;
    ASSERT_EQ(::read(fds[0], &c, 1), 1);
    ::kill(pid, SIGKILL);
    int status = wait_child(pid);
    ::close(fds[0]);
    ::close(fds[1]);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ASSERT_NE(snapshot(e), before);
    ASSERT_TRUE(has_leftovers(e)) << "the child was not stopped mid-commit";

    // The next transaction (here an uninstall of nothing) recovers first.
    std::vector<std::string> missing;
    ASSERT_TRUE(uninstall_projects(env, {"gamma"}, &missing).has_value());
    EXPECT_EQ(snapshot(e), before);
    EXPECT_FALSE(has_leftovers(e));
    auto alpha = find_installed(env, "alpha");
    ASSERT_TRUE(alpha.has_value());
    EXPECT_EQ(alpha->version, "1.0");
    EXPECT_FALSE(find_installed(env, "beta").has_value());
}

TEST(TransactionRecovery, KilledAfterAWholeTreeWasPlacedIsRolledBack) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    auto a1 = unpack_for_test(pkg("alpha", "1.0"), dir.path() / "a1");
    auto a2 = unpack_for_test(pkg("alpha", "2.0"), dir.path() / "a2");
    auto b1 = unpack_for_test(pkg("beta", "1.0"), dir.path() / "b1");
    ASSERT_TRUE(install_wheels(env, {{a1, true, std::nullopt}}).has_value());
    const auto before = snapshot(e);
    const fs::path site = e / "lib/python3.11/site-packages";

    // Killed when alpha 2.0 is in place file by file and beta's package directory was renamed
    // into place whole, just before beta's .dist-info.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = install_in_child(
        env, {{a2, true, std::nullopt}, {b1, true, std::nullopt}}, fds[1],
        [] {
            for (;;) {
                ::pause();
            }
        },
        site / "beta-1.0.dist-info");
    char c = 0;
    ASSERT_EQ(::read(fds[0], &c, 1), 1);
    ::kill(pid, SIGKILL);
    int status = wait_child(pid);
    ::close(fds[0]);
    ::close(fds[1]);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ASSERT_TRUE(fs::exists(site / "beta/common.py")) << "beta was not placed before the kill";
    ASSERT_TRUE(fs::exists(site / "alpha/2.0.py"));

    auto lock = lock_environment(env);
    ASSERT_TRUE(lock.has_value());
    auto report = recover_environment(env);
    ASSERT_TRUE(report.has_value()) << report.error().describe();
    EXPECT_EQ(report->rolled_back, 1u);
    EXPECT_TRUE(report->notes.empty());
    EXPECT_EQ(snapshot(e), before);
    EXPECT_FALSE(has_leftovers(e));
}

TEST(TransactionRecovery, JournalOfAnOlderVersionIsStillReplayed) {
    // Written by a version that placed every file on its own: P and D records only.
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    const auto before = snapshot(e);
    const fs::path site = e / "lib/python3.11/site-packages";
    const std::string id = "0123456789ab";
    const fs::path staging = site / (".actpip-tx-" + id);
    fs::create_directories(staging / "zeta");
    std::ofstream(staging / "zeta/staged.py") << "not yet placed\n";
    fs::create_directories(site / "zeta");
    std::ofstream(site / "zeta/__init__.py") << "placed\n";
    auto lock = lock_environment(env);
    ASSERT_TRUE(lock.has_value());
    std::string j;
    auto rec = [&j](char kind, std::initializer_list<fs::path> fields) {
        j += kind;
        j += '\0';
        for (const auto& f : fields) {
            j += f.string();
            j += '\0';
        }
    };
    rec('S', {staging});
    rec('D', {site / "zeta"});
    rec('P', {staging / "zeta/__init__.py", site / "zeta/__init__.py"});
    rec('P', {staging / "zeta/staged.py", site / "zeta/staged.py"});
    fs::create_directories(environment_state_dir(env));
    std::ofstream(environment_state_dir(env) / (".actpip-journal-" + id), std::ios::binary) << j;
    auto report = recover_environment(env);
    ASSERT_TRUE(report.has_value()) << report.error().describe();
    EXPECT_EQ(report->rolled_back, 1u);
    EXPECT_EQ(snapshot(e), before);
}

TEST(TransactionRecovery, TerminatedMidCommitFinishesTheRenamesFirst) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    auto a1 = unpack_for_test(pkg("alpha", "1.0"), dir.path() / "a1");
    auto a2 = unpack_for_test(pkg("alpha", "2.0"), dir.path() / "a2");
    ASSERT_TRUE(install_wheels(env, {{a1, true, std::nullopt}}).has_value());

    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = install_in_child(env, {{a2, true, std::nullopt}}, fds[1], [] {
        // Long enough for the parent's SIGTERM to arrive while renames remain.
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
        while (std::chrono::steady_clock::now() < until) {
            ::usleep(10000);
        }
    });
    char c = 0;
    ASSERT_EQ(::read(fds[0], &c, 1), 1);
    ::kill(pid, SIGTERM);
    int status = wait_child(pid);
    ::close(fds[0]);
    ::close(fds[1]);
    // The signal took effect, but only after the last rename.
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

    auto lock = lock_environment(env);
    ASSERT_TRUE(lock.has_value());
    auto report = recover_environment(env);
    ASSERT_TRUE(report.has_value()) << report.error().describe();
    EXPECT_EQ(report->rolled_forward, 1u);
    EXPECT_EQ(report->rolled_back, 0u);
    EXPECT_TRUE(report->notes.empty());
    EXPECT_FALSE(has_leftovers(e));
    auto alpha = find_installed(env, "alpha");
    ASSERT_TRUE(alpha.has_value());
    EXPECT_EQ(alpha->version, "2.0");
    const fs::path site = e / "lib/python3.11/site-packages";
    EXPECT_TRUE(fs::exists(site / "alpha/2.0.py"));
    EXPECT_FALSE(fs::exists(site / "alpha/1.0.py"));
    EXPECT_FALSE(fs::exists(site / "alpha-1.0.dist-info"));
}

TEST(TransactionRecovery, NothingToRecoverInACleanEnvironment) {
    temp_dir dir;
    auto env = fake_environment(dir.path() / "env");
    auto report = recover_environment(env);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->rolled_back + report->rolled_forward, 0u);
}

TEST(SignalGuard, HoldsSigtermUntilTheLastGuardEnds) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    if (pid == 0) {
        {
            signal_guard outer;
            {
                signal_guard inner;
                ::kill(::getpid(), SIGTERM);
            }
            // Still alive after the inner guard: the outer one holds the signal.
            char c = signal_guard::pending_signal() == SIGTERM ? 'p' : 'n';
            (void)!::write(fds[1], &c, 1);
        }
        ::_exit(0); // not reached: SIGTERM is delivered when `outer` ends
    }
    char c = 0;
    ASSERT_EQ(::read(fds[0], &c, 1), 1);
    EXPECT_EQ(c, 'p');
    int status = wait_child(pid);
    ::close(fds[0]);
    ::close(fds[1]);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

TEST(SignalGuard, RestoresThePreviousHandler) {
    static volatile std::sig_atomic_t seen = 0;
    struct sigaction mine {
    }, old{};
    mine.sa_handler = [](int s) { seen = s; };
    sigemptyset(&mine.sa_mask);
    ASSERT_EQ(::sigaction(SIGINT, &mine, &old), 0);
    {
        signal_guard guard;
        ::raise(SIGINT);
        EXPECT_EQ(seen, 0);
    }
    EXPECT_EQ(seen, SIGINT); // raised again under the restored handler
    ::sigaction(SIGINT, &old, nullptr);
}
