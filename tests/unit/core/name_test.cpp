// PEP 503 normalization and PEP 508 name validity.

#include "actpip/core/name.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace actpip::core;

TEST(Name, NormalizeFollowsPep503) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"foo", "foo"},
        {"Foo", "foo"},
        {"FOO.BAR", "foo-bar"},
        {"Foo.Bar_baz", "foo-bar-baz"},
        {"A__B", "a-b"},
        {"a-_-.b", "a-b"},
        {"a.-b", "a-b"},
        {"Foo.Bar-Baz_Qux", "foo-bar-baz-qux"},
        {"_a", "-a"}, // canonicalize_name does not validate
        {"a_", "a-"},
        {"---", "-"},
        {"", ""},
        {"1a", "1a"},
        {"zope.interface", "zope-interface"},
        {"a b", "a b"},
    };
    for (const auto& [in, want] : cases) {
        EXPECT_EQ(normalize_name(in), want) << in;
    }
}

TEST(Name, NormalizeIsIdempotent) {
    for (const char* n : {"Foo.Bar_baz", "a--b", "X", "x.y.z", "A_-_B"}) {
        EXPECT_EQ(normalize_name(normalize_name(n)), normalize_name(n)) << n;
    }
}

TEST(Name, Validity) {
    for (const char* ok : {"a", "A", "1", "a1", "foo-bar", "foo.bar", "foo_bar", "a--b", "a.-_b",
                           "Django", "zope.interface", "9x"}) {
        EXPECT_TRUE(is_valid_name(ok)) << ok;
    }
    for (const char* bad : {"", "-a", "a-", ".a", "a.", "_a", "a_", "a b", "a@b", "caf\xc3\xa9",
                            "a/b", "a+b", " a", "a ", "-"}) {
        EXPECT_FALSE(is_valid_name(bad)) << bad;
    }
}

TEST(Name, ParseNormalizesValidNames) {
    auto n = parse_name("Foo.Bar_Baz");
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(*n, "foo-bar-baz");
}

TEST(Name, ParseErrorsNameTextAndPosition) {
    struct bad_case {
        std::string text;
        std::string position;
    };
    const std::vector<bad_case> cases{
        {"", "empty"},
        {"-foo", "position 1"},
        {"foo bar", "position 4"},
        {"foo-", "position 4"},
    };
    for (const auto& c : cases) {
        auto n = parse_name(c.text);
        ASSERT_FALSE(n.has_value()) << c.text;
        EXPECT_EQ(n.error().code, errc::invalid_name);
        EXPECT_NE(n.error().message.find("'" + c.text + "'"), std::string::npos)
            << n.error().message;
        EXPECT_NE(n.error().message.find(c.position), std::string::npos) << n.error().message;
    }
}

TEST(Name, GarbageDoesNotCrashAndAgrees) {
    std::mt19937 rng(503);
    using namespace std::string_literals;
    const std::string alphabet = "aZ09-_. @\xc3\xa9\x00\xff"s;
    for (int i = 0; i < 5000; ++i) {
        std::string s;
        const int len = static_cast<int>(rng() % 12);
        for (int j = 0; j < len; ++j) {
            s += alphabet[rng() % alphabet.size()];
        }
        const auto parsed = parse_name(s);
        EXPECT_EQ(parsed.has_value(), is_valid_name(s)) << s;
        if (parsed) {
            EXPECT_EQ(*parsed, normalize_name(s));
        }
    }
}

} // namespace
