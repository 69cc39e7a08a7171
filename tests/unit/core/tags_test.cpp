// Expected values below were produced with pip 23.2.1's vendored packaging 21.3.
#include "actpip/core/platform_tags.hpp"
#include "actpip/core/tags.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace actpip::core {
namespace {

using strings = std::vector<std::string>;

strings to_strings(const std::vector<tag>& tags) {
    strings out;
    for (const auto& t : tags) {
        out.push_back(t.to_string());
    }
    return out;
}

strings sorted_parse(std::string_view text) {
    auto parsed = parse_tag(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    if (!parsed) {
        return {};
    }
    auto out = to_strings(*parsed);
    std::sort(out.begin(), out.end());
    return out;
}

TEST(TagParse, SimpleAndLowerCased) {
    EXPECT_EQ(sorted_parse("py3-none-any"), strings{"py3-none-any"});
    EXPECT_EQ(sorted_parse("PY3-NONE-ANY"), strings{"py3-none-any"});
    const tag t("CP311", "Cp311", "Linux_X86_64");
    EXPECT_EQ(t.interpreter, "cp311");
    EXPECT_EQ(t.abi, "cp311");
    EXPECT_EQ(t.platform, "linux_x86_64");
}

TEST(TagParse, CompressedSetsExpand) {
    EXPECT_EQ(sorted_parse("py2.py3-none-any"), (strings{"py2-none-any", "py3-none-any"}));
    EXPECT_EQ(sorted_parse("cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64"),
              (strings{"cp310-cp310-manylinux2014_x86_64", "cp310-cp310-manylinux_2_17_x86_64"}));
    EXPECT_EQ(sorted_parse("a.b-c.d-e.f").size(), 8U);
    // Order of appearance, interpreter first.
    EXPECT_EQ(to_strings(*parse_tag("py3.py2-none-any")),
              (strings{"py3-none-any", "py2-none-any"}));
}

TEST(TagParse, OddInputsAsPackaging) {
    EXPECT_EQ(sorted_parse("--"), strings{"--"});
    EXPECT_EQ(sorted_parse("py3.-none-any"), (strings{"-none-any", "py3-none-any"}));
    EXPECT_EQ(sorted_parse("py3-none-any."), (strings{"py3-none-", "py3-none-any"}));
    EXPECT_EQ(sorted_parse("py3.py3-none-any"), strings{"py3-none-any"});
    EXPECT_EQ(sorted_parse("2.7.6-none-any"), (strings{"2-none-any", "6-none-any", "7-none-any"}));
    EXPECT_EQ(sorted_parse(".cpython-37m-darwin.so"),
              (strings{"-37m-darwin", "-37m-so", "cpython-37m-darwin", "cpython-37m-so"}));
    EXPECT_EQ(sorted_parse("py+3-none-any"), strings{"py+3-none-any"});
}

TEST(TagParse, WrongNumberOfPartsIsAnError) {
    for (const char* text : {"", "py3", "py3-none", "py3-none-any-x", "a-b-c-d-e", "---"}) {
        const auto parsed = parse_tag(text);
        ASSERT_FALSE(parsed.has_value()) << text;
        EXPECT_EQ(parsed.error().code, errc::invalid_tag);
    }
}

TEST(TagLists, CpythonTags) {
    const strings abis{"cp34m", "abi3"};
    const strings plats{"linux_x86_64", "any"};
    EXPECT_EQ(to_strings(cpython_tags({3, 4}, abis, plats)),
              (strings{"cp34-cp34m-linux_x86_64", "cp34-cp34m-any", "cp34-abi3-linux_x86_64",
                       "cp34-abi3-any", "cp34-none-linux_x86_64", "cp34-none-any",
                       "cp33-abi3-linux_x86_64", "cp33-abi3-any", "cp32-abi3-linux_x86_64",
                       "cp32-abi3-any"}));
    // No abi3 before 3.2 or without a minor version.
    const strings one{"linux_x86_64"};
    EXPECT_EQ(to_strings(cpython_tags({2, 7}, strings{"cp27mu"}, one)),
              (strings{"cp27-cp27mu-linux_x86_64", "cp27-none-linux_x86_64"}));
    EXPECT_EQ(to_strings(cpython_tags({3, std::nullopt}, {}, one)),
              strings{"cp3-none-linux_x86_64"});
    // Only the first "none" is taken out of the abis.
    EXPECT_EQ(to_strings(cpython_tags({2, 7}, strings{"none", "none"}, one)),
              (strings{"cp27-none-linux_x86_64", "cp27-none-linux_x86_64"}));
}

TEST(TagLists, CompatibleAndGenericTags) {
    const strings one{"linux_x86_64"};
    EXPECT_EQ(to_strings(compatible_tags({3, 2}, "cp32", one)),
              (strings{"py32-none-linux_x86_64", "py3-none-linux_x86_64", "py31-none-linux_x86_64",
                       "py30-none-linux_x86_64", "cp32-none-any", "py32-none-any", "py3-none-any",
                       "py31-none-any", "py30-none-any"}));
    EXPECT_EQ(to_strings(compatible_tags({3, std::nullopt}, "", {})), strings{"py3-none-any"});
    EXPECT_EQ(to_strings(generic_tags("pp39", strings{"pypy39_pp73"}, one)),
              (strings{"pp39-pypy39_pp73-linux_x86_64", "pp39-none-linux_x86_64"}));
}

TEST(TagLists, CpythonAbis) {
    EXPECT_EQ(cpython_abis({3, 11}), strings{"cp311"});
    EXPECT_EQ(cpython_abis({3, 11}, {.debug = true}), (strings{"cp311d", "cp311"}));
    EXPECT_EQ(cpython_abis({3, 7}), strings{"cp37m"});
    EXPECT_EQ(cpython_abis({3, 7}, {.debug = true}), strings{"cp37dm"});
    EXPECT_EQ(cpython_abis({2, 7}), strings{"cp27mu"});
    EXPECT_EQ(cpython_abis({2, 7}, {.pymalloc = false, .wide_unicode = false}), strings{"cp27"});
    EXPECT_TRUE(cpython_abis({3, std::nullopt}).empty());
}

TEST(TagPlatforms, Manylinux) {
    EXPECT_EQ(manylinux_platforms("x86_64", {2, 20}),
              (strings{"manylinux_2_20_x86_64", "manylinux_2_19_x86_64", "manylinux_2_18_x86_64",
                       "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_16_x86_64",
                       "manylinux_2_15_x86_64", "manylinux_2_14_x86_64", "manylinux_2_13_x86_64",
                       "manylinux_2_12_x86_64", "manylinux2010_x86_64", "manylinux_2_11_x86_64",
                       "manylinux_2_10_x86_64", "manylinux_2_9_x86_64", "manylinux_2_8_x86_64",
                       "manylinux_2_7_x86_64", "manylinux_2_6_x86_64", "manylinux_2_5_x86_64",
                       "manylinux1_x86_64"}));
    EXPECT_EQ(manylinux_platforms("aarch64", {2, 20}),
              (strings{"manylinux_2_20_aarch64", "manylinux_2_19_aarch64", "manylinux_2_18_aarch64",
                       "manylinux_2_17_aarch64", "manylinux2014_aarch64"}));
    EXPECT_TRUE(manylinux_platforms("aarch64", {2, 16}).empty());
    EXPECT_TRUE(manylinux_platforms("riscv64", {2, 35}).empty());
    // A glibc 3 would run every glibc 2 binary up to 2.50, as packaging assumes.
    const auto three = manylinux_platforms("aarch64", {3, 1});
    ASSERT_EQ(three.size(), 37U);
    EXPECT_EQ(three[2], "manylinux_2_50_aarch64");
}

TEST(TagPlatforms, MusllinuxAndLinux) {
    EXPECT_EQ(musllinux_platforms("x86_64", {1, 2}),
              (strings{"musllinux_1_2_x86_64", "musllinux_1_1_x86_64", "musllinux_1_0_x86_64"}));
    EXPECT_EQ(linux_platforms("aarch64", major_minor{2, 17}, major_minor{1, 0}),
              (strings{"manylinux_2_17_aarch64", "manylinux2014_aarch64", "musllinux_1_0_aarch64",
                       "linux_aarch64"}));
    EXPECT_EQ(linux_platforms("riscv64", std::nullopt, std::nullopt), strings{"linux_riscv64"});
}

TEST(TagPlatforms, Mac) {
    EXPECT_EQ(mac_platforms({10, 5}, "x86_64"),
              (strings{"macosx_10_5_x86_64", "macosx_10_5_intel", "macosx_10_5_fat64",
                       "macosx_10_5_fat32", "macosx_10_5_universal2", "macosx_10_5_universal",
                       "macosx_10_4_x86_64", "macosx_10_4_intel", "macosx_10_4_fat64",
                       "macosx_10_4_fat32", "macosx_10_4_universal2", "macosx_10_4_universal"}));
    const auto arm = mac_platforms({11, 0}, "arm64");
    ASSERT_EQ(arm.size(), 15U);
    EXPECT_EQ(arm[0], "macosx_11_0_arm64");
    EXPECT_EQ(arm[1], "macosx_11_0_universal2");
    EXPECT_EQ(arm[2], "macosx_10_16_universal2");
    EXPECT_TRUE(mac_platforms({9, 9}, "x86_64").empty());
}

TEST(TagPlatforms, ExpandLikePipPlatformOption) {
    const strings in{"manylinux2014_x86_64", "macosx_10_4_x86_64", "manylinux1_x86_64"};
    EXPECT_EQ(expand_platforms(in),
              (strings{"manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64",
                       "macosx_10_4_x86_64", "macosx_10_4_intel", "macosx_10_4_fat64",
                       "macosx_10_4_fat32", "macosx_10_4_universal2", "macosx_10_4_universal"}));
    EXPECT_EQ(expand_platforms(strings{"manylinux2010_i686", "manylinux_2_28_x86_64"}),
              (strings{"manylinux2010_i686", "manylinux1_i686", "manylinux_2_28_x86_64"}));
    // The user's own prefix is kept; a version that does not parse is left alone.
    const auto custom = expand_platforms(strings{"macosxfoo_10_4_ppc", "macosx_12"});
    ASSERT_EQ(custom.size(), 21U);
    EXPECT_EQ((strings{custom.begin(), custom.begin() + 5}),
              (strings{"macosxfoo_10_4_ppc", "macosxfoo_10_4_fat32", "macosxfoo_10_4_fat",
                       "macosxfoo_10_4_universal", "macosxfoo_10_3_ppc"}));
    EXPECT_EQ(custom[19], "macosxfoo_10_0_universal");
    EXPECT_EQ(custom[20], "macosx_12");
}

TEST(TagPlatforms, SupportedTagsLikePipGetSupported) {
    interpreter_info cp;
    cp.version = {3, 11};
    cp.glibc = major_minor{2, 17};
    const auto tags = supported_tags(cp);
    ASSERT_FALSE(tags.empty());
    EXPECT_EQ(tags.front().to_string(), "cp311-cp311-manylinux_2_17_x86_64");
    EXPECT_EQ(tags[1].to_string(), "cp311-cp311-manylinux2014_x86_64");
    EXPECT_EQ(tags.back().to_string(), "py30-none-any");
    const auto names = to_strings(tags);
    EXPECT_NE(std::find(names.begin(), names.end(), "cp311-none-any"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "cp32-abi3-linux_x86_64"), names.end());

    interpreter_info pp;
    pp.implementation = interpreter_short_name("pypy");
    pp.version = {3, 9};
    pp.abis = {"pypy39_pp73"};
    pp.os = os_kind::other;
    pp.platform = "win-amd64";
    EXPECT_EQ(to_strings(supported_tags(pp)).front(), "pp39-pypy39_pp73-win_amd64");
    const strings override{"manylinux2014_x86_64"};
    const auto forced = to_strings(supported_tags(pp, override));
    EXPECT_EQ(forced[0], "pp39-pypy39_pp73-manylinux2014_x86_64");
    EXPECT_EQ(forced[1], "pp39-pypy39_pp73-manylinux2010_x86_64");
    EXPECT_NE(std::find(forced.begin(), forced.end(), "pp39-none-any"), forced.end());
}

TEST(TagRanker, BestTagWins) {
    const std::vector<tag> supported{
        tag("cp311", "cp311", "linux_x86_64"), tag("cp311", "abi3", "linux_x86_64"),
        tag("py3", "none", "any"),
        tag("cp311", "cp311", "linux_x86_64"), // duplicates keep the first index
    };
    const tag_ranker ranker(supported);
    EXPECT_EQ(ranker.size(), 3U);
    EXPECT_EQ(ranker.rank(tag("py3", "none", "any")), 2U);
    EXPECT_EQ(ranker.rank(tag("cp311", "cp311", "linux_x86_64")), 0U);
    EXPECT_EQ(ranker.rank(tag("py2", "none", "any")), std::nullopt);
    const auto wheel = *parse_tag("py2.py3-none-any");
    EXPECT_EQ(ranker.best_rank(wheel), 2U);
    const auto both =
        std::vector<tag>{tag("py3", "none", "any"), tag("cp311", "abi3", "LINUX_x86_64")};
    EXPECT_EQ(ranker.best_rank(both), 1U);
    EXPECT_FALSE(ranker.is_compatible(*parse_tag("cp27-cp27mu-linux_x86_64")));
    EXPECT_FALSE(tag_ranker().is_compatible(wheel));
}

TEST(TagGarbage, RandomInputNeverCrashes) {
    std::mt19937 rng(425);
    using namespace std::string_literals;
    const std::string alphabet = "py3.-_nonecpAZ\n\0\xff\xc3\xa9"s;
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        const auto len = rng() % 24;
        for (unsigned j = 0; j < len; ++j) {
            text += alphabet[rng() % alphabet.size()];
        }
        const auto parsed = parse_tag(text);
        if (parsed) {
            EXPECT_FALSE(parsed->empty());
            for (const auto& t : *parsed) {
                EXPECT_EQ(std::count(text.begin(), text.end(), '-'), 2);
                EXPECT_EQ(t.to_string().find('.'), std::string::npos);
            }
        }
        const strings plats{text};
        (void)expand_platforms(plats);
    }
}

} // namespace
} // namespace actpip::core
