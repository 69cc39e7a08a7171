// PEP 508 requirements as packaging 21.3 parses and prints them (expected values taken from
// pip 23.2.1's vendored packaging 21.3; strings it accepts only as LegacySpecifier are invalid).

#include "actpip/core/requirement.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace actpip::core;

struct good_case {
    std::string text;
    std::string name;
    std::vector<std::string> extras;
    std::string specifiers; // str(SpecifierSet)
    std::optional<std::string> url;
    std::optional<std::string> marker;
    std::string printed; // str(Requirement)
};

TEST(Requirement, ParsesAsPackaging) {
    const std::vector<good_case> cases{
        {"name", "name", {}, "", {}, {}, "name"},
        {"Name.With_Punct-1", "Name.With_Punct-1", {}, "", {}, {}, "Name.With_Punct-1"},
        {"  name  ", "name", {}, "", {}, {}, "name"},
        {"name[]", "name", {}, "", {}, {}, "name"},
        {"name[ a , b ,a]", "name", {"a", "b"}, "", {}, {}, "name[a,b]"},
        {"name[B,a]", "name", {"B", "a"}, "", {}, {}, "name[B,a]"},
        {"name [a]", "name", {"a"}, "", {}, {}, "name[a]"},
        {"name>=1.0", "name", {}, ">=1.0", {}, {}, "name>=1.0"},
        {"name (>=1.0,<2)", "name", {}, "<2,>=1.0", {}, {}, "name<2,>=1.0"},
        {"name (>=1.0)", "name", {}, ">=1.0", {}, {}, "name>=1.0"},
        {"name>=1.0,<2", "name", {}, "<2,>=1.0", {}, {}, "name<2,>=1.0"},
        {"name ( == 1.0.* )", "name", {}, "==1.0.*", {}, {}, "name==1.0.*"},
        {"name==1.0.*", "name", {}, "==1.0.*", {}, {}, "name==1.0.*"},
        {"name!=1.0.*", "name", {}, "!=1.0.*", {}, {}, "name!=1.0.*"},
        {"name~=1.0", "name", {}, "~=1.0", {}, {}, "name~=1.0"},
        {"name===foo", "name", {}, "===foo", {}, {}, "name===foo"},
        // The === token runs to the next whitespace, commas included.
        {"name ===1.0,>=2", "name", {}, "===1.0,>=2", {}, {}, "name===1.0,>=2"},
        {"name===a)b", "name", {}, "===a)b", {}, {}, "name===a)b"},
        {"name>1.0.post1.dev2", "name", {}, ">1.0.post1.dev2", {}, {}, "name>1.0.post1.dev2"},
        {"name==1.0+local", "name", {}, "==1.0+local", {}, {}, "name==1.0+local"},
        {"name<=v1.0", "name", {}, "<=v1.0", {}, {}, "name<=v1.0"},
        {"name>=1.0alpha1", "name", {}, ">=1.0alpha1", {}, {}, "name>=1.0alpha1"},
        {"\tname\t>=\t1.0", "name", {}, ">=1.0", {}, {}, "name>=1.0"},
        {"name[x]>=1;python_version<'3'",
         "name",
         {"x"},
         ">=1",
         {},
         R"(python_version < "3")",
         R"(name[x]>=1; python_version < "3")"},
        {"name; os_name=='a'", "name", {}, "", {}, R"(os_name == "a")", R"(name; os_name == "a")"},
        {"name==1.0;python_version>'3'",
         "name",
         {},
         "==1.0",
         {},
         R"(python_version > "3")",
         R"(name==1.0; python_version > "3")"},
        {"name >= 1.0 ; extra == 'test'",
         "name",
         {},
         ">=1.0",
         {},
         R"(extra == "test")",
         R"(name>=1.0; extra == "test")"},
        {"name>=1.0; (os_name=='a' or os_name=='b') and python_version>'3'",
         "name",
         {},
         ">=1.0",
         {},
         R"((os_name == "a" or os_name == "b") and python_version > "3")",
         R"(name>=1.0; (os_name == "a" or os_name == "b") and python_version > "3")"},
        {"name @ https://example.com/name.whl",
         "name",
         {},
         "",
         "https://example.com/name.whl",
         {},
         "name@ https://example.com/name.whl"},
        {"name@https://example.com/name.whl ; os_name == 'a'",
         "name",
         {},
         "",
         "https://example.com/name.whl",
         R"(os_name == "a")",
         R"(name@ https://example.com/name.whl ; os_name == "a")"},
        {"name @ file:///tmp/x.whl",
         "name",
         {},
         "",
         "file:///tmp/x.whl",
         {},
         "name@ file:///tmp/x.whl"},
        {"name @ git+https://github.com/o/r.git@v1#egg=name",
         "name",
         {},
         "",
         "git+https://github.com/o/r.git@v1#egg=name",
         {},
         "name@ git+https://github.com/o/r.git@v1#egg=name"},
        {"name[extra] @ http://x/y",
         "name",
         {"extra"},
         "",
         "http://x/y",
         {},
         "name[extra]@ http://x/y"},
        {"name @ http://[::1]/x", "name", {}, "", "http://[::1]/x", {}, "name@ http://[::1]/x"},
        // Without a space the ";" belongs to the URL.
        {"name @ http://x;os_name=='a'",
         "name",
         {},
         "",
         "http://x;os_name=='a'",
         {},
         "name@ http://x;os_name=='a'"},
    };
    for (const auto& c : cases) {
        auto r = requirement::parse(c.text);
        ASSERT_TRUE(r.has_value()) << c.text << ": " << r.error().message;
        EXPECT_EQ(r->name, c.name) << c.text;
        EXPECT_EQ(r->extras, c.extras) << c.text;
        EXPECT_EQ(r->specifiers.to_string(), c.specifiers) << c.text;
        EXPECT_EQ(r->url, c.url) << c.text;
        EXPECT_EQ(r->marker ? std::optional(r->marker->to_string()) : std::nullopt, c.marker)
            << c.text;
        EXPECT_EQ(r->to_string(), c.printed) << c.text;
    }
}

