#include "actpip/storage/installed.hpp"
#include "actpip/storage/transaction.hpp"
#include "support/files.hpp"
#include "support/venv.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::test;

namespace {

wheel_builder demo_wheel(const std::string& version) {
    wheel_builder w("demo", version);
    w.file("demo/__init__.py", "VERSION = '" + version + "'\n")
        .file("demo/cli.py", "def main():\n    print('hi')\n")
        .file(w.data_dir() + "/scripts/demo-tool", "#!python\nprint('tool')\n", true)
        .file(w.data_dir() + "/data/share/demo/readme.txt", "data\n")
        .file(w.data_dir() + "/headers/demo.h", "int demo;\n")
        .entry_points("[console_scripts]\ndemo = demo.cli:main\n"
                      "[gui_scripts]\ndemo-gui = demo.cli:main\n[other]\nx = y:z\n");
    if (version == "1.0") {
        w.file("demo/old_only.py", "pass\n");
    } else {
        w.file("demo/new_only.py", "pass\n");
    }
    return w;
}

bool executable(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && (st.st_mode & 0100);
}

const std::string site = "lib/python3.11/site-packages";

} // namespace

TEST(Install, PlacesEveryPartAsPipDoes) {
    temp_dir dir;
    auto env = fake_environment(dir.path() / "env");
    auto w = unpack_for_test(demo_wheel("1.0"), dir.path());
    wheel_to_install req{w, true, direct_url_for_archive("file:///x/demo.whl", "ab")};
    auto r = install_wheels(env, {req});
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const fs::path e = dir.path() / "env";
    EXPECT_EQ(read_file(e / site / "demo/__init__.py"), "VERSION = '1.0'\n");
    EXPECT_EQ(read_file(e / "bin/demo-tool"),
              "#!" + (e / "bin/python").string() + "\nprint('tool')\n");
    EXPECT_TRUE(executable(e / "bin/demo-tool"));
    EXPECT_EQ(read_file(e / "share/demo/readme.txt"), "data\n");
    EXPECT_EQ(read_file(e / "include/site/python3.11/demo/demo.h"), "int demo;\n");
    EXPECT_EQ(read_file(e / "bin/demo"),
              "#!" + (e / "bin/python").string() +
                  "\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom demo.cli import main\n"
                  "if __name__ == '__main__':\n"
                  "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
                  "    sys.exit(main())\n");
    EXPECT_TRUE(executable(e / "bin/demo"));
    EXPECT_TRUE(fs::exists(e / "bin/demo-gui"));
    EXPECT_FALSE(fs::exists(e / "bin/x"));
    const fs::path info = e / site / "demo-1.0.dist-info";
    EXPECT_EQ(read_file(info / "INSTALLER"), "actpip\n");
    EXPECT_TRUE(fs::exists(info / "REQUESTED"));
    EXPECT_EQ(
        read_file(info / "direct_url.json"),
        R"({"archive_info": {"hash": "sha256=ab", "hashes": {"sha256": "ab"}}, "url": "file:///x/demo.whl"})");

    auto record = parse_record(read_file(info / "RECORD"), "RECORD");
    ASSERT_TRUE(record.has_value());
    std::map<std::string, record_entry> rows;
    for (const auto& row : *record) {
        rows[row.path] = row;
    }
    EXPECT_EQ(rows.size(), 15u);
    for (const auto& [path, row] : rows) {
        if (path == "demo-1.0.dist-info/RECORD") {
            EXPECT_EQ(row.hash, "");
            continue;
        }
        const auto content = read_file(e / site / path);
        EXPECT_EQ(row.hash, record_hash_of(content)) << path;
        EXPECT_EQ(row.size, std::to_string(content.size())) << path;
    }
    EXPECT_TRUE(rows.contains("../../../bin/demo"));
    EXPECT_TRUE(rows.contains("../../../bin/demo-tool"));
    EXPECT_TRUE(rows.contains("../../../share/demo/readme.txt"));
    EXPECT_TRUE(rows.contains("../../../include/site/python3.11/demo/demo.h"));
    // Nothing of the transaction is left.
    for (const auto& [path, _] : snapshot(e)) {
        EXPECT_EQ(path.find(".actpip"), std::string::npos) << path;
    }
    auto listed = list_installed(env);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, "demo");
    EXPECT_EQ(listed[0].version, "1.0");
    EXPECT_EQ(listed[0].installer, "actpip");
    EXPECT_TRUE(listed[0].requested);
}

