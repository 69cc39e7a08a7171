#include "actpip/storage/cache_entry.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/zstd_codec.hpp"

#include "actpip/storage/atomic_file.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>

namespace actpip::storage {
namespace {

environment_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        auto it = vars.find(std::string(name));
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

TEST(CacheRoot, PrecedenceOfFlagAndEnvironment) {
    auto env = env_of({{"ACTPIP_CACHE_DIR", "/a"}, {"XDG_CACHE_HOME", "/x"}, {"HOME", "/home/u"}});
    EXPECT_EQ(**resolve_cache_root({std::filesystem::path("/flag"), false}, env), "/flag");
    EXPECT_EQ(**resolve_cache_root({}, env), "/a");
    EXPECT_EQ(**resolve_cache_root({}, env_of({{"XDG_CACHE_HOME", "/x"}, {"HOME", "/h"}})),
              "/x/actpip");
    EXPECT_EQ(
        **resolve_cache_root(
            {}, env_of({{"ACTPIP_CACHE_DIR", ""}, {"XDG_CACHE_HOME", "relative"}, {"HOME", "/h"}})),
        "/h/.cache/actpip");
    EXPECT_FALSE(*resolve_cache_root({std::filesystem::path("/flag"), true}, env)); // no-cache
    auto none = resolve_cache_root({}, env_of({}));
    ASSERT_FALSE(none);
    EXPECT_FALSE(none.error().hints.empty());
    auto relative = resolve_cache_root({std::filesystem::path("rel/../c"), false}, env);
    ASSERT_TRUE(relative);
    EXPECT_TRUE((*relative)->is_absolute());
    EXPECT_EQ((*relative)->filename(), "c");
}

TEST(CacheLayout, VersionedPaths) {
    cache_layout layout("/c");
    std::string sha(64, 'a');
    EXPECT_EQ(layout.wheel(sha), "/c/v1/wheels/aa/" + sha);
    EXPECT_EQ(layout.metadata_entry(sha), "/c/v1/metadata/aa/" + sha);
    EXPECT_EQ(layout.unpacked(sha), "/c/v1/unpacked/" + sha);
    auto key = cache_layout::url_key("https://pypi.org/simple/idna/");
    EXPECT_TRUE(is_sha256_hex(key));
    EXPECT_EQ(layout.http_entry("https://pypi.org/simple/idna/"),
              std::filesystem::path("/c/v1/http") / key.substr(0, 2) / key);
    EXPECT_EQ(layout.lock_for(key), "/c/v1/locks/" + key.substr(0, 2) + ".lock");
    EXPECT_EQ(layout.global_lock(), "/c/.lock-v1");
    EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));
}

TEST(ZstdCodec, RoundTripAndDamage) {
    std::string text;
    for (int i = 0; i < 1000; ++i) {
        text += "<a href=\"pkg-" + std::to_string(i) + ".whl\">pkg</a>\n";
    }
    auto frame = zstd_compress(text);
    ASSERT_TRUE(frame);
    EXPECT_LT(frame->size(), text.size() / 4);
    EXPECT_EQ(*zstd_decompress(*frame), text);
    EXPECT_FALSE(zstd_decompress(frame->substr(0, frame->size() / 2)));
    EXPECT_FALSE(zstd_decompress("not zstd"));
    EXPECT_FALSE(zstd_decompress(*frame, 10)); // over the limit
    EXPECT_EQ(*zstd_decompress(*zstd_compress("")), "");
}

TEST(CacheEntry, DetectsEveryKindOfDamage) {
    auto encoded = encode_cache_entry("hello, cache");
    ASSERT_TRUE(encoded);
    EXPECT_EQ(*decode_cache_entry(*encoded), "hello, cache");
    auto flipped = *encoded;
    flipped.back() ^= 1;
    auto truncated = encoded->substr(0, encoded->size() - 1);
    auto extended = *encoded + "x";
    auto magic = "X" + encoded->substr(1);
    for (const auto& [bad, why] : std::vector<std::pair<std::string, std::string>>{
             {flipped, "checksum"},
             {truncated, "header says"},
             {extended, "header says"},
             {magic, "magic"},
             {encoded->substr(0, 10), "truncated header"}}) {
        auto r = decode_cache_entry(bad);
        ASSERT_FALSE(r) << why;
        EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
    }
}

TEST(CacheEntry, CorruptFileIsDroppedAndReportedAsAMiss) {
    test::temp_dir dir;
    auto path = dir.path() / "entry";
    EXPECT_FALSE(read_cache_entry(path).content); // missing: a plain miss
    EXPECT_FALSE(read_cache_entry(path).dropped);
    ASSERT_TRUE(write_cache_entry(path, "body", dir.path() / ".lock"));
    EXPECT_EQ(read_cache_entry(path).content, "body");
    auto bytes = *read_whole_file(path);
    ASSERT_TRUE(write_file_atomically(path, bytes.substr(0, bytes.size() - 3)));
    auto read = read_cache_entry(path);
    EXPECT_FALSE(read.content);
    ASSERT_TRUE(read.dropped);
    EXPECT_NE(read.dropped->message.find("dropped corrupt cache entry " + path.string()),
              std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path));
}

} // namespace
} // namespace actpip::storage
