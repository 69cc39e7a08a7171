// Keeping a cache within a size budget: wheels (with their unpacked trees) go least recently
// used first, a wheel in use never, and marking a wheel used moves it to the back.
#include <gtest/gtest.h>

#include "actpip/storage/cache_budget.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using namespace actpip;

class cache_budget_test : public testing::Test {
protected:
    // A wheel of `bytes` with an unpacked tree of `tree_bytes`, last used `age` ago.
    std::string wheel(char c, std::size_t bytes, std::size_t tree_bytes, std::chrono::hours age) {
        std::string sha(64, c);
        auto path = layout_.wheel(sha);
        fs::create_directories(path.parent_path());
        test::write_file(path, std::string(bytes, 'w'));
        fs::last_write_time(path, fs::file_time_type::clock::now() - age);
        if (tree_bytes > 0) {
            auto tree = layout_.unpacked_dir() / sha / "pkg";
            fs::create_directories(tree);
            test::write_file(tree / "__init__.py", std::string(tree_bytes, 't'));
        }
        return sha;
    }
    bool stored(const std::string& sha) const { return fs::exists(layout_.wheel(sha)); }

    test::temp_dir tmp_;
    storage::cache_layout layout_{tmp_.path()};
};

TEST_F(cache_budget_test, least_recently_used_go_first_with_their_trees) {
    auto oldest = wheel('a', 1000, 500, std::chrono::hours(30));
    auto older = wheel('b', 1000, 0, std::chrono::hours(20));
    auto recent = wheel('c', 1000, 0, std::chrono::hours(1));
    EXPECT_EQ(storage::evictable_bytes(layout_), 3500u);
    auto r = storage::evict_to_budget(layout_, 2000, {});
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_FALSE(stored(oldest));
    EXPECT_FALSE(fs::exists(layout_.unpacked_dir() / oldest)) << "its tree goes with it";
    EXPECT_TRUE(stored(older));
    EXPECT_TRUE(stored(recent));
    EXPECT_EQ(r->files, 1u);
    EXPECT_EQ(r->bytes, 1500u);
    EXPECT_LE(storage::evictable_bytes(layout_), 2000u);
}

TEST_F(cache_budget_test, a_wheel_in_use_stays_and_a_used_one_goes_last) {
    auto oldest = wheel('a', 1000, 0, std::chrono::hours(30));
    auto older = wheel('b', 1000, 0, std::chrono::hours(20));
    auto recent = wheel('c', 1000, 0, std::chrono::hours(1));
    storage::mark_used(layout_, older); // now the most recent
    auto r = storage::evict_to_budget(layout_, 2000, {oldest});
    ASSERT_TRUE(r);
    EXPECT_TRUE(stored(oldest)) << "in use";
    EXPECT_FALSE(stored(recent));
    EXPECT_TRUE(stored(older)) << "it was used last";
    EXPECT_EQ(storage::evictable_bytes(layout_), 2000u);
    r = storage::evict_to_budget(layout_, 0, {oldest});
    ASSERT_TRUE(r);
    EXPECT_TRUE(stored(oldest)) << "over budget rather than evict one in use";
    EXPECT_EQ(storage::evictable_bytes(layout_), 1000u);
}

TEST_F(cache_budget_test, within_budget_nothing_goes) {
    wheel('a', 1000, 0, std::chrono::hours(30));
    auto r = storage::evict_to_budget(layout_, 5000, {});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->files, 0u);
    EXPECT_EQ(storage::evictable_bytes(layout_), 1000u);
}

} // namespace
