#include "actpip/storage/entry_points.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/record.hpp"
#include "support/venv.hpp"

#include <gtest/gtest.h>

using namespace actpip::storage;

TEST(Record, ParsesQuotedCsvAndWritesAsPip) {
    auto rows = parse_record("a.py,sha256=x,3\r\n\"b,c.py\",,\n\"q\"\"\",sha256=y,1\n", "R");
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[1].path, "b,c.py");
    EXPECT_EQ((*rows)[2].path, "q\"");
    EXPECT_EQ(format_record(*rows), "a.py,sha256=x,3\r\n\"b,c.py\",,\r\n\"q\"\"\",sha256=y,1\r\n");
}

TEST(Record, HashFields) {
    EXPECT_EQ(actpip::test::record_hash_of(""),
              "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    auto h = parse_record_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->digest.size(), 32u);
    EXPECT_FALSE(parse_record_hash("md5=1B2M2Y8AsgTpgAmY7PhCfg").has_value());
    EXPECT_FALSE(parse_record_hash("sha256=short").has_value());
}

TEST(EntryPoints, ParsesGroupsAndMakesPipLaunchers) {
    auto eps = parse_entry_points(
        "[console_scripts]\nfoo = pkg.cli:app.main [extra]\n\n[gui_scripts]\nbar=pkg:run\n"
        "[pytest11]\nplug = pkg.plugin\n",
        "entry_points.txt");
    ASSERT_TRUE(eps.has_value());
    auto scripts = script_entry_points(*eps);
    ASSERT_EQ(scripts.size(), 2u);
    EXPECT_EQ(scripts[0].attr, "app.main");
    auto text = launcher_script(scripts[0], "/v/bin/python");
    ASSERT_TRUE(text.has_value());
    EXPECT_NE(text->find("from pkg.cli import app\n"), std::string::npos);
    EXPECT_NE(text->find("sys.exit(app.main())"), std::string::npos);
    EXPECT_EQ(script_shebang("/a b/python"),
              "#!/bin/sh\n'''exec' \"/a b/python\" \"$0\" \"$@\"\n' '''");
    EXPECT_FALSE(launcher_script({"console_scripts", "x", "mod", ""}, "/p").has_value());
    EXPECT_FALSE(parse_entry_points("no group = x:y\n", "e").has_value());
}

TEST(Environment, SchemesForTargetAndPrefixAndPep668) {
    auto python = actpip::test::fake_interpreter("/venv");
    python.prefix_paths = {{"purelib", "@PREFIX@/lib/python3.11/site-packages"},
                           {"scripts", "@PREFIX@/bin"},
                           {"data", "@PREFIX@"},
                           {"include", "@PREFIX@/include/python3.11"}};
    auto t = target_scheme(python, "/t", "Demo");
    EXPECT_EQ(t.purelib, "/t");
    EXPECT_EQ(t.scripts, "/t/bin");
    EXPECT_EQ(t.headers, "/t/include/site/python3.11/Demo");
    auto p = prefix_scheme(python, "/p", "Demo");
    EXPECT_EQ(p.purelib, "/p/lib/python3.11/site-packages");
    EXPECT_EQ(p.platlib, "/p/lib/python3.11/site-packages");
    EXPECT_EQ(p.scripts, "/p/bin");
    auto i = interpreter_scheme(python, "Demo");
    EXPECT_EQ(i.headers, "/venv/include/site/python3.11/Demo");

    python.in_virtualenv = false;
    python.externally_managed = true;
    python.externally_managed_error = "use apt";
    auto refused = make_environment(python, {});
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message.find("externally managed"), std::string::npos);
    EXPECT_NE(refused.error().message.find("use apt"), std::string::npos);
    environment_options brk;
    brk.break_system_packages = true;
    EXPECT_TRUE(make_environment(python, brk).has_value());
    environment_options reading;
    reading.for_writing = false;
    EXPECT_TRUE(make_environment(python, reading).has_value());
    environment_options target;
    target.target = "/t";
    auto env = make_environment(python, target);
    ASSERT_TRUE(env.has_value());
    EXPECT_EQ(env->kind, environment_kind::target);
    EXPECT_TRUE(env->contains("/t/x/y"));
    EXPECT_FALSE(env->contains("/t/../etc/passwd"));
}
