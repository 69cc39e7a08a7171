// The no-op check: installed distributions and their own metadata against the requirements,
// as pip's "Requirement already satisfied" decides without an index.
#include "actpip/resolver/installed_check.hpp"
#include "support/markers.hpp"

#include <gtest/gtest.h>

namespace {

using namespace actpip;
using resolver::installed_project;
using resolver::satisfied_by_installed;

core::requirement req(const char* text) {
    return *core::requirement::parse(text);
}

installed_project project(const char* version, std::vector<const char*> requires_dist = {},
                          std::set<std::string> extras = {}) {
    installed_project p{*core::version::parse(version), {}, std::move(extras)};
    for (const auto* r : requires_dist)
        p.requires_dist.push_back(req(r));
    return p;
}

// app 1.0 -> lib>=1 (and win-only on Windows), lib[fast] -> speedups; tool 0.5rc1.
std::map<std::string, installed_project> environment() {
    return {
        {"app",
         project("1.0",
                 {"lib>=1", "winonly ; sys_platform == 'win32'", "speedups ; extra == 'fast'"},
                 {"fast"})},
        {"lib", project("1.2", {"six"})},
        {"six", project("1.17.0")},
        {"tool", project("0.5rc1")},
    };
}

TEST(InstalledCheck, RootsAndTheirDependenciesInstalledAreSatisfied) {
    auto reached =
        satisfied_by_installed({req("app")}, {}, test::linux_py311_markers(), environment());
    ASSERT_TRUE(reached);
    EXPECT_EQ(*reached, (std::set<std::string>{"app", "lib", "six"}));
    EXPECT_TRUE(satisfied_by_installed({req("App>=1,<2"), req("six")}, {},
                                       test::linux_py311_markers(), environment()));
    // A marker that excludes the root: nothing to check for it.
    EXPECT_TRUE(satisfied_by_installed({req("missing ; sys_platform == 'win32'")}, {},
                                       test::linux_py311_markers(), environment()));
    // An installed pre-release satisfies (pip's check does not ask for --pre).
    EXPECT_TRUE(
        satisfied_by_installed({req("tool>=0.1")}, {}, test::linux_py311_markers(), environment()));
}

TEST(InstalledCheck, AnythingMissingOrOutOfRangeIsNotSatisfied) {
    auto env = environment();
    EXPECT_FALSE(satisfied_by_installed({req("app>=2")}, {}, test::linux_py311_markers(), env));
    EXPECT_FALSE(satisfied_by_installed({req("missing")}, {}, test::linux_py311_markers(), env));
    // A dependency missing deep down.
    env.erase("six");
    EXPECT_FALSE(satisfied_by_installed({req("app")}, {}, test::linux_py311_markers(), env));
    // ... unless only the roots count.
    EXPECT_TRUE(satisfied_by_installed({req("app")}, {}, test::linux_py311_markers(), env, true));
    // A dependency whose version no longer fits.
    env = environment();
    env.at("lib") = project("0.9", {"six"});
    EXPECT_FALSE(satisfied_by_installed({req("app")}, {}, test::linux_py311_markers(), env));
}

TEST(InstalledCheck, ExtrasBringTheirOwnRequirements) {
    auto env = environment();
    EXPECT_FALSE(satisfied_by_installed({req("app[fast]")}, {}, test::linux_py311_markers(), env))
        << "speedups, which the extra needs, is not installed";
    env.emplace("speedups", project("2.0"));
    EXPECT_TRUE(satisfied_by_installed({req("app[FAST]")}, {}, test::linux_py311_markers(), env));
    // An extra the installed project does not provide: for the resolver to judge.
    EXPECT_FALSE(satisfied_by_installed({req("app[other]")}, {}, test::linux_py311_markers(), env));
}

TEST(InstalledCheck, ConstraintsOnInstalledProjectsMustHoldAndAddNothing) {
    EXPECT_FALSE(satisfied_by_installed({req("app")}, {req("lib<1.2")}, test::linux_py311_markers(),
                                        environment()));
    EXPECT_TRUE(satisfied_by_installed({req("app")}, {req("lib<2"), req("unrelated==1")},
                                       test::linux_py311_markers(), environment()));
}

TEST(InstalledCheck, DirectReferencesAreLeftToTheResolver) {
    EXPECT_FALSE(satisfied_by_installed({req("app @ https://example.org/app-1.0-py3-none-any.whl")},
                                        {}, test::linux_py311_markers(), environment()));
}

TEST(InstalledCheck, CyclesEnd) {
    std::map<std::string, installed_project> env{{"a", project("1", {"b"})},
                                                 {"b", project("1", {"a"})}};
    EXPECT_TRUE(satisfied_by_installed({req("a")}, {}, test::linux_py311_markers(), env));
}

} // namespace
