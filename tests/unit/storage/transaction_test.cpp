#include "actpip/storage/installed.hpp"
#include "actpip/storage/transaction.hpp"
#include "support/files.hpp"
#include "support/venv.hpp"

#include <algorithm>
#include <cstring>
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <sstream>
#include <sys/mount.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::test;

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

// alpha 1.0 installed, alpha 2.0 and beta 1.0 unpacked beside it, all made by pkg().
upgrade_fixture upgrade() {
    return upgrade_fixture(
        [](const std::string& name, const std::string& version) { return pkg(name, version); });
}

bool has_staging(const fs::path& root) {
    for (const auto& [path, _] : snapshot(root)) {
        if (path.find(".actpip-") != std::string::npos) {
            return true;
        }
    }
    return false;
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

// mount(2) for one test, undone (MNT_DETACH) when it goes; mounting needs root, so a test
// skips itself when `mounted()` is false.
class scoped_mount {
public:
    scoped_mount(const char* source, const fs::path& target, const char* type, unsigned long flags,
                 const char* data)
        : target_(target) {
        mounted_ = ::mount(source, target.c_str(), type, flags, data) == 0;
        error_ = mounted_ ? 0 : errno;
    }
    ~scoped_mount() {
        if (mounted_) {
            ::umount2(target_.c_str(), MNT_DETACH);
        }
    }
    scoped_mount(const scoped_mount&) = delete;
    scoped_mount& operator=(const scoped_mount&) = delete;
    bool mounted() const { return mounted_; }
    const char* why() const { return std::strerror(error_); }

private:
    fs::path target_;
    bool mounted_ = false;
    int error_ = 0;
};

} // namespace

TEST(Transaction, AnyFailingChangeRollsBackEverything) {
    auto up = upgrade();
    ASSERT_TRUE(up.alpha1_installed);

    // The plan: upgrade alpha and install beta, together.
    std::vector<wheel_to_install> plan{{up.alpha2, true, std::nullopt},
                                       {up.beta1, false, std::nullopt}};
    counting_faults probe;
    install_options counting;
    counting.mode = link_mode::copy;
    counting.faults = probe.hook();
    {
        temp_dir scratch;
        fs::copy(up.root, scratch.path() / "env", fs::copy_options::recursive);
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
        auto r = install_wheels(up.env, plan, opt);
        ASSERT_FALSE(r.has_value()) << "change " << n << " was not made to fail";
        ASSERT_EQ(snapshot(up.root), up.before)
            << "change " << n << " failing left: " << r.error().describe();
    }
    // And uninstalling, failing at each change.
    counting_faults uninstall_probe;
    {
        temp_dir scratch;
        fs::copy(up.root, scratch.path() / "env", fs::copy_options::recursive);
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
        auto r = uninstall_projects(up.env, {"alpha"}, nullptr, opt);
        ASSERT_FALSE(r.has_value());
        ASSERT_EQ(snapshot(up.root), up.before);
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
    scoped_mount tmpfs("tmpfs", e, "tmpfs", 0, "size=1m");
    if (!tmpfs.mounted()) {
        GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << tmpfs.why();
    }
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
    auto up = upgrade();
    ASSERT_TRUE(up.alpha1_installed);
    const fs::path bin = up.root / "bin";
    scoped_mount bind(bin.c_str(), bin, nullptr, MS_BIND, nullptr);
    if (!bind.mounted()) {
        GTEST_SKIP() << "cannot bind-mount here (needs root): " << bind.why();
    }
    if (::mount(nullptr, bin.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
        GTEST_SKIP() << "cannot remount read-only: " << std::strerror(errno);
    }
    auto r = install_wheels(up.env, {{up.alpha2, true, std::nullopt}});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().describe().find("Read-only"), std::string::npos) << r.error().describe();
    EXPECT_EQ(snapshot(up.root), up.before);
    auto un = uninstall_projects(up.env, {"alpha"});
    ASSERT_FALSE(un.has_value());
    EXPECT_EQ(snapshot(up.root), up.before);
}

namespace {

// Every change a transaction makes, in order.
struct change_log {
    std::shared_ptr<std::vector<std::pair<std::string, fs::path>>> changes =
        std::make_shared<std::vector<std::pair<std::string, fs::path>>>();
    fs::path fail_rename; // a rename into this path fails
    fault_hook hook() const {
        return [c = changes, f = fail_rename](std::string_view op, const fs::path& p) {
            c->emplace_back(std::string(op), p);
            return op == "rename" && p == f ? EIO : 0;
        };
    }
    // The renames and directories made in the environment proper (not in staging, not
    // moving previous files aside).
    std::vector<fs::path> visible(std::string_view op) const {
        std::vector<fs::path> out;
        for (const auto& [o, p] : *changes) {
            if (o == op && p.string().find(".actpip-") == std::string::npos) {
                out.push_back(p);
            }
        }
        return out;
    }
};

// A package of `files` modules spread over a few directories.
wheel_builder deep_pkg(const std::string& name, const std::string& version, int files) {
    wheel_builder w(name, version);
    for (int i = 0; i < files; ++i) {
        w.file(name + "/sub" + std::to_string(i % 3) + "/deeper/m" + std::to_string(i) + ".py",
               "X = " + std::to_string(i) + "\n");
    }
    w.file(name + "/__init__.py", "V = '" + version + "'\n");
    return w;
}

// The RECORD of an installed distribution, as paths.
std::set<std::string> record_paths(const fs::path& site_dir, const std::string& dist_info) {
    std::set<std::string> out;
    std::istringstream in(read_file(site_dir / dist_info / "RECORD"));
    for (std::string line; std::getline(in, line);) {
        out.insert(line.substr(0, line.find(',')));
    }
    return out;
}

} // namespace

TEST(Transaction, NewPackageDirectoryIsPlacedByOneRename) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    auto g = unpack_for_test(deep_pkg("gamma", "1.0", 30), dir.path() / "g");
    change_log log;
    install_options opt;
    opt.faults = log.hook();
    auto r = install_wheels(env, {{g, true, std::nullopt}}, opt);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const fs::path s = e / site;
    // Two renames (the package, its .dist-info) and no directory made outside staging.
    EXPECT_EQ(log.visible("rename"),
              (std::vector<fs::path>{s / "gamma", s / "gamma-1.0.dist-info"}));
    EXPECT_TRUE(log.visible("mkdir").empty());
    // Everything landed, and RECORD lists every installed file.
    std::set<std::string> installed;
    for (const auto& p : tree_of(s)) {
        if (!p.starts_with(".actpip")) {
            installed.insert(p);
        }
    }
    EXPECT_EQ(installed.size(), 31u + 5u); // modules, METADATA WHEEL RECORD INSTALLER REQUESTED
    EXPECT_EQ(record_paths(s, "gamma-1.0.dist-info"), installed);
    EXPECT_EQ(read_file(s / "gamma/sub2/deeper/m29.py"), "X = 29\n");
    EXPECT_FALSE(has_staging(e));
}