TEST(Requirement, RejectsWhatPackagingRejects) {
    for (const char* bad :
         {"",
          "-name",
          "name-",
          "name[a,]",
          "name[a",
          "name[a b]",
          "name>=1,",
          "name (>=1",
          "name >=1 <2",
          "name==1;",
          "name==1 ; os_name",
          "name ; os_name=='a' extra",
          "name@",
          "name @ ",
          "name > = 1",
          "name==1.0 ,, ==2",
          "name=1",
          "name>=1.0 rc1",
          "name~=1",         // ~= needs two release segments
          "name~=1.0alpha1", // the regex stops at "~=1.0a" and ~= has no legacy form
          "name (===1.0)",   // the === token swallows the ")"
          "name @ file:/x",
          "name @ file:x",
          "name @ http:x",
          "name @ /x/y",
          "name @ http://[1.2.3.4]/x",
          "name @ http://[::1/x",
          "name @ FILE:///x",
          "name @ file:///x?",
          "name @ http://\xe2\x84\x80/",
          "name;os_name=='a' and",
          "name extra",
          "name==1.0 @ http://x"}) {
        auto r = requirement::parse(bad);
        EXPECT_FALSE(r.has_value()) << bad;
        if (!r) {
            EXPECT_EQ(r.error().code, errc::invalid_requirement);
            EXPECT_NE(r.error().message.find(std::string("'") + bad + "'"), std::string::npos)
                << r.error().message;
        }
    }
}

TEST(Requirement, ArbitraryEqualityTokenSwallowsTheMarkerSeparator) {
    EXPECT_FALSE(requirement::parse("a===x; os_name == 'nt'").has_value());
    auto r = requirement::parse("a===x ; os_name == 'nt'");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->to_string(), R"(a===x; os_name == "nt")"); // as packaging prints it
}

TEST(Requirement, LegacyOnlySpecifiersAreInvalid) {
    for (const char* legacy :
         {"name>=1.0.*", "name>=foo", "name==1.0-x", "name<1.0.*", "name == 1.0.*.*", "name<>1"}) {
        EXPECT_FALSE(requirement::parse(legacy).has_value()) << legacy;
    }
}

