// PEP 440 versions: the normalization and ordering rules the PEP spells out, and the
// packaging 21.3 behaviour where the PEP leaves room.

#include "actpip/core/version.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace actpip::core;

version v(std::string_view text) {
    auto parsed = version::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text << ": " << parsed.error().message;
    return parsed.value_or(version{});
}

struct normalization {
    const char* input;
    const char* normalized;
};

class VersionNormalization : public ::testing::TestWithParam<normalization> {};

TEST_P(VersionNormalization, PrintsTheNormalForm) {
    const auto& [input, normalized] = GetParam();
    auto parsed = version::parse(input);
    ASSERT_TRUE(parsed.has_value()) << input << ": " << parsed.error().message;
    EXPECT_EQ(parsed->to_string(), normalized) << input;
    // The normal form is a fixed point.
    EXPECT_EQ(v(parsed->to_string()).to_string(), normalized);
}

INSTANTIATE_TEST_SUITE_P(
    Pep440, VersionNormalization,
    ::testing::Values(
        // Case and the v prefix.
        normalization{"1.0", "1.0"}, normalization{"1.1RC1", "1.1rc1"},
        normalization{"v1.0", "1.0"}, normalization{"V1.0", "1.0"},
        normalization{"1.0A1.POST2.DEV3", "1.0a1.post2.dev3"},
        // Leading zeros and the epoch.
        normalization{"01.02.003", "1.2.3"}, normalization{"0!1.0", "1.0"},
        normalization{"1!1.0", "1!1.0"}, normalization{"007!1", "7!1"},
        // Pre-release spellings, separators and implicit numbers.
        normalization{"1.0a", "1.0a0"}, normalization{"1.0.a1", "1.0a1"},
        normalization{"1.0-a1", "1.0a1"}, normalization{"1.0_a1", "1.0a1"},
        normalization{"1.0a.1", "1.0a1"}, normalization{"1.0a-1", "1.0a1"},
        normalization{"1.0a-", "1.0a0"}, normalization{"1.0alpha1", "1.0a1"},
        normalization{"1.0beta2", "1.0b2"}, normalization{"1.0b", "1.0b0"},
        normalization{"1.0c1", "1.0rc1"}, normalization{"1.0pre1", "1.0rc1"},
        normalization{"1.0preview1", "1.0rc1"}, normalization{"1.0.RC.1", "1.0rc1"},
        // Post releases, implicit ones included.
        normalization{"1.0post1", "1.0.post1"}, normalization{"1.0-post1", "1.0.post1"},
        normalization{"1.0post", "1.0.post0"}, normalization{"1.0.post.", "1.0.post0"},
        normalization{"1.0-1", "1.0.post1"}, normalization{"1.0rev1", "1.0.post1"},
        normalization{"1.0r1", "1.0.post1"}, normalization{"1.0_r_2", "1.0.post2"},
        normalization{"1.0b2-346", "1.0b2.post346"},
        // Dev releases.
        normalization{"1.0dev", "1.0.dev0"}, normalization{"1.0-dev1", "1.0.dev1"},
        normalization{"1.0_dev_1", "1.0.dev1"}, normalization{"1.0.dev.", "1.0.dev0"},
        normalization{"1.0a1-1.dev2", "1.0a1.post1.dev2"},
        // Local labels: separators become dots, letters lower case, numbers lose zeros.
        normalization{"1.0+ubuntu-1", "1.0+ubuntu.1"},
        normalization{"1.0+Ubuntu_1", "1.0+ubuntu.1"}, normalization{"1.0+0001.ABC", "1.0+1.abc"},
        normalization{"1.0+a-B_c", "1.0+a.b.c"},
        // Whitespace around the version, Unicode whitespace included (as str.strip()).
        normalization{" 1.0\n", "1.0"}, normalization{"\t1.0 ", "1.0"},
        normalization{"\xC2\xA0"
                      "1.0\xE3\x80\x80",
                      "1.0"},
        // Python's re.IGNORECASE: the Kelvin sign matches [a-z] and lower-cases to k.
        normalization{"1.0+\xE2\x84\xAA", "1.0+k"},
        // The largest number that fits.
        normalization{"18446744073709551615", "18446744073709551615"},
        normalization{"1.0+000000000000000000000018446744073709551615",
                      "1.0+18446744073709551615"}));

