// PEP 508 markers as packaging 21.3 parses, prints and evaluates them. Expected values were
// taken from pip 23.2.1's vendored packaging 21.3.

#include "actpip/core/marker.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace actpip::core;

// The "linux-cp311" environment of the conformance vectors.
marker_environment linux_env() {
    marker_environment env;
    env.values = {
        {"implementation_name", "cpython"},
        {"implementation_version", "3.11.7"},
        {"os_name", "posix"},
        {"platform_machine", "x86_64"},
        {"platform_release", "6.1.0-18-amd64"},
        {"platform_system", "Linux"},
        {"platform_version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"},
        {"python_full_version", "3.11.7"},
        {"platform_python_implementation", "CPython"},
        {"python_version", "3.11"},
        {"sys_platform", "linux"},
        {"extra", ""},
    };
    return env;
}

std::string printed(std::string_view text) {
    auto m = marker::parse(text);
    return m ? m->to_string() : "<invalid: " + m.error().message + ">";
}

// "true", "false", or the error code name.
std::string evaluated(std::string_view text, const marker_environment& env = linux_env()) {
    auto m = marker::parse(text);
    if (!m) {
        return "<invalid>";
    }
    auto r = m->evaluate(env);
    return r ? (*r ? "true" : "false") : std::string(to_string(r.error().code));
}

TEST(Marker, PrintsAsPackaging) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"python_version>'3.8'", R"(python_version > "3.8")"},
        {R"(  os_name  ==  "nt"  )", R"(os_name == "nt")"},
        {"'3.8' < python_version", R"("3.8" < python_version)"},
        {"os_name=='a'andos_name=='b'", R"(os_name == "a" and os_name == "b")"},
        {"python_versionin'3'", R"(python_version in "3")"},
        {"os_name not in 'a'", R"(os_name not in "a")"},
        {"os_name\tin'a'", R"(os_name in "a")"}, // tabs are expanded first
        {"os_name == os_name", "os_name == os_name"},
        {"'a' == 'b'", R"("a" == "b")"},
        {R"(os_name=="a'b")", R"(os_name == "a'b")"},
        {R"(os_name=='a"b')", R"(os_name == "a"b")"},  // no escaping, as packaging prints it
        {R"(os_name=='a\tb')", "os_name == \"a\tb\""}, // pyparsing turns \t into a tab
        {R"(os_name=='a\\tb')", "os_name == \"a\\\tb\""},
        {R"(os_name=='a\qb')", R"(os_name == "a\qb")"},
        {"os_name === 'a b'", R"(os_name === "a b")"},
        // Parentheses: kept around a group of several items, dropped around one.
        {"(os_name=='a')", R"(os_name == "a")"},
        {"os_name=='a' and (python_version>'3')", R"(os_name == "a" and python_version > "3")"},
        {"(os_name=='a' or os_name=='b') and python_version>'3'",
         R"((os_name == "a" or os_name == "b") and python_version > "3")"},
        {"python_version>'3' and (os_name=='a' or (os_name=='b'))",
         R"(python_version > "3" and (os_name == "a" or os_name == "b"))"},
        // 21.3 drops the parentheses of a doubly parenthesised group, changing its meaning.
        {"((os_name=='a' or os_name=='b')) and python_version>'3'",
         R"(os_name == "a" or os_name == "b" and python_version > "3")"},
        {"((os_name=='a' or os_name=='b'))", R"(os_name == "a" or os_name == "b")"},
    };
    for (const auto& [in, want] : cases) {
        EXPECT_EQ(printed(in), want) << in;
    }
}

