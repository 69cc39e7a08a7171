#include "actpip/resolver/version_set.hpp"

#include <gtest/gtest.h>

namespace actpip::resolver {

void PrintTo(const version_set& s, std::ostream* os) {
    *os << s.to_string();
}

namespace {

core::version v(const char* text) {
    auto r = core::version::parse(text);
    EXPECT_TRUE(r.has_value()) << text;
    return r ? *r : core::version{};
}

version_set spec(const char* text) {
    auto r = core::specifier_set::parse(text);
    EXPECT_TRUE(r.has_value()) << text;
    return version_set::from_specifiers(r ? *r : core::specifier_set{});
}

TEST(version_set, empty_and_full) {
    EXPECT_TRUE(version_set::empty().is_empty());
    EXPECT_TRUE(version_set::full().is_full());
    EXPECT_EQ(version_set::full().complement(), version_set::empty());
    EXPECT_EQ(version_set::empty().complement(), version_set::full());
    EXPECT_TRUE(spec("").is_full());
}

TEST(version_set, union_intersection_complement) {
    const auto a = spec(">=1.0, <2.0");
    const auto b = spec(">=1.5, <3.0");
    EXPECT_EQ(a.intersect(b), spec(">=1.5, <2.0"));
    EXPECT_EQ(a.union_with(b), spec(">=1.0, <3.0"));
    // Not <1.0: the pre-releases of 1.0 lie below >=1.0 but are not <1.0 in PEP 440.
    EXPECT_EQ(a.complement().to_string(), "<1.0 | >=2.0.dev0");
    EXPECT_TRUE(a.complement().contains(v("1.0rc1")));
    EXPECT_TRUE(a.intersect(a.complement()).is_empty());
    EXPECT_TRUE(a.union_with(a.complement()).is_full());
    EXPECT_TRUE(spec(">=1.5, <1.8").is_subset_of(a));
    EXPECT_FALSE(b.is_subset_of(a));
    EXPECT_TRUE(spec("<1.0").is_disjoint(a));
    EXPECT_FALSE(b.is_disjoint(a));
}

TEST(version_set, exclusive_ordered_comparisons) {
    const auto gt = spec(">1.7");
    EXPECT_FALSE(gt.contains(v("1.7")));
    EXPECT_FALSE(gt.contains(v("1.7.post1")));
    EXPECT_FALSE(gt.contains(v("1.7+local")));
    EXPECT_FALSE(gt.contains(v("1.7.0.post3+x")));
    EXPECT_TRUE(gt.contains(v("1.7.1")));
    EXPECT_TRUE(gt.contains(v("1.8.dev0")));
    EXPECT_TRUE(spec(">1.7.post2").contains(v("1.7.post3")));
    EXPECT_FALSE(spec(">1.7.post2").contains(v("1.7.post2")));

    const auto lt = spec("<1.7");
    EXPECT_FALSE(lt.contains(v("1.7rc1")));
    EXPECT_FALSE(lt.contains(v("1.7.dev0")));
    EXPECT_TRUE(lt.contains(v("1.6.9")));
    EXPECT_TRUE(lt.contains(v("1.6+local")));
    EXPECT_TRUE(spec("<1.7rc2").contains(v("1.7rc1")));
    EXPECT_FALSE(spec("<1.7rc2").contains(v("1.7rc2")));
}

TEST(version_set, locals_and_equality) {
    EXPECT_TRUE(spec("==1.0").contains(v("1.0+local")));
    EXPECT_TRUE(spec("==1.0").contains(v("1.0.0")));
    EXPECT_FALSE(spec("==1.0").contains(v("1.0.post1")));
    EXPECT_FALSE(spec("==1.0+a").contains(v("1.0+b")));
    EXPECT_TRUE(spec("==1.0+a").contains(v("1.0+a")));
    EXPECT_FALSE(spec("!=1.0").contains(v("1.0+local")));
    EXPECT_TRUE(spec("<=1.0").contains(v("1.0+local")));
    EXPECT_TRUE(spec(">=1.0").contains(v("1.0+local")));
    EXPECT_FALSE(version_set::singleton(v("1.0")).contains(v("1.0+local")));
}

TEST(version_set, wildcards_and_compatible) {
    const auto w = spec("==1.2.*");
    EXPECT_TRUE(w.contains(v("1.2.dev0")));
    EXPECT_TRUE(w.contains(v("1.2")));
    EXPECT_TRUE(w.contains(v("1.2.9.post1+x")));
    EXPECT_FALSE(w.contains(v("1.3.dev0")));
    EXPECT_FALSE(w.contains(v("1.1.9")));
    EXPECT_FALSE(spec("!=1.2.*").contains(v("1.2.5")));
    const auto c = spec("~=1.4.5");
    EXPECT_TRUE(c.contains(v("1.4.5")));
    EXPECT_TRUE(c.contains(v("1.4.99")));
    EXPECT_FALSE(c.contains(v("1.5")));
    EXPECT_FALSE(c.contains(v("1.4.4")));
    EXPECT_TRUE(spec("~=1.4.5a4").contains(v("1.4.5")));
    EXPECT_FALSE(spec("~=1.4.5a4").contains(v("1.4.6")));
}

TEST(version_set, prereleases_are_in_the_algebra) {
    // The algebra keeps pre-releases; the policy is applied when choosing a candidate.
    EXPECT_TRUE(spec(">=1.0").contains(v("2.0a1")));
    EXPECT_TRUE(spec(">=1.0, <2.0").union_with(spec(">=2.0a1")).contains(v("2.0a1")));
    EXPECT_TRUE(spec("<2.0").complement().contains(v("2.0a1")));
}

TEST(version_set, printing) {
    EXPECT_EQ(spec(">=1.0, <2.0").to_string(), ">=1.0, <2.0");
    EXPECT_EQ(spec("==1.2").to_string(), "==1.2");
    EXPECT_EQ(spec("!=1.5").to_string(), "!=1.5");
    EXPECT_EQ(spec("!=1.5, !=1.7").to_string(), "!=1.5, !=1.7");
    EXPECT_EQ(spec("==1.*").to_string(), "==1.*");
    EXPECT_EQ(spec("<=2").to_string(), "<=2");
    EXPECT_EQ(spec(">2").to_string(), ">2");
    EXPECT_EQ(spec("<1.0").union_with(spec(">=2.0")).to_string(), "<1.0 | >=2.0");
    EXPECT_EQ(version_set::full().to_string(), "*");
    EXPECT_EQ(version_set::empty().to_string(), "<none>");
    EXPECT_EQ(version_set::singleton(v("1.0")).to_string(), "==1.0");
}

} // namespace
} // namespace actpip::resolver
