// Two processes on one environment take turns: the lock, and whole transactions.
#include "actpip/storage/env_lock.hpp"
#include "actpip/storage/installed.hpp"
#include "actpip/storage/transaction.hpp"
#include "support/process.hpp"
#include "support/venv.hpp"

#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::test;

namespace {

void sleep_ms(int ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
        ::usleep(5000);
    }
}

wheel_builder pkg(const std::string& name) {
    wheel_builder w(name, "1.0");
    w.file(name + "/__init__.py", "pass\n");
    return w;
}

} // namespace

TEST(EnvLock, LivesInTheLibraryDirectory) {
    temp_dir dir;
    auto env = fake_environment(dir.path() / "env");
    EXPECT_EQ(environment_lock_path(env),
              dir.path() / "env/lib/python3.11/site-packages/.actpip.lock");
}

TEST(EnvLock, ASecondProcessWaits) {
    temp_dir dir;
    auto env = fake_environment(dir.path() / "env");
    const fs::path marker = dir.path() / "child-done";
    forked_child child([&](const forked_child::notify_fn& notify) {
        auto lock = lock_environment(env);
        notify(lock ? 'l' : 'e');
        sleep_ms(300);
        std::ofstream(marker) << "done";
        return 0; // the lock goes with the process
    });
    auto c = child.wait_notice();
    ASSERT_TRUE(c.has_value());
    ASSERT_EQ(*c, 'l');
    auto busy = try_lock_environment(env);
    ASSERT_TRUE(busy.has_value());
    EXPECT_FALSE(busy->has_value());
    auto lock = lock_environment(env);
    ASSERT_TRUE(lock.has_value());
    EXPECT_TRUE(fs::exists(marker)); // granted only after the child ended
    child.wait();
}

TEST(EnvLock, TransactionsInTwoProcessesSerialize) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    auto a = unpack_for_test(pkg("alpha"), dir.path() / "a");
    auto b = unpack_for_test(pkg("beta"), dir.path() / "b");
    forked_child child([&](const forked_child::notify_fn& notify) {
        install_options opt;
        auto first = std::make_shared<bool>(true);
        opt.faults = [first, &notify](std::string_view, const fs::path&) {
            if (*first) { // the lock is held by now: let the parent try, then go on
                *first = false;
                notify('s');
                sleep_ms(300);
            }
            return 0;
        };
        return install_wheels(env, {{a, true, std::nullopt}}, opt) ? 0 : 1;
    });
    ASSERT_TRUE(child.wait_notice());
    EXPECT_FALSE(try_lock_environment(env)->has_value());
    auto r = install_wheels(env, {{b, true, std::nullopt}}); // waits for the child
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    int status = child.wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_TRUE(find_installed(env, "alpha").has_value());
    EXPECT_TRUE(find_installed(env, "beta").has_value());
    for (const auto& [path, _] : snapshot(e)) {
        EXPECT_EQ(path.find(".actpip-"), std::string::npos) << path;
    }
}
