// PEP 440 specifiers and specifier sets, as packaging 21.3 reads and applies them.

#include "actpip/core/specifier.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace actpip::core;

version v(std::string_view text) {
    return version::parse(text).value_or(version{});
}

specifier spec(std::string_view text) {
    auto parsed = specifier::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text << ": " << parsed.error().message;
    return parsed.value_or(specifier{});
}

specifier_set set(std::string_view text) {
    auto parsed = specifier_set::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text << ": " << parsed.error().describe();
    return parsed.value_or(specifier_set{});
}

struct valid_spec {
    const char* input;
    spec_op op;
    const char* version_text; // as packaging stores it: stripped, otherwise as written
    bool wildcard;
};

class SpecifierParse : public ::testing::TestWithParam<valid_spec> {};

TEST_P(SpecifierParse, KeepsOperatorAndVersionText) {
    const auto& c = GetParam();
    const specifier s = spec(c.input);
    EXPECT_EQ(s.op(), c.op) << c.input;
    EXPECT_EQ(s.version_text(), c.version_text) << c.input;
    EXPECT_EQ(s.wildcard(), c.wildcard) << c.input;
    EXPECT_EQ(s.to_string(), std::string(to_string(c.op)) + c.version_text);
}

INSTANTIATE_TEST_SUITE_P(
    Pep440, SpecifierParse,
    ::testing::Values(
        valid_spec{">=1.0", spec_op::greater_equal, "1.0", false},
        valid_spec{"  >=  1.0  ", spec_op::greater_equal, "1.0", false},
        valid_spec{"<=2", spec_op::less_equal, "2", false},
        valid_spec{"<1.0.dev1", spec_op::less, "1.0.dev1", false},
        valid_spec{">1!2.0.post1", spec_op::greater, "1!2.0.post1", false},
        valid_spec{"==1.0.*", spec_op::equal, "1.0.*", true},
        valid_spec{"!=1.0.*", spec_op::not_equal, "1.0.*", true},
        valid_spec{"==1.0rc1.post2.*", spec_op::equal, "1.0rc1.post2.*", true},
        // The trailing separator of a label may be given back to the wildcard.
        valid_spec{"==1.0.post.*", spec_op::equal, "1.0.post.*", true},
        valid_spec{"==1.0a.*", spec_op::equal, "1.0a.*", true},
        valid_spec{"==1.0+local", spec_op::equal, "1.0+local", false},
        valid_spec{"!=1.0+Local.7", spec_op::not_equal, "1.0+Local.7", false},
        valid_spec{"~=2.2", spec_op::compatible, "2.2", false},
        valid_spec{"~=1.4.5a4.post1.dev2", spec_op::compatible, "1.4.5a4.post1.dev2", false},
        valid_spec{"== v1.0", spec_op::equal, "v1.0", false}, // not normalized
        valid_spec{">=1.0.POST1", spec_op::greater_equal, "1.0.POST1", false},
        valid_spec{"===foo", spec_op::arbitrary, "foo", false},
        valid_spec{"=== 1.0+ABC", spec_op::arbitrary, "1.0+ABC", false},
        valid_spec{"===", spec_op::arbitrary, "", false}, // the empty operand is valid
        valid_spec{"\xE3\x80\x80>=\xC2\xA0"
                   "1.0",
                   spec_op::greater_equal, "1.0", false}));

class SpecifierInvalid : public ::testing::TestWithParam<const char*> {};

TEST_P(SpecifierInvalid, IsRejected) {
    auto parsed = specifier::parse(GetParam());
    ASSERT_FALSE(parsed.has_value()) << GetParam() << " -> " << parsed->to_string();
    EXPECT_EQ(parsed.error().code, errc::invalid_specifier);
}

INSTANTIATE_TEST_SUITE_P(
    Pep440, SpecifierInvalid,
    ::testing::Values("", "1.0", "=>1.0", "=1.0", ">=", "==", "~=", "!==1.0", "<==1.0", ">= 1.0 a",
                      "== 1.0 .*", "=== a b",
                      // wildcards only with == and !=, and not after dev or local
                      ">=1.0.*", "<1.0.*", ">1.0.*", "<=1.0.*", "~=1.0.*", "==1.0.dev1.*",
                      "==1.0+local.*", "==1.0.*.*", "==*", "==.*", "==1.*.0",
                      // local versions only with == and !=
                      ">=1.0+local", "<1.0+local", "~=1.0+local", ">1.0+local",
                      // ~= needs two release segments
                      "~=1", "~=1!2", "~=1a1",
                      // versions packaging 21.3 accepts only as LegacySpecifier
                      "==foo", ">=1.0-", ">=1.0.x", "<2.0'", "==1.0,"));