TEST(Marker, EveryVariableAndAlias) {
    const std::vector<std::pair<std::string, std::string>> spellings{
        {"implementation_name", "implementation_name"},
        {"implementation_version", "implementation_version"},
        {"os_name", "os_name"},
        {"platform_machine", "platform_machine"},
        {"platform_release", "platform_release"},
        {"platform_system", "platform_system"},
        {"platform_version", "platform_version"},
        {"python_full_version", "python_full_version"},
        {"platform_python_implementation", "platform_python_implementation"},
        {"python_version", "python_version"},
        {"sys_platform", "sys_platform"},
        {"extra", "extra"},
        {"os.name", "os_name"},
        {"sys.platform", "sys_platform"},
        {"platform.version", "platform_version"},
        {"platform.machine", "platform_machine"},
        {"platform.python_implementation", "platform_python_implementation"},
        {"python_implementation", "platform_python_implementation"},
    };
    const auto env = linux_env();
    for (const auto& [spelling, canonical] : spellings) {
        const std::string text = spelling + " == 'value'";
        EXPECT_EQ(printed(text), canonical + R"( == "value")") << spelling;
        auto custom = env;
        custom.values[canonical] = "value";
        EXPECT_EQ(evaluated(text, custom), "true") << spelling;
        EXPECT_EQ(evaluated(text, env), "false") << spelling;
        auto missing = env;
        missing.values.erase(canonical);
        EXPECT_EQ(evaluated(text, missing), "undefined_environment_name") << spelling;
    }
}

TEST(Marker, RejectsWhatPackagingRejects) {
    for (const char* bad : {"",
                            " ",
                            "os_name",
                            "os_name ==",
                            "== 'a'",
                            "os_name = 'a'",
                            "os_name <> 'a'",
                            "os_name not  in 'a'",
                            "os_name == 'a",
                            "os_name == 'a\nb'",
                            "os_name == 'a' and",
                            "os_name == 'a' && 1",
                            "()",
                            "(os_name == 'a'",
                            "os_name == 'a')",
                            "extras == 'a'",
                            "python_version == 3.8",
                            "OS_NAME == 'a'",
                            "os_name == 'a' AND 1",
                            "os_name == 'a' or",
                            "os_name in",
                            "'a' 'b'"}) {
        auto m = marker::parse(bad);
        ASSERT_FALSE(m.has_value()) << bad;
        EXPECT_EQ(m.error().code, errc::invalid_marker);
        EXPECT_NE(m.error().message.find(bad), std::string::npos) << m.error().message;
        EXPECT_NE(m.error().message.find("position"), std::string::npos) << m.error().message;
    }
}

TEST(Marker, ErrorPositionPointsAtTheProblem) {
    auto m = marker::parse("os_name == 'a' and python_version ~ '3'");
    ASSERT_FALSE(m.has_value());
    EXPECT_NE(m.error().message.find("at position 35"), std::string::npos) << m.error().message;
}

TEST(Marker, AndBindsTighterThanOr) {
    EXPECT_EQ(evaluated("os_name == 'nt' or os_name == 'posix' and python_version < '3'"), "false");
    EXPECT_EQ(evaluated("os_name == 'posix' or os_name == 'nt' and python_version < '3'"), "true");
    EXPECT_EQ(evaluated("(os_name == 'posix' or os_name == 'nt') and python_version < '3'"),
              "false");
    EXPECT_EQ(evaluated("os_name == 'nt' and python_version < '3' or sys_platform == 'linux'"),
              "true");
}

TEST(Marker, VersionComparisonWhenTheRightSideIsASpecifier) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"python_version > '3.8'", "true"}, // "3.11" > "3.8" as strings would be false
        {"python_version > '3.8' and python_version < '3.10'", "false"},
        {"'3.8' < python_version", "true"},
        {"python_version ~= '3.1'", "true"},
        {"python_version == '3.11.*'", "true"},
        {"implementation_version == '3.11.*'", "true"},
        {"python_version === '3.11'", "true"},
        {"python_version === '3.011'", "false"}, // === compares str(Version(lhs))
        {"python_version < '=3.11'", "true"},    // op + rhs is "<=3.11"
        {"python_version == '=3.11'", "true"},   // "===3.11"
        {"python_version in '3.11 3.12'", "true"},
        // A left side that is not PEP 440 is a LegacyVersion: only === can hold.
        {"platform_release >= '6'", "false"},
        {"platform_release != '6'", "false"},
        {"platform_release === '6.1.0-18-AMD64'", "true"},
        // Not a specifier: Python string comparison.
        {"platform_release == '6.1.0-18-amd64'", "true"},
        {"platform_release != 'x'", "true"},
        {"os_name < 'q'", "true"},
        {"os_name >= 'posix'", "true"},
        {"os_name > 'posix'", "false"},
        {"os_name === 'posix'", "true"},
    };
    for (const auto& [in, want] : cases) {
        EXPECT_EQ(evaluated(in), want) << in;
    }
}