TEST(Transaction, FailureAfterATreeWasPlacedRemovesItWhole) {
    auto up = upgrade();
    ASSERT_TRUE(up.alpha1_installed);
    auto g = unpack_for_test(deep_pkg("gamma", "1.0", 30), up.dir.path() / "g");
    const fs::path s = up.root / site;
    // alpha's files are replaced one by one, then gamma moves in whole; its .dist-info fails.
    for (const fs::path& fail : {s / "gamma-1.0.dist-info"}) {
        change_log log;
        log.fail_rename = fail;
        install_options opt;
        opt.faults = log.hook();
        auto r =
            install_wheels(up.env, {{g, true, std::nullopt}, {up.alpha2, true, std::nullopt}}, opt);
        ASSERT_FALSE(r.has_value());
        const auto renamed = log.visible("rename");
        EXPECT_NE(std::ranges::find(renamed, s / "gamma"), renamed.end());
        EXPECT_EQ(snapshot(up.root), up.before) << "failing at " << fail;
    }
}

TEST(Transaction, NamespaceDirectorySharedByWheels) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    const fs::path s = e / site;
    auto ns_pkg = [](const std::string& name, const std::string& part) {
        wheel_builder w(name, "1.0");
        w.file("ns/" + part + "/__init__.py", part + "\n").file("ns/" + part + "/x/y.py", "y\n");
        return w;
    };
    auto na = unpack_for_test(ns_pkg("nsa", "a"), dir.path() / "na");
    auto nb = unpack_for_test(ns_pkg("nsb", "b"), dir.path() / "nb");
    auto nc = unpack_for_test(ns_pkg("nsc", "c"), dir.path() / "nc");
    // Two in one transaction: both land.
    auto r = install_wheels(env, {{na, true, std::nullopt}, {nb, true, std::nullopt}});
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(read_file(s / "ns/a/__init__.py"), "a\n");
    EXPECT_EQ(read_file(s / "ns/b/x/y.py"), "y\n");
    EXPECT_EQ(record_paths(s, "nsa-1.0.dist-info").count("ns/a/x/y.py"), 1u);
    EXPECT_EQ(record_paths(s, "nsb-1.0.dist-info").count("ns/b/x/y.py"), 1u);
    // A third into the existing namespace directory: its own part moves in one rename.
    const auto before_c = snapshot(e);
    change_log log;
    install_options opt;
    opt.faults = log.hook();
    r = install_wheels(env, {{nc, true, std::nullopt}}, opt);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(log.visible("rename"), (std::vector<fs::path>{s / "ns/c", s / "nsc-1.0.dist-info"}));
    EXPECT_EQ(read_file(s / "ns/c/x/y.py"), "y\n");
    // Uninstalling one keeps the others' files and the shared directory.
    ASSERT_TRUE(uninstall_projects(env, {"nsa"}).has_value());
    EXPECT_FALSE(fs::exists(s / "ns/a"));
    EXPECT_TRUE(fs::exists(s / "ns/b/x/y.py"));
    ASSERT_TRUE(uninstall_projects(env, {"nsc"}).has_value());
    auto after = snapshot(e);
    for (auto it = after.begin(); it != after.end();) {
        it = it->first.find("nsa-") != std::string::npos ? after.erase(it) : std::next(it);
    }
    auto expected = before_c;
    for (auto it = expected.begin(); it != expected.end();) {
        it = it->first.find("nsa-") != std::string::npos ||
                     it->first.find("ns/a") != std::string::npos
                 ? expected.erase(it)
                 : std::next(it);
    }
    EXPECT_EQ(after, expected);
}

