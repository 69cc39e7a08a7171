// Expected values below were produced with pip 23.2.1's vendored packaging 21.3.
#include "actpip/core/wheel_filename.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace actpip::core {
namespace {

using namespace std::string_literals;
using strings = std::vector<std::string>;

strings sorted_tags(const wheel_filename& w) {
    strings out;
    for (const auto& t : w.tags) {
        out.push_back(t.to_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(WheelFilename, Basic) {
    const auto w = parse_wheel_filename("Foo_Bar-1.0-py3-none-any.whl");
    ASSERT_TRUE(w.has_value()) << w.error().describe();
    EXPECT_EQ(w->name, "foo-bar");
    EXPECT_EQ(w->version.to_string(), "1.0");
    EXPECT_FALSE(w->build.has_value());
    EXPECT_EQ(sorted_tags(*w), strings{"py3-none-any"});
    EXPECT_EQ(w->python_tag, "py3");
    EXPECT_EQ(w->abi_tag, "none");
    EXPECT_EQ(w->platform_tag, "any");
}

TEST(WheelFilename, CompressedTagsAndBuild) {
    const auto w = parse_wheel_filename(
        "foo-2-1000abc-py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    ASSERT_TRUE(w.has_value()) << w.error().describe();
    ASSERT_TRUE(w->build.has_value());
    EXPECT_EQ(w->build->number, "1000");
    EXPECT_EQ(w->build->suffix, "abc");
    EXPECT_EQ(sorted_tags(*w),
              (strings{"py2-none-manylinux2014_x86_64", "py2-none-manylinux_2_17_x86_64",
                       "py3-none-manylinux2014_x86_64", "py3-none-manylinux_2_17_x86_64"}));
    EXPECT_EQ(w->python_tag, "py2.py3");
}

TEST(WheelFilename, BuildTags) {
    struct row {
        const char* filename;
        const char* number;
        const char* suffix;
    };
    for (const auto& [filename, number, suffix] : std::vector<row>{
             {"foo-1.0-1-py3-none-any.whl", "1", ""},
             {"foo-1.0-1b-py3-none-any.whl", "1", "b"},
             {"foo-1.0-007-py3-none-any.whl", "7", ""},
             {"foo-1.0-000x-py3-none-any.whl", "0", "x"},
             {"foo-1.0-\xd9\xa1\xd9\xa2z-py3-none-any.whl", "12", "z"}, // Arabic-Indic 1 2
             {"foo-1.0-1a\nb-py3-none-any.whl", "1", "a"},              // `.` stops at "\n"
         }) {
        const auto w = parse_wheel_filename(filename);
        ASSERT_TRUE(w.has_value()) << filename;
        ASSERT_TRUE(w->build.has_value()) << filename;
        EXPECT_EQ(w->build->number, number) << filename;
        EXPECT_EQ(w->build->suffix, suffix) << filename;
    }
    const std::string long_build(4300, '9');
    EXPECT_TRUE(parse_wheel_filename("foo-1.0-" + long_build + "-py3-none-any.whl").has_value());
    EXPECT_FALSE(parse_wheel_filename("foo-1.0-" + long_build + "9-py3-none-any.whl"));
}

TEST(WheelFilename, BuildTagOrder) {
    const build_tag two{"2", ""};
    const build_tag ten{"10", ""};
    const build_tag ten_a{"10", "a"};
    const build_tag ten_b{"10", "b"};
    EXPECT_LT(two, ten);
    EXPECT_LT(ten, ten_a);
    EXPECT_LT(ten_a, ten_b);
    EXPECT_EQ(ten_a, (build_tag{"10", "a"}));
    EXPECT_LT((build_tag{"1", "z"}), (build_tag{"1", "\xc3\xa9"})); // by code point
}

TEST(WheelFilename, OddButValidAsPackaging) {
    struct row {
        std::string filename;
        std::string name;
    };
    for (const auto& [filename, name] : std::vector<row>{
             {"-1.0-py3-none-any.whl", ""},
             {"-1.0-200-py3-none-any.whl", ""},
             {"foo\n-1.0-py3-none-any.whl", "foo\n"}, // `$` matches before a final "\n"
             {"foo_b\xc3\xa1r-1.0-py3-none-any.whl", "foo-b\xc3\xa1r"},
             {"a.b-1.0-py3-none-any.whl", "a-b"},
             {"foo-1.0--none-any.whl", "foo"},
             {"foo-1.0-py3-none-.whl", "foo"},
             {"playlyfe-0.1.1-2.7.6-none-any.whl", "playlyfe"},
         }) {
        const auto w = parse_wheel_filename(filename);
        ASSERT_TRUE(w.has_value()) << filename;
        EXPECT_EQ(w->name, name);
    }
    EXPECT_EQ(sorted_tags(*parse_wheel_filename("foo-1.0-py3.-none-any.whl")),
              (strings{"-none-any", "py3-none-any"}));
    EXPECT_EQ(parse_wheel_filename("foo-1!1.0+Local-py3-none-any.whl")->version.to_string(),
              "1!1.0+local");
}

TEST(WheelFilename, Invalid) {
    for (const auto& filename : std::vector<std::string>{
             "foo-1.0-py3-none-any"s,
             "foo-1.0.whl"s,
             "foo-1.0-py3-any.whl"s,
             "foo-bar-1.0-py3-none-any.whl"s, // 6 dashes
             "foo-1.0-200-py3-none-any-junk.whl"s,
             "foo__bar-1.0-py3-none-any.whl"s,
             "foo#bar-1.0-py3-none-any.whl"s,
             "foo\n\n-1.0-py3-none-any.whl"s,
             "foo\nx-1.0-py3-none-any.whl"s,
             "foo\xe2\x82\xac-1.0-py3-none-any.whl"s, // the euro sign is not \w
             "foo\xff-1.0-py3-none-any.whl"s,
             "foo-notaversion-py3-none-any.whl"s,
             "foobar-1.x-py3-none-any.whl"s,
             "foo-1.0-abc-py3-none-any.whl"s,
             "foo-1.0-x-py3-none-any.whl"s,
             "foo-1.0-py3-none-any.WHL"s,
         }) {
        const auto w = parse_wheel_filename(filename);
        ASSERT_FALSE(w.has_value()) << filename;
        EXPECT_EQ(w.error().code, errc::invalid_filename);
        EXPECT_NE(w.error().message.find("wheel filename"), std::string::npos);
    }
}

TEST(WheelFilename, PrintsBackAndRoundTrips) {
    const auto w = parse_wheel_filename("Foo.Bar-01.0-007abc-py2.py3-none-any.whl");
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(w->to_string(), "foo_bar-1.0-7abc-py2.py3-none-any.whl");
    const auto again = parse_wheel_filename(w->to_string());
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->name, w->name);
    EXPECT_EQ(again->version, w->version);
    EXPECT_EQ(again->build, w->build);
    EXPECT_EQ(again->tags, w->tags);
}

TEST(WheelFilename, RandomInputNeverCrashesAndRoundTrips) {
    std::mt19937 rng(427);
    const std::vector<std::string> pieces{
        "foo", "Foo", "_",   "__",   ".",        "-",    "1.0",  "2",           "1!2",
        "+l",  "py3", "any", "cp3",  "py2.py3",  "none", "\n",   " ",           "\xc3\xa1",
        "0",   "7a",  "rc",  "\xff", "\xd9\xa1", ".whl", "abi3", "\xe2\x82\xac"};
    int valid = 0;
    for (int i = 0; i < 30000; ++i) {
        std::string text;
        const auto count = 1 + rng() % 12;
        for (unsigned j = 0; j < count; ++j) {
            text += pieces[rng() % pieces.size()];
        }
        if (rng() % 2 == 0) {
            // Mostly well-formed: name-version[-build]-python-abi-platform.whl
            const auto pick = [&] { return pieces[rng() % pieces.size()]; };
            text += "-1." + pick();
            if (rng() % 3 == 0) {
                text += "-" + std::to_string(rng() % 20) + pick();
            }
            text += "-py3" + pick() + "-none-any" + pick();
        }
        if (rng() % 4 != 0) {
            text += ".whl";
        }
        const auto w = parse_wheel_filename(text);
        if (!w) {
            continue;
        }
        ++valid;
        const auto again = parse_wheel_filename(w->to_string());
        ASSERT_TRUE(again.has_value()) << text << " -> " << w->to_string();
        EXPECT_EQ(again->name, w->name);
        EXPECT_EQ(again->version, w->version);
        EXPECT_EQ(again->build, w->build);
        EXPECT_EQ(again->tags, w->tags);
    }
    EXPECT_GT(valid, 0);
}

} // namespace
} // namespace actpip::core