TEST(Requirement, ErrorsNameThePosition) {
    auto r = requirement::parse("name[a,]");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("at position 8"), std::string::npos) << r.error().message;

    r = requirement::parse("name>=1.0,>=foo");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("'>=foo'"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("at position 11"), std::string::npos) << r.error().message;

    r = requirement::parse("name @ http:x");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("URL"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("at position 8"), std::string::npos) << r.error().message;

    r = requirement::parse("name; os_name ~ 'a'");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("at position 15"), std::string::npos) << r.error().message;
}

TEST(Requirement, NormalizedNameAndAppliesTo) {
    auto r = requirement::parse("Foo.Bar_baz>=1; sys_platform == 'linux' and extra == 'x'");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->normalized_name(), "foo-bar-baz");
    marker_environment env;
    env.values = {{"sys_platform", "linux"}};
    EXPECT_FALSE(r->applies_to(env)); // no extra in the environment: an error, so false
    EXPECT_TRUE(r->applies_to(env.with_extra("X")));
    EXPECT_FALSE(r->applies_to(env.with_extra("y")));
    EXPECT_TRUE(requirement::parse("plain")->applies_to(env));
}

TEST(Requirement, PrintedFormRoundTrips) {
    std::mt19937 rng(508);
    const std::vector<std::string> names{"a", "Foo.Bar", "x_y-z"};
    const std::vector<std::string> extras{"", "[t]", "[b,a]", "[ c ]"};
    const std::vector<std::string> specs{"",      ">=1.0", " (>=1,<2)", "==1.0.*",
                                         "~=2.2", "!=3",   "===x",      ">1.0rc1,<=2.0.post1"};
    const std::vector<std::string> urls{" @ https://h/p.whl", "@file:///tmp/x.whl"};
    const std::vector<std::string> markers{"", "; python_version < '3.8'",
                                           " ; (os_name == 'nt' or extra == 'x') and 'a' in extra"};
    for (int i = 0; i < 2000; ++i) {
        std::string text = names[rng() % names.size()] + extras[rng() % extras.size()];
        const bool with_url = rng() % 3 == 0;
        text += with_url ? urls[rng() % urls.size()] : specs[rng() % specs.size()];
        const std::string m = markers[rng() % markers.size()];
        if (text.find("===") != std::string::npos && !m.empty()) {
            continue; // the printed `a===x; m` is not a requirement in 21.3 (=== swallows ";")
        }
        text += with_url && !m.empty() ? " " + m : m;
        auto r = requirement::parse(text);
        ASSERT_TRUE(r.has_value()) << text << ": " << r.error().message;
        auto again = requirement::parse(r->to_string());
        ASSERT_TRUE(again.has_value()) << r->to_string() << ": " << again.error().message;
        EXPECT_EQ(again->to_string(), r->to_string());
        EXPECT_EQ(again->extras, r->extras);
        EXPECT_EQ(again->url, r->url);
    }
}

TEST(Requirement, RandomGarbageNeverCrashes) {
    std::mt19937 rng(2);
    const std::string pieces[] = {"name",     "[",        "]",
                                  ",",        "(",        ")",
                                  "@",        ";",        " ",
                                  "\t",       "==",       ">=",
                                  "~=",       "===",      "1.0",
                                  ".*",       "a1",       "post",
                                  "http://",  "file:///", "[::1]",
                                  "'",        "os_name",  " and ",
                                  "\xc2\xa0", "\xff",     "\xe2\x84\xaa",
                                  "\n",       "%",        "#",
                                  "?"};
    for (int i = 0; i < 30000; ++i) {
        std::string s;
        const int n = static_cast<int>(rng() % 10);
        for (int j = 0; j < n; ++j) {
            s += pieces[rng() % std::size(pieces)];
        }
        auto r = requirement::parse(s);
        if (r) {
            (void)r->to_string();
            (void)r->applies_to(marker_environment{});
        } else {
            EXPECT_EQ(r.error().code, errc::invalid_requirement);
        }
    }
}

} // namespace