TEST(SpecifierErrors, ExplainTheRule) {
    auto message = [](std::string_view text) { return specifier::parse(text).error().message; };
    EXPECT_EQ(message(">=1.0.*"),
              "invalid specifier '>=1.0.*': a wildcard (.*) is only allowed with == and != at "
              "position 6");
    EXPECT_NE(message("~=1").find("at least two release segments"), std::string::npos);
    EXPECT_NE(message(">1.0+abc").find("local version label is only allowed with == and !="),
              std::string::npos);
    EXPECT_NE(message("==1.0.dev1.*").find("cannot follow a dev release"), std::string::npos);
    EXPECT_NE(message("1.0").find("expected an operator"), std::string::npos);
    EXPECT_NE(message(">=1.0x").find("unexpected 'x' at position 6"), std::string::npos);
}

struct containment {
    const char* spec;
    const char* candidate;
    bool expected;
};

class SpecifierContains : public ::testing::TestWithParam<containment> {};

TEST_P(SpecifierContains, MatchesAsPackagingDoes) {
    const auto& c = GetParam();
    EXPECT_EQ(spec(c.spec).contains(v(c.candidate)), c.expected) << c.spec << " " << c.candidate;
}

INSTANTIATE_TEST_SUITE_P(
    Pep440, SpecifierContains,
    ::testing::Values(
        // == ignores the candidate's local label unless the spec has one
        containment{"==1.0", "1.0+local", true}, containment{"==1.0+local", "1.0", false},
        containment{"==1.0+LOCAL", "1.0+local", true}, containment{"==1.0", "1.0.0", true},
        containment{"==1.0.0", "1", true}, containment{"!=1.0", "1.0+x", false},
        containment{"!=1.0+x", "1.0+y", true},
        // prefix matching, with zero padding of the release
        containment{"==1.0.*", "1.0.5", true}, containment{"==1.1.*", "1.0.5", false},
        containment{"==1.0.*", "1", true}, containment{"==1.0.*", "1.0a1", true},
        containment{"==1.0.*", "1.0.post1", true}, containment{"==1.0.*", "1.0+local", true},
        containment{"!=1.0.*", "1.0.9", false}, containment{"!=1.0.*", "1.1", true},
        containment{"==1.0rc1.*", "1.0rc1.post1", true},
        // ... and packaging's text-based quirks, kept on purpose
        containment{"==1.0.0.*", "1.0a1", false}, containment{"==1.0.*", "1a1", false},
        containment{"==1!1.0.*", "1!1", false}, containment{"==v1.*", "1.0", false},
        containment{"==1.01.*", "1.1", false}, containment{"==1.0.post.*", "1.0.post0", false},
        // ~=: >= and a prefix match on all but the last release segment
        containment{"~=2.2", "2.3", true}, containment{"~=2.2", "3.0", false},
        containment{"~=2.2", "2.1", false}, containment{"~=1.4.5", "1.4.9", true},
        containment{"~=1.4.5", "1.5.0", false}, containment{"~=2.2.post3", "2.2.post4", true},
        containment{"~=2.2.post3", "2.3", true}, containment{"~=2.2.post3", "2.2", false},
        containment{"~=1.4.5a4", "1.4.5", true}, containment{"~=1.4.5a4", "1.5", false},
        containment{"~=1.0", "1.5+local", true}, containment{"~=1.0.a1", "1.5", true},
        containment{"~=1.0.c1", "1.0.5", true}, containment{"~=2022.01.01", "2022.1.5", false},
        containment{"~=v1.2", "1.5", false},
        // <= and >= compare the public version
        containment{"<=1.7", "1.7+local", true}, containment{">=1.7", "1.7+local", true},
        containment{"<=1.7", "1.7.post1", false}, containment{">=1.7", "1.7rc1", false},
        // < excludes pre-releases of the spec's release unless the spec is one
        containment{"<1.7", "1.7rc1", false}, containment{"<1.7", "1.7.dev0", false},
        containment{"<1.7", "1.6.9a1", true}, containment{"<1.7rc2", "1.7rc1", true},
        containment{"<1.7a1", "1.7a0", true}, containment{"<1.7", "1.7+local", false},
        containment{"<1.7.post1", "1.7+local", true}, containment{"<1.7", "1.7.0", false},
        // > excludes post releases (unless the spec is one) and local versions of its release
        containment{">1.7", "1.7.post1", false}, containment{">1.7", "1.7.0.post1", false},
        containment{">1.7.post1", "1.7.post2", true}, containment{">1.7", "1.7+local", false},
        containment{">1.7.post1", "1.7.post1+x", false}, containment{">1.7", "1.7.1", true},
        containment{">1.7", "1.8.dev0", true}, containment{">1.7rc1", "1.7", true},
        // === compares the normalized text, case-insensitively
        containment{"===1.0", "1.0", true}, containment{"===1.0", "1.0.0", false},
        containment{"===1.0", "v1.0", true}, containment{"===1.0+ABC", "1.0+abc", true},
        containment{"===01.0", "1.0", false}, containment{"===foobar", "1.0", false}));