class VersionInvalid : public ::testing::TestWithParam<const char*> {};

TEST_P(VersionInvalid, IsRejectedWithAMessage) {
    auto parsed = version::parse(GetParam());
    ASSERT_FALSE(parsed.has_value()) << GetParam() << " -> " << parsed->to_string();
    EXPECT_EQ(parsed.error().code, errc::invalid_version);
    EXPECT_EQ(parsed.error().message.rfind("invalid version '", 0), 0U) << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Pep440, VersionInvalid,
    ::testing::Values("", " ", "v", "vv1", "1.0x", "1.0+", "1.0+a.", "1.0+a..b", "1.0+a+b", "1.0-",
                      "1.0.-1", "1.0--1", "1!", "!1", "1!!1", "1..0", ".1", "1.0.", "1.0 a1",
                      "1.0a1a1", "1.0rc1rc1", "1.0.dev1.post1", "1.0.dev1a1", "1.0.post1a1",
                      "1.0+a b", "1.0.*", "french toast", "1.0a1-", "1.0.dev1-",
                      "\xD9\xA0\xD9\xA1",                               // Arabic-Indic digits
                      "1.\xEF\xBC\x91",                                 // fullwidth digit one
                      "1.0\x80", "1.0\xC4", "1.0+\xC4\xB0\xC4",         // malformed UTF-8
                      "1.0+\xC3\xA9",                                   // é is not [a-z]
                      "18446744073709551616", "1.18446744073709551616", // past 64 bits
                      "1.0a18446744073709551616", "1.0+1.99999999999999999999"));

TEST(VersionUnicode, FollowsPythonsCaseInsensitiveMatching) {
    // re.IGNORECASE lets U+0130, U+0131, U+017F and U+212A match [a-z]; str.lower() turns
    // U+0130 into "i" + U+0307, which is no longer a valid version: packaging's normal form
    // is not always parseable, and ours is the same.
    EXPECT_EQ(v("1.0+\xC4\xB0").to_string(), "1.0+i\xCC\x87");
    EXPECT_FALSE(version::parse("1.0+i\xCC\x87").has_value());
    EXPECT_EQ(v("1.0+\xC4\xB1\xC5\xBF").local_string(), "\xC4\xB1\xC5\xBF"); // ı ſ kept
    EXPECT_EQ(v("1.0po\xC5\xBFt1").to_string(), "1.0.post1");
    EXPECT_EQ(v("1.0prev\xC4\xB1"
                "ew1")
                  .to_string(),
              "1.0rc1");
    EXPECT_GT(v("1.0+\xC4\xB0"), v("1.0+i")); // "i" + U+0307 sorts after "i"
}

TEST(VersionErrors, NameTheTextThePositionAndTheReason) {
    EXPECT_EQ(version::parse("1.0x").error().message,
              "invalid version '1.0x': unexpected 'x' at position 4");
    EXPECT_EQ(version::parse("  1.0x").error().message,
              "invalid version '  1.0x': unexpected 'x' at position 6");
    EXPECT_EQ(version::parse("").error().message, "invalid version '': the version is empty");
    const auto overflow = version::parse("1.99999999999999999999").error().message;
    EXPECT_NE(overflow.find("'99999999999999999999' is too large"), std::string::npos) << overflow;
    EXPECT_NE(overflow.find("at position 3"), std::string::npos) << overflow;
    const auto arabic = version::parse("\xD9\xA1.0").error().message;
    EXPECT_NE(arabic.find("expected a release number, found '\xD9\xA1'"), std::string::npos)
        << arabic;
}

