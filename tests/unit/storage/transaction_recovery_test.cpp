// A transaction killed mid-commit (SIGKILL) is rolled back by the next one; one asked to stop
// (SIGTERM) mid-commit finishes its renames first and is rolled forward. A child process
// runs the transaction and pauses inside the rename phase through the fault seam.
#include "actpip/storage/env_lock.hpp"
#include "actpip/storage/installed.hpp"
#include "actpip/storage/signal_guard.hpp"
#include "actpip/storage/transaction.hpp"
#include "actpip/storage/transaction_recovery.hpp"
#include "support/process.hpp"
#include "support/venv.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::test;

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

// A forked_child's body: `install_wheels(env, plan)`, which notifies the parent and then calls
// `pause` at the second file it renames into place (well inside the commit), or at the rename
// into `at` when given. Returns the child's exit code.
int install_pausing(const target_environment& env, const std::vector<wheel_to_install>& plan,
                    const forked_child::notify_fn& notify, const std::function<void()>& pause,
                    const fs::path& at = {}) {
    install_options opt;
    auto placed = std::make_shared<int>(0);
    opt.faults = [placed, &notify, &pause, at](std::string_view op, const fs::path& p) {
        const auto name = p.filename().string();
        if (op == "rename" && name.find(".actpip-") == std::string::npos &&
            (at.empty() ? ++*placed == 2 : p == at)) {
            notify('x');
            pause();
        }
        return 0;
    };
    return install_wheels(env, plan, opt) ? 0 : 1;
}

void pause_forever() {
    for (;;) {
        ::pause();
    }
}

} // namespace

TEST(TransactionRecovery, KilledMidCommitIsRolledBackByTheNextTransaction) {
    upgrade_fixture up(pkg);
    ASSERT_TRUE(up.alpha1_installed);
    const fs::path& e = up.root;

    forked_child child([&](const forked_child::notify_fn& notify) {
        return install_pausing(up.env,
                               {{up.alpha2, true, std::nullopt}, {up.beta1, true, std::nullopt}},
                               notify, pause_forever);
    });
    ASSERT_TRUE(child.wait_notice());
    int status = child.kill_and_wait(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ASSERT_NE(snapshot(e), up.before);
    ASSERT_TRUE(has_leftovers(e)) << "the child was not stopped mid-commit";

    // The next transaction (here an uninstall of nothing) recovers first.
    std::vector<std::string> missing;
    ASSERT_TRUE(uninstall_projects(up.env, {"gamma"}, &missing).has_value());
    EXPECT_EQ(snapshot(e), up.before);
    EXPECT_FALSE(has_leftovers(e));
    auto alpha = find_installed(up.env, "alpha");
    ASSERT_TRUE(alpha.has_value());
    EXPECT_EQ(alpha->version, "1.0");
    EXPECT_FALSE(find_installed(up.env, "beta").has_value());
}

// What a planner reads after recover_before_reading is the environment before the killed
// commit, not the half of it that was renamed into place.
TEST(TransactionRecovery, RecoveredBeforeWhatIsInstalledIsRead) {
    upgrade_fixture up(pkg);
    ASSERT_TRUE(up.alpha1_installed);
    // Nothing to recover: no lock taken, nothing written.
    const auto clean = snapshot(up.root);
    auto nothing = recover_before_reading(up.env);
    ASSERT_TRUE(nothing.has_value()) << nothing.error().describe();
    EXPECT_EQ(nothing->rolled_back, 0u);
    EXPECT_EQ(snapshot(up.root), clean);

    forked_child child([&](const forked_child::notify_fn& notify) {
        return install_pausing(up.env,
                               {{up.alpha2, true, std::nullopt}, {up.beta1, true, std::nullopt}},
                               notify, pause_forever);
    });
    ASSERT_TRUE(child.wait_notice());
    child.kill_and_wait(SIGKILL);
    ASSERT_TRUE(has_leftovers(up.root)) << "the child was not stopped mid-commit";

    auto r = recover_before_reading(up.env);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(r->rolled_back, 1u);
    EXPECT_EQ(snapshot(up.root), up.before);
    auto listed = list_installed(up.env);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name + "-" + listed[0].version, "alpha-1.0");
}

TEST(TransactionRecovery, KilledAfterAWholeTreeWasPlacedIsRolledBack) {
    upgrade_fixture up(pkg);
    ASSERT_TRUE(up.alpha1_installed);
    const fs::path& e = up.root;
    const fs::path site = e / "lib/python3.11/site-packages";

    // Killed when alpha 2.0 is in place file by file and beta's package directory was renamed
    // into place whole, just before beta's .dist-info.
    forked_child child([&](const forked_child::notify_fn& notify) {
        return install_pausing(up.env,
                               {{up.alpha2, true, std::nullopt}, {up.beta1, true, std::nullopt}},
                               notify, pause_forever, site / "beta-1.0.dist-info");
    });
    ASSERT_TRUE(child.wait_notice());
    int status = child.kill_and_wait(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ASSERT_TRUE(fs::exists(site / "beta/common.py")) << "beta was not placed before the kill";
    ASSERT_TRUE(fs::exists(site / "alpha/2.0.py"));

    auto lock = lock_environment(up.env);
    ASSERT_TRUE(lock.has_value());
    auto report = recover_environment(up.env);
    ASSERT_TRUE(report.has_value()) << report.error().describe();
    EXPECT_EQ(report->rolled_back, 1u);
    EXPECT_TRUE(report->notes.empty());
    EXPECT_EQ(snapshot(e), up.before);
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
    upgrade_fixture up(pkg);
    ASSERT_TRUE(up.alpha1_installed);
    const fs::path& e = up.root;
    const auto& env = up.env;

    forked_child child([&](const forked_child::notify_fn& notify) {
        return install_pausing(env, {{up.alpha2, true, std::nullopt}}, notify, [] {
            // Long enough for the parent's SIGTERM to arrive while renames remain.
            auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
            while (std::chrono::steady_clock::now() < until) {
                ::usleep(10000);
            }
        });
    });
    ASSERT_TRUE(child.wait_notice());
    int status = child.kill_and_wait(SIGTERM);
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
    forked_child child([](const forked_child::notify_fn& notify) {
        {
            signal_guard outer;
            {
                signal_guard inner;
                ::kill(::getpid(), SIGTERM);
            }
            // Still alive after the inner guard: the outer one holds the signal.
            notify(signal_guard::pending_signal() == SIGTERM ? 'p' : 'n');
        }
        return 0; // not reached: SIGTERM is delivered when `outer` ends
    });
    auto c = child.wait_notice();
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(*c, 'p');
    int status = child.wait();
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