TEST(SpecifierContains, ArbitraryTakesTheCandidateText) {
    EXPECT_TRUE(spec("===FooBar").contains(version{}, "foobar"));
    EXPECT_FALSE(spec("===foo").contains(version{}, "foo "));
    EXPECT_TRUE(spec(">=1").contains(v("1.0"), "whatever")); // other operators ignore it
}

TEST(SpecifierPrereleases, NamedByInclusiveOperatorsOnly) {
    for (const char* yes : {">=1.0a1", "<=1.0.dev1", "==1.0rc1", "==1.0a1.*", "~=1.0.dev1",
                            "===1.0a1", "==1.0.post1.dev1"}) {
        EXPECT_TRUE(spec(yes).names_prerelease()) << yes;
    }
    for (const char* no : {">=1.0", "<1.0a1", ">1.0a1", "!=1.0a1", "===foo", "==1.0.post1"}) {
        EXPECT_FALSE(spec(no).names_prerelease()) << no;
    }
}

TEST(SpecifierEquality, ComparesCanonicalVersions) {
    EXPECT_EQ(spec("==1.0"), spec("==1.0.0"));
    EXPECT_EQ(spec("==1.0"), spec("== v1.0"));
    EXPECT_EQ(spec(">=1.0A1"), spec(">=1.0a1"));
    EXPECT_EQ(spec("===1.0.0"), spec("===1.0"));
    EXPECT_NE(spec("==1.0.*"), spec("==1.0.0.*")); // wildcards compare as text
    EXPECT_NE(spec(">=1.0"), spec(">1.0"));
    EXPECT_NE(spec("===foo"), spec("===FOO"));
    EXPECT_EQ(spec("==1.0").parsed_version(), v("1"));
    EXPECT_EQ(spec("==1.2.*").parsed_version(), v("1.2"));
    EXPECT_FALSE(spec("===foo").parsed_version().has_value());
}

TEST(SpecifierSetParse, SplitsAtCommasAndDropsEmptyClauses) {
    EXPECT_TRUE(set("").empty());
    EXPECT_TRUE(set(" , ,").empty());
    const specifier_set s = set(">=1.0, <2 ,, !=1.5.*");
    ASSERT_EQ(s.clauses().size(), 3U);
    EXPECT_EQ(s.clauses()[0].to_string(), ">=1.0"); // in the order written
    EXPECT_EQ(s.to_string(), "!=1.5.*,<2,>=1.0");   // sorted, as packaging prints
}

TEST(SpecifierSetParse, DropsDuplicatesKeepingTheFirstSpelling) {
    const specifier_set s = set("==1.0,==1.0.0,== v1.0,===1.0,===1.0.0");
    EXPECT_EQ(s.to_string(), "==1.0,===1.0");
    EXPECT_EQ(set("==1.0.*,==1.0.0.*").clauses().size(), 2U);
}

TEST(SpecifierSetParse, RejectsTheWholeSetForOneBadClause) {
    auto bad = specifier_set::parse(">=1.0, foo, <2");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, errc::invalid_specifier);
    EXPECT_EQ(bad.error().describe(),
              "while parsing the specifier set '>=1.0, foo, <2': invalid specifier ' foo': "
              "expected an operator (~=, ==, !=, <=, >=, <, >, ===) at position 2");
    EXPECT_FALSE(specifier_set::parse(">=1.0+local").has_value()); // legacy-only in 21.3
    EXPECT_FALSE(specifier_set::parse("==1.0;").has_value());
}

TEST(SpecifierSetPrereleases, PolicyFollowsTheClauses) {
    EXPECT_EQ(set("").prereleases(), std::nullopt);
    EXPECT_EQ(set(">=1.0").prereleases(), false);
    EXPECT_EQ(set(">=1.0,<2.0a1").prereleases(), false); // < does not name pre-releases
    EXPECT_EQ(set(">=1.0a1,<2.0").prereleases(), true);
    specifier_set s = set(">=1.0");
    s.set_prereleases(true);
    EXPECT_EQ(s.prereleases(), true);
    EXPECT_TRUE(s.contains("1.1a1"));
    s.set_prereleases(std::nullopt);
    EXPECT_FALSE(s.contains("1.1a1"));
}

