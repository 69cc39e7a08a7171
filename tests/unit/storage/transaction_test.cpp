#include "actpip/storage/installed.hpp"
#include "actpip/storage/transaction.hpp"
#include "install_test_env.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <sys/mount.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::storage::test_support;

namespace {

const std::string site = "lib/python3.11/site-packages";

wheel_builder pkg(const std::string& name, const std::string& version, std::size_t big = 0) {
    wheel_builder w(name, version);
    w.file(name + "/__init__.py", "V = '" + version + "'\n")
        .file(name + "/" + version + ".py", "pass\n")
        .file(w.data_dir() + "/scripts/" + name + "-run", "#!python\n", true)
        .entry_points("[console_scripts]\n" + name + " = " + name + ":main\n");
    if (big) {
        std::string noise;
        std::mt19937 rng(1);
        for (std::size_t i = 0; i < big; ++i) {
            noise += static_cast<char>('a' + rng() % 26);
        }
        w.file(name + "/big.txt", noise);
    }
    return w;
}

// Counts the changes a transaction makes, so each one can be made to fail in turn.
struct counting_faults {
    std::shared_ptr<int> count = std::make_shared<int>(0);
    int fail_at = -1;
    int err = ENOSPC;
    fault_hook hook() const {
        return [c = count, n = fail_at, e = err](std::string_view, const fs::path&) {
            return (*c)++ == n ? e : 0;
        };
    }
};

} // namespace

TEST(Transaction, AnyFailingChangeRollsBackEverything) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    auto a1 = unpack_for_test(pkg("alpha", "1.0"), dir.path() / "a1");
    auto a2 = unpack_for_test(pkg("alpha", "2.0"), dir.path() / "a2");
    auto b1 = unpack_for_test(pkg("beta", "1.0"), dir.path() / "b1");
    ASSERT_TRUE(install_wheels(env, {{a1, true, std::nullopt}}).has_value());
    const auto before = snapshot(e);

    // The plan: upgrade alpha and install beta, together.
    std::vector<wheel_to_install> plan{{a2, true, std::nullopt}, {b1, false, std::nullopt}};
    counting_faults probe;
    install_options counting;
    counting.mode = link_mode::copy;
    counting.faults = probe.hook();
    {
        temp_dir scratch;
        fs::copy(e, scratch.path() / "env", fs::copy_options::recursive);
        auto env2 = fake_environment(scratch.path() / "env");
        ASSERT_TRUE(install_wheels(env2, plan, counting).has_value());
    }
    const int changes = *probe.count;
    ASSERT_GT(changes, 20);
    for (int n = 0; n < changes; ++n) {
        counting_faults f;
        f.fail_at = n;
        f.err = n % 2 ? ENOSPC : EACCES;
        install_options opt;
        opt.mode = link_mode::copy;
        opt.faults = f.hook();
        auto r = install_wheels(env, plan, opt);
        ASSERT_FALSE(r.has_value()) << "change " << n << " was not made to fail";
        ASSERT_EQ(snapshot(e), before)
            << "change " << n << " failing left: " << r.error().describe();
    }
    // And uninstalling, failing at each change.
    counting_faults uninstall_probe;
    {
        temp_dir scratch;
        fs::copy(e, scratch.path() / "env", fs::copy_options::recursive);
        auto env2 = fake_environment(scratch.path() / "env");
        install_options opt;
        opt.faults = uninstall_probe.hook();
        ASSERT_TRUE(uninstall_projects(env2, {"alpha"}, nullptr, opt).has_value());
    }
    ASSERT_GE(*uninstall_probe.count, 10);
    for (int n = 0; n < *uninstall_probe.count; ++n) {
        counting_faults f;
        f.fail_at = n;
        install_options opt;
        opt.faults = f.hook();
        auto r = uninstall_projects(env, {"alpha"}, nullptr, opt);
        ASSERT_FALSE(r.has_value());
        ASSERT_EQ(snapshot(e), before);
    }
}

TEST(Transaction, DestroyedWithoutCommitChangesNothing) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    const auto before = snapshot(e);
    {
        install_transaction tx(env, {});
        ASSERT_TRUE(tx.stage({unpack_for_test(pkg("alpha", "1.0"), dir.path()), true, std::nullopt})
                        .has_value());
        EXPECT_NE(snapshot(e), before); // staged, hidden
    }
    EXPECT_EQ(snapshot(e), before);
}

TEST(Transaction, DiskFullOnTmpfsRollsBack) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    fs::create_directories(e);
    if (::mount("tmpfs", e.c_str(), "tmpfs", 0, "size=1m") != 0) {
        GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
    }
    struct unmount {
        fs::path p;
        ~unmount() { ::umount2(p.c_str(), MNT_DETACH); }
    } guard{e};
    auto env = fake_environment(e);
    auto a1 = unpack_for_test(pkg("alpha", "1.0"), dir.path() / "a1");
    ASSERT_TRUE(install_wheels(env, {{a1, true, std::nullopt}}).has_value());
    const auto before = snapshot(e);
    // The cache is on another filesystem: links fall back to copies, which fill the disk.
    auto a2 = unpack_for_test(pkg("alpha", "2.0", 700000), dir.path() / "a2");
    auto b1 = unpack_for_test(pkg("beta", "1.0", 700000), dir.path() / "b1");
    auto r = install_wheels(env, {{a2, true, std::nullopt}, {b1, true, std::nullopt}});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().describe().find("No space left"), std::string::npos)
        << r.error().describe();
    EXPECT_EQ(snapshot(e), before);
}

TEST(Transaction, ReadOnlyEnvironmentRollsBack) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    auto a1 = unpack_for_test(pkg("alpha", "1.0"), dir.path() / "a1");
    ASSERT_TRUE(install_wheels(env, {{a1, true, std::nullopt}}).has_value());
    const auto before = snapshot(e);
    const fs::path bin = e / "bin";
    if (::mount(bin.c_str(), bin.c_str(), nullptr, MS_BIND, nullptr) != 0) {
        GTEST_SKIP() << "cannot bind-mount here (needs root): " << std::strerror(errno);
    }
    struct unmount {
        fs::path p;
        ~unmount() { ::umount2(p.c_str(), MNT_DETACH); }
    } guard{bin};
    if (::mount(nullptr, bin.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
        GTEST_SKIP() << "cannot remount read-only: " << std::strerror(errno);
    }
    auto a2 = unpack_for_test(pkg("alpha", "2.0"), dir.path() / "a2");
    auto r = install_wheels(env, {{a2, true, std::nullopt}});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().describe().find("Read-only"), std::string::npos) << r.error().describe();
    EXPECT_EQ(snapshot(e), before);
    auto un = uninstall_projects(env, {"alpha"});
    ASSERT_FALSE(un.has_value());
    EXPECT_EQ(snapshot(e), before);
}