TEST(Marker, PreReleasesFollowThe21_3SpecifierPolicy) {
    auto env = linux_env();
    env.values["python_full_version"] = "3.11.0rc1";
    EXPECT_EQ(evaluated("python_full_version >= '3.8'", env), "false");
    EXPECT_EQ(evaluated("python_full_version != '3.8'", env), "false");
    EXPECT_EQ(evaluated("python_full_version >= '3.11.0rc1'", env), "true");
    EXPECT_EQ(evaluated("python_full_version === '3.11.0RC1'", env), "true");
    EXPECT_EQ(evaluated("python_full_version === '3.11.0c1'", env), "false");
}

TEST(Marker, InAndNotInAreSubstringTests) {
    EXPECT_EQ(evaluated("os_name in 'posix nt'"), "true");
    EXPECT_EQ(evaluated("'pos' in os_name"), "true");
    EXPECT_EQ(evaluated("'x' not in os_name"), "false"); // "posix" contains "x"
    EXPECT_EQ(evaluated("'q' not in os_name"), "true");
    EXPECT_EQ(evaluated("extra in 'abc'"), "true"); // "" is in every string
    EXPECT_EQ(evaluated("sys_platform not in 'win32 cygwin'"), "true");
}

TEST(Marker, UndefinedComparisonAndEnvironmentName) {
    EXPECT_EQ(evaluated("os_name ~= 'posix'"), "undefined_comparison");
    EXPECT_EQ(evaluated("os_name === 'a b'"), "undefined_comparison");
    // A string on the left makes the right side an environment key, even a string.
    EXPECT_EQ(evaluated("'posix' == 'os_name'"), "true");
    EXPECT_EQ(evaluated("'a' == 'b'"), "undefined_environment_name");
    // A variable on the right stands for its name.
    EXPECT_EQ(evaluated("os_name == os_name"), "false");
    auto env = linux_env();
    env.values["os_name"] = "os_name";
    EXPECT_EQ(evaluated("os_name == os_name", env), "true");
    // Every comparison is evaluated, so errors are not short-circuited away.
    env = linux_env();
    env.values.erase("extra");
    EXPECT_EQ(evaluated("os_name == 'posix' or extra == 'x'", env), "undefined_environment_name");
    EXPECT_EQ(evaluated("os_name == 'nt' and os_name ~= 'x'", env), "undefined_comparison");
}

TEST(Marker, ExtrasCompareAsStringsUnlessTheEnvironmentSaysOtherwise) {
    auto env = linux_env();
    env.values["extra"] = "foo-bar";
    EXPECT_EQ(evaluated("extra == 'Foo_Bar'", env), "false"); // packaging 21.3
    EXPECT_EQ(evaluated("extra == 'foo-bar'", env), "true");
    const auto with = linux_env().with_extra("Foo.Bar");
    EXPECT_TRUE(with.normalize_extra);
    EXPECT_EQ(with.values.at("extra"), "Foo.Bar");
    EXPECT_EQ(evaluated("extra == 'foo_bar'", with), "true");
    EXPECT_EQ(evaluated("'FOO-bar' == extra", with), "true");
    EXPECT_EQ(evaluated("extra != 'foo_bar'", with), "false");
    EXPECT_EQ(evaluated("extra == 'other'", with), "false");
    EXPECT_EQ(evaluated("os_name == 'posix'", with), "true");
}

TEST(Marker, EmptyMarker) {
    const marker m;
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(m.to_string(), "");
    EXPECT_EQ(m.evaluate(linux_env()), true);
    EXPECT_TRUE(m.may_hold_for_some_extra(linux_env()));
    EXPECT_FALSE(marker::parse("os_name == 'a'")->empty());
}

