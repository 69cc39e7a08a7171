#include "actpip/storage/resolution_memo.hpp"
#include "support/temp_dir.hpp"

#include <fstream>
#include <gtest/gtest.h>

namespace {

using namespace actpip::storage;

TEST(ResolutionMemo, KeepsTheNamesOfAnInputAndOnlyOfIt) {
    actpip::test::temp_dir dir;
    cache_layout layout(dir.path());
    auto key = resolution_memo_key("req notebook\nindex https://x/simple\n");
    EXPECT_EQ(key.size(), 64u);
    EXPECT_NE(key, resolution_memo_key("req notebook\nindex https://y/simple\n"));
    EXPECT_TRUE(load_resolution_memo(layout, key).empty());
    ASSERT_TRUE(store_resolution_memo(layout, key, {"notebook", "jinja2", "markupsafe"}));
    EXPECT_EQ(load_resolution_memo(layout, key),
              (std::vector<std::string>{"notebook", "jinja2", "markupsafe"}));
    // Replaced by the next resolution of the same input.
    ASSERT_TRUE(store_resolution_memo(layout, key, {"notebook"}));
    EXPECT_EQ(load_resolution_memo(layout, key), std::vector<std::string>{"notebook"});
}

TEST(ResolutionMemo, ACorruptMemoIsNoMemo) {
    actpip::test::temp_dir dir;
    cache_layout layout(dir.path());
    auto key = resolution_memo_key("input");
    ASSERT_TRUE(store_resolution_memo(layout, key, {"a", "b"}));
    auto path = layout.resolutions_dir() / key.substr(0, 2) / key;
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(-1, std::ios::end);
        f.put('X');
    }
    EXPECT_TRUE(load_resolution_memo(layout, key).empty());
    EXPECT_FALSE(std::filesystem::exists(path)) << "a corrupt entry is removed";
}

} // namespace