TEST(VersionFields, AreParsedAndPrinted) {
    const version x = v("1!2.0.3rc4.post5.dev6+Abc.007");
    EXPECT_EQ(x.epoch(), 1U);
    EXPECT_EQ(x.release(), (std::vector<std::uint64_t>{2, 0, 3}));
    EXPECT_EQ(x.pre(), (pre_release{pre_kind::rc, 4}));
    EXPECT_EQ(x.post(), 5U);
    EXPECT_EQ(x.dev(), 6U);
    EXPECT_EQ(x.local(), (std::vector<local_segment>{std::string("abc"), std::uint64_t{7}}));
    EXPECT_TRUE(x.is_prerelease());
    EXPECT_TRUE(x.is_postrelease());
    EXPECT_TRUE(x.is_devrelease());
    EXPECT_TRUE(x.has_local());
    EXPECT_EQ(x.to_string(), "1!2.0.3rc4.post5.dev6+abc.7");
    EXPECT_EQ(x.public_version(), "1!2.0.3rc4.post5.dev6");
    EXPECT_EQ(x.base_version(), "1!2.0.3");
    EXPECT_EQ(x.local_string(), "abc.7");
    EXPECT_EQ(x.without_local().to_string(), "1!2.0.3rc4.post5.dev6");

    const version plain = v("1.0");
    EXPECT_FALSE(plain.is_prerelease());
    EXPECT_FALSE(plain.is_postrelease());
    EXPECT_FALSE(plain.has_local());
    EXPECT_EQ(plain.local_string(), "");
    EXPECT_TRUE(v("1.0.dev1").is_prerelease()); // a dev release is a pre-release
    EXPECT_FALSE(v("1.0.post1").is_prerelease());
    EXPECT_TRUE(v("1.0.post1.dev1").is_prerelease());
}

TEST(VersionConstruction, DefaultFromAndBuilder) {
    EXPECT_EQ(version{}.to_string(), "0");
    EXPECT_EQ(version::from({1, 2}).to_string(), "1.2");
    EXPECT_EQ(version::from({}).to_string(), "0");
    const version built = version_builder{}
                              .epoch(2)
                              .release({1, 0})
                              .pre(pre_kind::beta, 3)
                              .post(4)
                              .dev(0)
                              .local({std::string("x"), std::uint64_t{1}})
                              .build();
    EXPECT_EQ(built.to_string(), "2!1.0b3.post4.dev0+x.1");
    EXPECT_EQ(built, v("2!1.0b3.post4.dev0+x.1"));
}

TEST(VersionOrder, FollowsPackagingsSortedList) {
    // packaging's tests/test_version.py VERSIONS, ascending.
    const std::vector<std::string> ascending{"1.0.dev456",
                                             "1.0a1",
                                             "1.0a2.dev456",
                                             "1.0a12.dev456",
                                             "1.0a12",
                                             "1.0b1.dev456",
                                             "1.0b2",
                                             "1.0b2.post345.dev456",
                                             "1.0b2.post345",
                                             "1.0b2-346",
                                             "1.0c1.dev456",
                                             "1.0c1",
                                             "1.0rc2",
                                             "1.0c3",
                                             "1.0",
                                             "1.0.post456.dev34",
                                             "1.0.post456",
                                             "1.1.dev1",
                                             "1.2+123abc",
                                             "1.2+123abc456",
                                             "1.2+abc",
                                             "1.2+abc123",
                                             "1.2+abc123def",
                                             "1.2+1234.abc",
                                             "1.2+123456",
                                             "1.2.r32+123456",
                                             "1.2.rev33+123456"};
    std::vector<version> all;
    for (const std::string epoch : {"", "1!"}) {
        for (const std::string& s : ascending) {
            all.push_back(v(epoch + s));
        }
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (std::size_t j = 0; j < all.size(); ++j) {
            EXPECT_EQ(all[i] <=> all[j], i <=> j)
                << all[i].to_string() << " vs " << all[j].to_string();
        }
    }
}

struct ordered_pair {
    const char* lower;
    const char* higher;
};

class VersionLess : public ::testing::TestWithParam<ordered_pair> {};

TEST_P(VersionLess, Orders) {
    const auto& [lower, higher] = GetParam();
    EXPECT_LT(v(lower), v(higher)) << lower << " < " << higher;
    EXPECT_GT(v(higher), v(lower)) << higher << " > " << lower;
    EXPECT_NE(v(lower), v(higher));
}