TEST(SpecifierSetContains, AppliesThePrereleaseRules) {
    EXPECT_TRUE(set(">=1.0").contains("1.1"));
    EXPECT_FALSE(set(">=1.0").contains("1.1a1"));
    EXPECT_TRUE(set(">=1.0").contains("1.1a1", true));
    EXPECT_FALSE(set(">=1.0a1").contains("1.1a1", false));
    EXPECT_TRUE(set(">=1.0a1").contains("1.1a1")); // a clause names a pre-release
    EXPECT_TRUE(set(">=1.0a1").contains(v("2.0.dev1")));
    EXPECT_FALSE(set("").contains("1.0a1"));
    EXPECT_TRUE(set("").contains("1.0a1", true));
    EXPECT_TRUE(set("").contains("1.0"));
    EXPECT_TRUE(set(">=1.0,<2.0").contains(" 1.5 "));
    EXPECT_FALSE(set(">=1.0,<2.0").contains("2.0"));
    EXPECT_FALSE(set(">1.0,<1.0").contains("1.0"));
}

TEST(SpecifierSetContains, NonPep440CandidatesMatchOnlyArbitraryEquality) {
    EXPECT_TRUE(set("===foobar").contains("FooBar"));
    EXPECT_FALSE(set("===foobar,!=1.0").contains("foobar"));
    EXPECT_FALSE(set(">=1.0").contains("foobar"));
    EXPECT_TRUE(set("").contains("foobar")); // packaging 21.3: all() of no clauses
    EXPECT_FALSE(set("===foo").contains(" foo"));
}

TEST(SpecifierSetFilter, KeepsOrderAndAppliesThePrereleaseRules) {
    using list = std::vector<std::string>;
    const list some{"0.9", "1.0", "1.1a1", "1.1", "2.0.dev0"};
    EXPECT_EQ(set(">=1.0").filter(some), (list{"1.0", "1.1"}));
    EXPECT_EQ(set(">=1.0").filter(some, true), (list{"1.0", "1.1a1", "1.1", "2.0.dev0"}));
    EXPECT_EQ(set(">=1.0a1").filter(some), (list{"1.0", "1.1a1", "1.1", "2.0.dev0"}));
    EXPECT_EQ(set(">=1.0a1").filter(some, false), (list{"1.0", "1.1"}));
    // 21.3 passes bool(prereleases) to each clause: nothing when only pre-releases match.
    EXPECT_EQ(set(">=1.0").filter({"1.1a1", "2.0.dev0"}), list{});
    // The empty set falls back to pre-releases when there is nothing else ...
    EXPECT_EQ(set("").filter({"1.0a1", "2.0.dev1"}), (list{"1.0a1", "2.0.dev1"}));
    EXPECT_EQ(set("").filter({"1.0a1", "1.0", "2.0.dev1"}), list{"1.0"});
    // ... unless told false, and it drops what is not PEP 440.
    EXPECT_EQ(set("").filter({"1.0a1", "2.0.dev1"}, false), list{});
    EXPECT_EQ(set("").filter({"foo", "1.0", "1.0 x"}), list{"1.0"});
    EXPECT_EQ(set("===foo").filter({"foo", "FOO", "1.0"}), (list{"foo", "FOO"}));
    EXPECT_EQ(set("==1.2.3").filter({"1.2.3+bar", "1.2.3+foo"}), (list{"1.2.3+bar", "1.2.3+foo"}));
    EXPECT_EQ(set(">=1.0").filter({}), list{});
}

TEST(SpecifierSetIntersect, UnitesClausesAndOverrides) {
    const specifier_set both = set(">=1.0,!=1.5").intersect(set("<2.0,>=1.0.0"));
    EXPECT_EQ(both.to_string(), "!=1.5,<2.0,>=1.0");
    EXPECT_EQ(both, set("<2, !=1.5, >=1"));
    EXPECT_NE(both, set("<2, >=1"));
    EXPECT_EQ(set("").intersect(set("")), set(""));

    specifier_set yes = set(">=1");
    yes.set_prereleases(true);
    specifier_set no = set("<2");
    no.set_prereleases(false);
    EXPECT_EQ(yes.intersect(set("<2")).prereleases(), true);
    EXPECT_EQ(set("<2").intersect(no).prereleases(), false);
    EXPECT_EQ(yes.intersect(yes).prereleases(), true);
    EXPECT_EQ(yes.intersect(no).prereleases(), false); // conflict: follows the clauses again
}

} // namespace