TEST(Transaction, UpgradeMergesIntoTheOldDirectories) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    const fs::path s = e / site;
    wheel_builder v1("delta", "1.0");
    v1.file("delta/__init__.py", "1\n")
        .file("delta/old/gone.py", "g\n")
        .file("delta/kept/k.py", "1\n");
    wheel_builder v2("delta", "2.0");
    v2.file("delta/__init__.py", "2\n")
        .file("delta/kept/k.py", "2\n")
        .file("delta/new/n/n.py", "n\n");
    auto d1 = unpack_for_test(v1, dir.path() / "d1");
    auto d2 = unpack_for_test(v2, dir.path() / "d2");
    ASSERT_TRUE(install_wheels(env, {{d1, true, std::nullopt}}).has_value());
    const auto installed_v1 = snapshot(e);
    // A failing upgrade leaves version 1 as it was.
    {
        change_log log;
        log.fail_rename = s / "delta-2.0.dist-info";
        install_options opt;
        opt.faults = log.hook();
        ASSERT_FALSE(install_wheels(env, {{d2, true, std::nullopt}}, opt).has_value());
        EXPECT_EQ(snapshot(e), installed_v1);
    }
    change_log log;
    install_options opt;
    opt.faults = log.hook();
    auto r = install_wheels(env, {{d2, true, std::nullopt}}, opt);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    // The old package directory stays: its files are replaced one by one, new subdirectories
    // and the new .dist-info move in whole.
    EXPECT_EQ(log.visible("rename"),
              (std::vector<fs::path>{s / "delta/__init__.py", s / "delta/kept/k.py",
                                     s / "delta/new", s / "delta-2.0.dist-info"}));
    std::set<std::string> files;
    for (const auto& p : tree_of(s)) {
        if (!p.starts_with(".actpip")) {
            files.insert(p);
        }
    }
    EXPECT_EQ(files,
              (std::set<std::string>{"delta/__init__.py", "delta/kept/k.py", "delta/new/n/n.py",
                                     "delta-2.0.dist-info/METADATA", "delta-2.0.dist-info/WHEEL",
                                     "delta-2.0.dist-info/RECORD", "delta-2.0.dist-info/INSTALLER",
                                     "delta-2.0.dist-info/REQUESTED"}));
    EXPECT_EQ(read_file(s / "delta/kept/k.py"), "2\n");
}