INSTANTIATE_TEST_SUITE_P(
    Pep440, VersionLess,
    ::testing::Values(
        // dev < pre < final < post
        ordered_pair{"1.0.dev0", "1.0a0"}, ordered_pair{"1.0a0.dev0", "1.0a0"},
        ordered_pair{"1.0a1", "1.0b0"}, ordered_pair{"1.0b9", "1.0rc0"},
        ordered_pair{"1.0rc9", "1.0"}, ordered_pair{"1.0", "1.0.post0.dev0"},
        ordered_pair{"1.0.post0.dev0", "1.0.post0"}, ordered_pair{"1.0.post0", "1.0.post1"},
        ordered_pair{"1.0rc1", "1.0rc1.post1"}, ordered_pair{"1.0.dev1", "1.0.post1.dev0"},
        ordered_pair{"1.0a1.post1", "1.0a2.dev0"},
        // release segments compare numerically; a longer non-zero release is larger
        ordered_pair{"1.2", "1.10"}, ordered_pair{"1.0", "1.0.1"}, ordered_pair{"1.9.9", "2"},
        // the epoch dominates
        ordered_pair{"2000", "1!0.1"}, ordered_pair{"1!1.0", "2!0.0.dev0"},
        // a local version sorts after its public version
        ordered_pair{"1.0", "1.0+0"}, ordered_pair{"1.0+local", "1.0.post0"},
        // local segments: strings before numbers, numbers by value, strings by text,
        // and a label that is a prefix of the other first
        ordered_pair{"1.0+zzz", "1.0+0"}, ordered_pair{"1.0+2", "1.0+10"},
        ordered_pair{"1.0+abc", "1.0+abd"}, ordered_pair{"1.0+ab", "1.0+abc"},
        ordered_pair{"1.0+a.1", "1.0+a.1.b"}, ordered_pair{"1.0+1.a", "1.0+1.0"}));

TEST(VersionOrder, LocalLettersAreLowerCasedBeforeComparing) {
    EXPECT_GT(v("1.0+Z"), v("1.0+a")); // "z" > "a"
    EXPECT_EQ(v("1.0+ABC"), v("1.0+abc"));
}

TEST(VersionOrder, EqualSpellings) {
    const std::vector<std::pair<const char*, const char*>> equal{
        {"1.0", "1.0.0"},       {"1.0", "1.0.0.0.0"},   {"1", "1.0"},           {"0", "0.0"},
        {"v1.0", "1.0"},        {"1.0a", "1.0a0"},      {"1.0alpha0", "1.0a"},  {"1.0c1", "1.0rc1"},
        {"1.0-1", "1.0.post1"}, {"1.0r1", "1.0.post1"}, {"1.0dev", "1.0.dev0"}, {"1.0+1", "1.0+01"},
        {"1.0+a-b", "1.0+A.B"}, {"0!1.0", "1.0"},       {"1.0.0+x", "1+x"},     {" 1.0 ", "1.0"},
        {"1.0.0rc1", "1rc1"},
    };
    for (const auto& [a, b] : equal) {
        EXPECT_EQ(v(a) <=> v(b), std::strong_ordering::equal) << a << " vs " << b;
        EXPECT_EQ(v(a), v(b)) << a << " vs " << b;
    }
}

TEST(VersionPrefix, NextReleasePrefixBoundsAWildcard) {
    // ==1.2.* is [1.2.dev0, 1.3.dev0)
    EXPECT_EQ(v("1.2.5").next_release_prefix(2).to_string(), "1.3.dev0");
    EXPECT_EQ(v("1").next_release_prefix(3).to_string(), "1.0.1.dev0");
    EXPECT_EQ(v("2!1.2rc1+x").next_release_prefix(1).to_string(), "2!2.dev0");
    EXPECT_EQ(v("3!1.2").next_release_prefix(0).to_string(), "4!0.dev0");
    const version bound = v("1.2").next_release_prefix(2);
    for (const char* inside : {"1.2", "1.2.99999", "1.2.9.post9+z", "1.2.0.0.1rc1"}) {
        EXPECT_LT(v(inside), bound) << inside;
    }
    for (const char* above : {"1.3.dev0", "1.3a0", "1.3", "1.3.0.1"}) {
        EXPECT_GE(v(above), bound) << above;
    }
}

} // namespace