TEST(Install, LinkModes) {
    temp_dir dir;
    auto w = unpack_for_test(demo_wheel("1.0"), dir.path());
    const fs::path src = w.root / "demo/__init__.py";
    for (auto mode : {link_mode::hardlink, link_mode::symlink, link_mode::copy,
                      link_mode::automatic, link_mode::clone}) {
        const fs::path e = dir.path() / ("env-" + std::string(to_string(mode)));
        auto env = fake_environment(e);
        install_options opt;
        opt.mode = mode;
        auto r = install_wheels(env, {{w, false, std::nullopt}}, opt);
        ASSERT_TRUE(r.has_value()) << r.error().describe();
        const fs::path dst = e / site / "demo/__init__.py";
        EXPECT_EQ(read_file(dst), "VERSION = '1.0'\n");
        EXPECT_EQ(fs::is_symlink(dst), mode == link_mode::symlink);
        bool same = fs::equivalent(src, dst);
        EXPECT_EQ(same, mode == link_mode::hardlink || mode == link_mode::symlink ||
                            (mode == link_mode::automatic && fs::hard_link_count(dst) > 1))
            << to_string(mode);
        EXPECT_FALSE(fs::exists(e / site / "demo-1.0.dist-info/REQUESTED"));
    }
}

TEST(Install, UpgradeReplacesAndUninstallRemovesExactlyItsFiles) {
    temp_dir dir;
    const fs::path e = dir.path() / "env";
    auto env = fake_environment(e);
    const auto empty = snapshot(e);
    auto w1 = unpack_for_test(demo_wheel("1.0"), dir.path() / "w1");
    auto w2 = unpack_for_test(demo_wheel("2.0"), dir.path() / "w2");
    ASSERT_TRUE(install_wheels(env, {{w1, true, std::nullopt}}).has_value());
    // A foreign file in the package directory, and compiled files of its modules.
    std::ofstream(e / site / "demo/foreign.txt") << "mine";
    fs::create_directories(e / site / "demo/__pycache__");
    std::ofstream(e / site / "demo/__pycache__/old_only.cpython-311.pyc") << "pyc";
    std::ofstream(e / site / "demo/__pycache__/__init__.cpython-311.pyc") << "pyc";

    auto up = install_wheels(env, {{w2, true, std::nullopt}});
    ASSERT_TRUE(up.has_value()) << up.error().describe();
    EXPECT_EQ(up->removed, std::vector<std::string>{"demo-1.0"});
    EXPECT_FALSE(fs::exists(e / site / "demo/old_only.py"));
    EXPECT_FALSE(fs::exists(e / site / "demo/__pycache__"));
    EXPECT_FALSE(fs::exists(e / site / "demo-1.0.dist-info"));
    EXPECT_TRUE(fs::exists(e / site / "demo/new_only.py"));
    EXPECT_EQ(read_file(e / site / "demo/__init__.py"), "VERSION = '2.0'\n");
    EXPECT_EQ(read_file(e / site / "demo/foreign.txt"), "mine");

    std::vector<std::string> missing;
    auto un = uninstall_projects(env, {"Demo", "absent"}, &missing);
    ASSERT_TRUE(un.has_value()) << un.error().describe();
    EXPECT_EQ(missing, std::vector<std::string>{"absent"});
    auto after = snapshot(e);
    EXPECT_EQ(after.erase(site + "/demo/foreign.txt"), 1u);
    EXPECT_EQ(after.erase(site + "/demo"), 1u);
    EXPECT_EQ(after, empty);
}

TEST(Install, MissingRecordRefusesUninstall) {
    temp_dir dir;
    auto env = fake_environment(dir.path() / "env");
    auto w = unpack_for_test(demo_wheel("1.0"), dir.path());
    ASSERT_TRUE(install_wheels(env, {{w, true, std::nullopt}}).has_value());
    fs::remove(dir.path() / "env" / site / "demo-1.0.dist-info/RECORD");
    auto before = snapshot(dir.path() / "env");
    auto r = uninstall_projects(env, {"demo"});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("RECORD"), std::string::npos);
    EXPECT_EQ(snapshot(dir.path() / "env"), before);
}

TEST(Install, BadDataKeyIsRejectedLeavingNothing) {
    temp_dir dir;
    auto env = fake_environment(dir.path() / "env");
    const auto before = snapshot(dir.path() / "env");
    wheel_builder bad("demo", "1.0");
    bad.file(bad.data_dir() + "/elsewhere/x", "x");
    auto r = install_wheels(env, {{unpack_for_test(bad, dir.path()), true, std::nullopt}});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().describe().find("unknown scheme key"), std::string::npos);
    EXPECT_EQ(snapshot(dir.path() / "env"), before);
}