// A tentative pin staged, then dropped: nothing of it reaches the environment, not even an
// empty directory, and the wheel staged after it installs as if it had been alone.
TEST(Transaction, UnstagedWheelLeavesNothing) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    const fs::path s = e / site;
    auto g1 = unpack_for_test(deep_pkg("gamma", "1.0", 12), dir.path() / "g1");
    wheel_builder v2("gamma", "2.0");
    v2.file("gamma/__init__.py", "2\n");
    auto g2 = unpack_for_test(v2, dir.path() / "g2");
    auto b = unpack_for_test(pkg("beta", "1.0"), dir.path() / "b");
    {
        install_transaction tx(env, {});
        ASSERT_TRUE(tx.stage({g1, true, std::nullopt}).has_value());
        ASSERT_TRUE(tx.stage({b, true, std::nullopt}).has_value());
        auto gone = tx.unstage("Gamma");
        ASSERT_TRUE(gone.has_value()) << gone.error().describe();
        EXPECT_TRUE(*gone);
        EXPECT_FALSE(*tx.unstage("gamma")); // once
        ASSERT_TRUE(tx.stage({g2, true, std::nullopt}).has_value());
        auto r = tx.commit();
        ASSERT_TRUE(r.has_value()) << r.error().describe();
        EXPECT_EQ(r->installed, (std::vector<std::string>{"beta-1.0", "gamma-2.0"}));
    }
    std::set<std::string> entries;
    for (const auto& p : tree_of(s)) {
        if (p.starts_with("gamma")) {
            entries.insert(p);
        }
    }
    EXPECT_EQ(entries, (std::set<std::string>{
                           "gamma/__init__.py", "gamma-2.0.dist-info/METADATA",
                           "gamma-2.0.dist-info/WHEEL", "gamma-2.0.dist-info/RECORD",
                           "gamma-2.0.dist-info/INSTALLER", "gamma-2.0.dist-info/REQUESTED"}));
    EXPECT_FALSE(fs::exists(s / "gamma/sub2")); // gamma 1.0's directories, even empty ones
    EXPECT_EQ(read_file(s / "beta/__init__.py"), "V = '1.0'\n");
    EXPECT_FALSE(has_staging(e));
}

// Unstaging an upgrade keeps the installed version; a removal asked for stays asked for.
TEST(Transaction, UnstagedUpgradeKeepsTheInstalledVersion) {
    auto up = upgrade();
    ASSERT_TRUE(up.alpha1_installed);
    {
        install_transaction tx(up.env, {});
        ASSERT_TRUE(tx.stage({up.alpha2, true, std::nullopt}).has_value());
        ASSERT_TRUE(*tx.unstage("alpha"));
        auto r = tx.commit();
        ASSERT_TRUE(r.has_value()) << r.error().describe();
        EXPECT_TRUE(r->installed.empty());
        EXPECT_TRUE(r->removed.empty());
    }
    EXPECT_EQ(snapshot(up.root), up.before);
    install_transaction tx(up.env, {});
    ASSERT_TRUE(*tx.remove("alpha"));
    ASSERT_TRUE(tx.stage({up.alpha2, true, std::nullopt}).has_value());
    ASSERT_TRUE(*tx.unstage("alpha"));
    auto r = tx.commit();
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(r->removed, (std::vector<std::string>{"alpha-1.0"}));
    EXPECT_FALSE(fs::exists(up.root / site / "alpha"));
}

TEST(Transaction, TreeAcrossAMountPointIsCopied) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    const fs::path s = e / site;
    // A namespace directory that is a mount point: renames into it fail with EXDEV.
    const fs::path ns = s / "ns";
    fs::create_directories(ns);
    scoped_mount bind(ns.c_str(), ns, nullptr, MS_BIND, nullptr);
    if (!bind.mounted()) {
        GTEST_SKIP() << "cannot bind-mount here (needs root): " << bind.why();
    }
    wheel_builder w("nsc", "1.0");
    w.file("ns/c/__init__.py", "c\n").file("ns/c/x/y.py", "y\n");
    auto nc = unpack_for_test(w, dir.path() / "nc");
    const auto before = snapshot(e);
    // A failure in the middle of the copy removes what was copied.
    {
        install_options opt;
        opt.faults = [&](std::string_view op, const fs::path& p) {
            return op == "write" && p == ns / "c/x/y.py" ? ENOSPC : 0;
        };
        auto r = install_wheels(env, {{nc, true, std::nullopt}}, opt);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(snapshot(e), before);
    }
    auto r = install_wheels(env, {{nc, true, std::nullopt}});
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(read_file(ns / "c/x/y.py"), "y\n");
    EXPECT_EQ(record_paths(s, "nsc-1.0.dist-info").count("ns/c/x/y.py"), 1u);
    EXPECT_FALSE(has_staging(e));
    ASSERT_TRUE(uninstall_projects(env, {"nsc"}).has_value());
    EXPECT_EQ(snapshot(e), before);
}
