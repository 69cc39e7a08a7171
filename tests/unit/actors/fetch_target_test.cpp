// The fetch target: what makes two sessions' answers differ (its key), and what it compiles
// to on the fetch side (the tags of the interpreter it describes, its Python version).
#include <gtest/gtest.h>

#include "actpip/actors/fetch_target.hpp"
#include "support/actors/target.hpp"

namespace {

using namespace actpip;
using namespace actpip::actors;

TEST(fetch_target, the_key_changes_with_everything_that_changes_an_answer) {
    auto base = test::fetch_target_for({"https://pypi.example/simple/"});
    EXPECT_EQ(target_key(base),
              target_key(test::fetch_target_for({"https://pypi.example/simple/"})));
    std::vector<fetch_target> variants(9, base);
    variants[0].index_urls.push_back("https://extra.example/simple/");
    variants[1].strategy = core::index_strategy::unsafe_best_match;
    variants[2].interpreter.minor = 12;
    variants[3].interpreter.platforms = {"manylinux2014_aarch64"};
    variants[4].python_version = "3.11.8";
    variants[5].allow_prereleases = true;
    variants[6].only_binary = {":all:"};
    variants[7].markers["sys_platform"] = "win32";
    variants[8].cache_mode = storage::cache_mode::offline;
    std::set<std::string> keys{target_key(base)};
    for (const auto& v : variants)
        keys.insert(target_key(v));
    EXPECT_EQ(keys.size(), variants.size() + 1) << "two different targets share a key";
}

TEST(fetch_target, compiles_to_the_interpreters_tags_and_version) {
    auto t = test::fetch_target_for({"https://pypi.example/simple/"});
    auto c = compile_target(t);
    ASSERT_TRUE(c) << c.error().describe();
    EXPECT_TRUE(c->policy.tags.is_compatible(
        std::vector{core::tag("cp311", "cp311", "manylinux_2_17_x86_64")}));
    EXPECT_TRUE(c->policy.tags.is_compatible(std::vector{core::tag("py3", "none", "any")}));
    EXPECT_FALSE(c->policy.tags.is_compatible(
        std::vector{core::tag("cp312", "cp312", "manylinux_2_17_x86_64")}));
    EXPECT_FALSE(
        c->policy.tags.is_compatible(std::vector{core::tag("cp311", "cp311", "win_amd64")}));
    EXPECT_EQ(c->policy.python_version.to_string(), "3.11.7");
    EXPECT_EQ(c->markers.values.at("sys_platform"), "linux");
    t.python_version = "not a version";
    EXPECT_FALSE(compile_target(t));
}

TEST(fetch_target, interpreter_facts_survive_the_wire) {
    core::interpreter_info info;
    info.implementation = "pp";
    info.version = {3, 10};
    info.abis = {"pypy310_pp73"};
    info.os = core::os_kind::linux_family;
    info.arch = "aarch64";
    info.musl = core::major_minor{1, 2};
    std::vector<std::string> platforms{"musllinux_1_2_aarch64"};
    auto w = to_wire(info, platforms);
    auto back = from_wire(w);
    EXPECT_EQ(back.implementation, "pp");
    EXPECT_EQ(back.version, info.version);
    EXPECT_EQ(back.abis, info.abis);
    EXPECT_EQ(back.arch, "aarch64");
    EXPECT_FALSE(back.glibc);
    ASSERT_TRUE(back.musl);
    EXPECT_EQ(*back.musl, (core::major_minor{1, 2}));
    EXPECT_EQ(w.platforms, platforms);
}

} // namespace
