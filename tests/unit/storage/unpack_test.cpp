#include "actpip/core/hash.hpp"
#include "actpip/storage/unpack.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"
#include "support/wheel_builder.hpp"

#include <gtest/gtest.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using actpip::test::temp_dir;
using actpip::test::tree_of;
using actpip::test::wheel_builder;

namespace {

// Unpacks and expects a rejection whose message contains `why`, with nothing left behind.
void expect_rejected(const wheel_builder& w, const std::string& why,
                     const unpack_options& opt = {}) {
    temp_dir dir;
    auto wheel = w.write(dir.path());
    auto dest = dir.path() / "cache" / "unpacked" / "abc";
    auto r = unpack_wheel(wheel, dest, opt);
    ASSERT_FALSE(r.has_value()) << "accepted an evil wheel (" << why << ")";
    EXPECT_NE(r.error().describe().find(why), std::string::npos) << r.error().describe();
    EXPECT_TRUE(tree_of(dir.path() / "cache" / "unpacked").empty())
        << "left something behind for " << why;
}

} // namespace

TEST(Unpack, GoodWheelUnpacksVerifiedWithModes) {
    temp_dir dir;
    wheel_builder w("demo", "1.0");
    w.file("demo/__init__.py", "x = 1\n").file("demo/tool.sh", "#!/bin/sh\n", true);
    auto dest = dir.path() / "u" / "k";
    auto r = unpack_wheel(w.write(dir.path()), dest);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(r->name, "demo");
    EXPECT_EQ(r->dist_info, "demo-1.0.dist-info");
    EXPECT_TRUE(r->root_is_purelib);
    EXPECT_EQ(actpip::test::read_file(dest / "demo/__init__.py"), "x = 1\n");
    EXPECT_TRUE((fs::status(dest / "demo/tool.sh").permissions() & fs::perms::owner_exec) !=
                fs::perms::none);
    EXPECT_TRUE((fs::status(dest / "demo/__init__.py").permissions() & fs::perms::owner_exec) ==
                fs::perms::none);
    EXPECT_EQ(tree_of(dir.path() / "u"), (std::set<std::string>{
                                             "k/demo-1.0.dist-info/METADATA",
                                             "k/demo-1.0.dist-info/RECORD",
                                             "k/demo-1.0.dist-info/WHEEL",
                                             "k/demo/__init__.py",
                                             "k/demo/tool.sh",
                                         }));
    // A second unpack reuses the tree without reading the wheel again.
    auto again = unpack_wheel(dir.path() / "missing.whl", dest);
    ASSERT_TRUE(again.has_value()) << again.error().describe();
}

TEST(Unpack, RejectsEvilWheelsLeavingNothing) {
    expect_rejected(wheel_builder("demo", "1.0").unlisted("demo/extra.py", "x"),
                    "not listed in RECORD");
    expect_rejected(wheel_builder("demo", "1.0").wrong_hash("demo/a.py", "x"),
                    "does not match its hash");
    expect_rejected(wheel_builder("demo", "1.0").file("../evil.py", "x"), "outside");
    expect_rejected(wheel_builder("demo", "1.0").file("demo/../../evil.py", "x"), "outside");
    expect_rejected(wheel_builder("demo", "1.0").file("/etc/evil", "x"), "outside");
    expect_rejected(wheel_builder("demo", "1.0").symlink("demo/link", "/etc/passwd"),
                    "symbolic link");
    expect_rejected(wheel_builder("demo", "1.0").wheel_file("Wheel-Version: 2.0\n"),
                    "Wheel-Version 2.0");
    expect_rejected(wheel_builder("demo", "1.0").rename_dist_info("other-1.0.dist-info"),
                    "does not match the project");
    expect_rejected(wheel_builder("demo", "1.0").rename_dist_info("demo-2.0.dist-info"),
                    "does not match the version");
}

TEST(Unpack, RejectsZipBombs) {
    std::string zeros(6u << 20, '\0');
    unpack_options ratio;
    expect_rejected(wheel_builder("demo", "1.0").file("demo/zeros.bin", zeros),
                    "inflates more than", ratio);
    unpack_options total;
    total.limits.max_total_size = 1u << 20;
    total.limits.max_ratio = 1u << 30;
    expect_rejected(wheel_builder("demo", "1.0").file("demo/zeros.bin", zeros),
                    "unpacks to more than", total);
}

TEST(Unpack, InjectedWriteFailureLeavesNothing) {
    unpack_options opt;
    opt.faults = [](std::string_view op, const fs::path& p) {
        return op == "write" && p.filename() == "b.py" ? ENOSPC : 0;
    };
    expect_rejected(wheel_builder("demo", "1.0").file("demo/a.py", "a").file("demo/b.py", "b"),
                    "No space left", opt);
}

TEST(Unpack, MemberNamesAreChecked) {
    EXPECT_TRUE(is_safe_member_name("a/b.py"));
    EXPECT_TRUE(is_safe_member_name("a/"));
    EXPECT_FALSE(is_safe_member_name("a//b"));
    EXPECT_FALSE(is_safe_member_name("./a"));
    EXPECT_FALSE(is_safe_member_name("a\\..\\b"));
    EXPECT_FALSE(is_safe_member_name(""));
}

// Cached wheels are written without fsync: one that lost its content is caught by its hash
// before it is unpacked, removed from the cache, and nothing is unpacked.
TEST(Unpack, AWheelThatIsNotItsSha256IsRefusedAndACachedOneRemoved) {
    temp_dir dir;
    wheel_builder w("demo", "1.0");
    w.file("demo/__init__.py", "x = 1\n");
    auto built = w.write(dir.path());
    const std::string actual = [&] {
        auto d = actpip::core::hash_bytes(actpip::core::hash_algorithm::sha256,
                                          actpip::test::read_file(built));
        return d->hex;
    }();
    const std::string claimed(64, 'e');
    // Stored under the hash it should have (as the cache stores it), with other bytes.
    auto cached = dir.path() / "wheels" / claimed;
    fs::create_directories(cached.parent_path());
    fs::copy_file(built, cached);
    unpack_options opt;
    opt.filename = "demo-1.0-py3-none-any.whl";
    opt.sha256 = claimed;
    auto r = unpack_wheel(cached, dir.path() / "unpacked" / claimed, opt);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, actpip::core::errc::hash_mismatch);
    EXPECT_NE(r.error().describe().find("removed from the cache"), std::string::npos)
        << r.error().describe();
    EXPECT_FALSE(fs::exists(cached));
    EXPECT_FALSE(fs::exists(dir.path() / "unpacked" / claimed));
    // A user's own file is refused the same way, and left where it is.
    auto refused = unpack_wheel(built, dir.path() / "unpacked" / claimed, opt);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(fs::exists(built));
    // With its real hash, it unpacks.
    opt.sha256 = actual;
    auto good = unpack_wheel(built, dir.path() / "unpacked" / actual, opt);
    ASSERT_TRUE(good.has_value()) << good.error().describe();
}