TEST(Marker, MayHoldForSomeExtra) {
    const auto env = linux_env();
    const std::vector<std::pair<std::string, bool>> cases{
        {"extra == 'test'", true},
        {"extra == 'test' and sys_platform == 'win32'", false},
        {"extra == 'test' or sys_platform == 'win32'", true},
        {"sys_platform == 'linux' and extra != 'x'", true},
        {"extra == 'a' and extra == 'b'", false},
        {"extra == 'a' and extra != 'a'", false},
        {"extra == 'Test_One' and 'test-one' == extra", true},
        {"'te' in extra", true},
        {"python_version < '3'", false},
        {"python_version >= '3'", true},
        {"os_name ~= 'x' or extra == 'a'", false}, // errors count as false
    };
    for (const auto& [in, want] : cases) {
        auto m = marker::parse(in);
        ASSERT_TRUE(m.has_value()) << in;
        EXPECT_EQ(m->may_hold_for_some_extra(env), want) << in;
    }
}

TEST(Marker, NestingIsBounded) {
    std::string deep = std::string(88, '(') + "os_name == 'a'" + std::string(88, ')');
    EXPECT_TRUE(marker::parse(deep).has_value());
    deep = std::string(89, '(') + "os_name == 'a'" + std::string(89, ')');
    EXPECT_FALSE(marker::parse(deep).has_value()); // Python gives up with RecursionError
    EXPECT_FALSE(marker::parse(std::string(100000, '(')).has_value());
}

TEST(Marker, LongFlatMarkersParse) {
    std::string text = "os_name == 'a'";
    for (int i = 0; i < 2000; ++i) {
        text += i % 2 ? " and os_name == 'a'" : " or python_version > '3'";
    }
    auto m = marker::parse(text);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->evaluate(linux_env()), false); // every "or" group has os_name == 'a'
    m = marker::parse(text + " or python_version > '3'");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->evaluate(linux_env()), true);
}

// A random marker built from the grammar, printable so that it parses back.
std::string random_marker(std::mt19937& rng, int depth) {
    static const std::vector<std::string> vars{"os_name", "python_version", "extra", "sys.platform",
                                               "platform_release"};
    static const std::vector<std::string> ops{"==", "!=", "<",   "<=", ">",
                                              ">=", "~=", "===", "in", "not in"};
    static const std::vector<std::string> values{"'3.8'", "\"nt\"", "'a b'", "''", "'1.0.*'"};
    std::string out;
    const int items = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < items; ++i) {
        if (i > 0) {
            out += rng() % 2 ? " and " : " or ";
        }
        if (depth < 3 && rng() % 4 == 0) {
            out += "(" + random_marker(rng, depth + 1) + ")";
            continue;
        }
        const bool var_left = rng() % 3 != 0;
        const std::string var = vars[rng() % vars.size()];
        const std::string val = values[rng() % values.size()];
        out +=
            (var_left ? var : val) + " " + ops[rng() % ops.size()] + " " + (var_left ? val : var);
    }
    return out;
}

TEST(Marker, PrintedFormRoundTrips) {
    std::mt19937 rng(508);
    for (int i = 0; i < 3000; ++i) {
        const std::string text = random_marker(rng, 0);
        auto m = marker::parse(text);
        ASSERT_TRUE(m.has_value()) << text << ": " << m.error().message;
        auto again = marker::parse(m->to_string());
        ASSERT_TRUE(again.has_value()) << m->to_string();
        EXPECT_EQ(again->to_string(), m->to_string());
        EXPECT_EQ(again->evaluate(linux_env()).has_value(), m->evaluate(linux_env()).has_value());
    }
}

TEST(Marker, RandomGarbageNeverCrashes) {
    std::mt19937 rng(1);
    const std::string pieces[] = {
        "os_name",      "extra", "'",   "\"", "(",  ")",   " and ", " or ", "==",       "in",
        "not in",       "~=",    "===", "\t", "\n", "\\t", "x",     "3.8",  "\xc3\xa9", "\xff",
        "\xe2\x80\x83", ";"};
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        const int n = static_cast<int>(rng() % 10);
        for (int j = 0; j < n; ++j) {
            s += pieces[rng() % std::size(pieces)];
        }
        auto m = marker::parse(s);
        if (m) {
            (void)m->evaluate(linux_env());
            (void)m->may_hold_for_some_extra(linux_env());
            EXPECT_TRUE(marker::parse(m->to_string()).has_value() ||
                        m->to_string().find_first_of("\"\n\r") != std::string::npos)
                << s;
        } else {
            EXPECT_EQ(m.error().code, errc::invalid_marker);
        }
    }
}

} // namespace
