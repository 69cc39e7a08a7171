// The outcome must not depend on the order in which answers arrive: the same scenario is fed
// through the asynchronous interface with answers delivered late, early, in bulk and shuffled.

#include "scenario.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace actpip::resolver::test {
namespace {

namespace fs = std::filesystem;

std::string outcome(const step_result& r) {
    if (const auto* ok = std::get_if<solution>(&r)) {
        return describe(*ok);
    }
    return "failure:\n" + std::get<failure>(r).explanation;
}

// Delivers a random subset of everything asked so far (required and prefetch) in random
// order at each step, holding some answers back for several steps.
step_result drive_shuffled(const scenario& sc, std::uint32_t seed) {
    std::mt19937 rng(seed);
    solver s(sc.root, sc.options);
    std::vector<request> pool;
    for (int guard = 0; guard < 100000; ++guard) {
        step_result r = s.step();
        auto* n = std::get_if<needs>(&r);
        if (n == nullptr) {
            return r;
        }
        for (auto* list : {&n->required, &n->prefetch}) {
            for (auto& q : *list) {
                pool.push_back(q);
            }
        }
        std::shuffle(pool.begin(), pool.end(), rng);
        const std::size_t deliver = std::uniform_int_distribution<std::size_t>(1, pool.size())(rng);
        for (std::size_t i = 0; i < deliver; ++i) {
            sc.universe.answer_into(s, pool.back());
            pool.pop_back();
        }
    }
    ADD_FAILURE() << "no progress";
    return failure{};
}

TEST(determinism, shuffled_arrival_orders_give_the_same_result) {
    const fs::path dir = fs::path(ACTPIP_TEST_DATA_DIR) / "resolver" / "scenarios";
    int checked = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ".txt") {
            continue;
        }
        auto sc = load_scenario(e.path());
        ASSERT_TRUE(sc.has_value()) << sc.error().message;
        solver reference(sc->root, sc->options);
        const std::string expected = outcome(sc->universe.resolve(reference, false));
        for (std::uint32_t seed = 1; seed <= 40; ++seed) {
            ASSERT_EQ(outcome(drive_shuffled(*sc, seed)), expected)
                << e.path().filename() << " seed " << seed;
        }
        ++checked;
    }
    EXPECT_GT(checked, 20);
}

TEST(determinism, step_without_answers_repeats_the_same_need) {
    auto sc =
        load_scenario(fs::path(ACTPIP_TEST_DATA_DIR) / "resolver" / "scenarios" / "diamond.txt");
    ASSERT_TRUE(sc.has_value());
    solver s(sc->root, sc->options);
    auto first = s.step();
    auto second = s.step();
    ASSERT_TRUE(std::holds_alternative<needs>(first));
    ASSERT_TRUE(std::holds_alternative<needs>(second));
    EXPECT_EQ(std::get<needs>(first).required, std::get<needs>(second).required);
    EXPECT_EQ(to_string(std::get<needs>(first).required.front()), "versions of a");
}

TEST(determinism, prefetch_hints_name_reachable_packages) {
    auto sc =
        load_scenario(fs::path(ACTPIP_TEST_DATA_DIR) / "resolver" / "scenarios" / "diamond.txt");
    ASSERT_TRUE(sc.has_value());
    solver s(sc->root, sc->options);
    std::vector<std::string> hinted;
    for (;;) {
        auto r = s.step();
        auto* n = std::get_if<needs>(&r);
        if (n == nullptr) {
            break;
        }
        for (const auto& q : n->prefetch) {
            hinted.push_back(to_string(q));
        }
        for (const auto& q : n->required) {
            sc->universe.answer_into(s, q);
        }
    }
    // Once a's metadata is known, b and c are reachable and hinted before they are needed.
    EXPECT_NE(std::find(hinted.begin(), hinted.end(), "versions of c"), hinted.end());
}

} // namespace
} // namespace actpip::resolver::test
