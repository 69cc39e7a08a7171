// Property tests: every set built from specifiers agrees with core::specifier::contains on a
// grid of generated versions, and the set operations agree with the naive pointwise ones.

#include "actpip/resolver/version_set.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace actpip::resolver {
namespace {

std::vector<std::string> version_texts() {
    std::vector<std::string> out;
    const char* releases[] = {"0.9", "1.0", "1.0.0.1", "1.1", "1.7", "1.7.1", "2.0", "1!1.0"};
    const char* suffixes[] = {"",         ".dev0",  ".dev3",  "a1",     "b2",     "rc1",
                              "rc1.dev1", ".post1", ".post2", "+local", "+abc.5", ".post1+x"};
    for (const char* r : releases) {
        for (const char* s : suffixes) {
            out.push_back(std::string(r) + s);
        }
    }
    return out;
}

// Operand versions without the combinations the algebra approximates (see version_set.hpp).
std::vector<std::string> operand_texts() {
    return {"1.0", "1.7", "1.7.1", "2.0", "1.7rc1", "1.7.dev3", "1.0.post1", "1!1.0", "0.9"};
}

std::vector<core::version> grid() {
    std::vector<core::version> out;
    for (const auto& t : version_texts()) {
        auto v = core::version::parse(t);
        EXPECT_TRUE(v.has_value()) << t;
        if (v) {
            out.push_back(*v);
        }
    }
    return out;
}

bool approximated(const core::specifier& s, const core::version& x) {
    // The documented approximations: >V (V pre-release) and pre-releases with locals,
    // <B.postN and post-dev versions.
    const auto& v = *s.parsed_version();
    if (s.op() == core::spec_op::greater && v.is_prerelease() && x.has_local() &&
        x.is_prerelease()) {
        return true;
    }
    if (s.op() == core::spec_op::greater && v.is_postrelease() && x.has_local()) {
        return true;
    }
    return false;
}

TEST(version_set_property, specifiers_agree_with_core) {
    const auto versions = grid();
    const char* ops[] = {"==", "!=", ">=", "<=", ">", "<", "~="};
    int checked = 0;
    for (const char* op : ops) {
        for (const auto& operand : operand_texts()) {
            const std::string text = std::string(op) + operand;
            auto s = core::specifier::parse(text);
            if (!s) {
                continue; // e.g. ~= with one release segment
            }
            const auto set = version_set::from_specifier(*s);
            for (const auto& x : versions) {
                if (approximated(*s, x)) {
                    continue;
                }
                EXPECT_EQ(set.contains(x), s->contains(x))
                    << text << " on " << x.to_string() << " set " << set.to_string();
                ++checked;
            }
        }
    }
    for (const char* w : {"==1.*", "!=1.7.*", "==1!1.*", "==2.0.*"}) {
        auto s = core::specifier::parse(w);
        ASSERT_TRUE(s.has_value()) << w;
        const auto set = version_set::from_specifier(*s);
        for (const auto& x : versions) {
            EXPECT_EQ(set.contains(x), s->contains(x)) << w << " on " << x.to_string();
        }
    }
    EXPECT_GT(checked, 500);
}

TEST(version_set_property, operations_agree_pointwise) {
    const auto versions = grid();
    std::vector<version_set> sets;
    for (const char* op : {"==", "!=", ">=", "<=", ">", "<"}) {
        for (const auto& operand : operand_texts()) {
            if (auto s = core::specifier::parse(std::string(op) + operand)) {
                sets.push_back(version_set::from_specifier(*s));
            }
        }
    }
    std::mt19937 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, sets.size() - 1);
    // Random compositions, three levels deep.
    for (int round = 0; round < 300; ++round) {
        const auto& a = sets[pick(rng)];
        const auto& b = sets[pick(rng)];
        const auto& c = sets[pick(rng)];
        const auto u = a.union_with(b);
        const auto i = a.intersect(b);
        const auto n = a.complement();
        const auto mix = u.intersect(c.complement()).union_with(i);
        for (const auto& x : versions) {
            const bool ax = a.contains(x);
            const bool bx = b.contains(x);
            const bool cx = c.contains(x);
            ASSERT_EQ(u.contains(x), ax || bx);
            ASSERT_EQ(i.contains(x), ax && bx);
            ASSERT_EQ(n.contains(x), !ax);
            ASSERT_EQ(mix.contains(x), ((ax || bx) && !cx) || (ax && bx));
        }
        EXPECT_EQ(i.is_empty() || !a.is_disjoint(b), true);
        EXPECT_TRUE(i.is_subset_of(a));
        EXPECT_TRUE(a.is_subset_of(u));
        EXPECT_EQ(n.complement(), a);
    }
}

} // namespace
} // namespace actpip::resolver
