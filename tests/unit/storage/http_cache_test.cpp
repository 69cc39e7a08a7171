#include "actpip/storage/cache_entry.hpp"
#include "actpip/storage/http_cache.hpp"

#include "actpip/storage/atomic_file.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

namespace actpip::storage {
namespace {

constexpr std::int64_t t0 = 1735689600;
const std::string url = "https://pypi.org/simple/idna/";

http_cache_entry page(std::string body, std::string etag = "\"v1\"") {
    http_cache_entry e;
    e.url = url;
    e.response.status = 200;
    e.response.headers = {{"Content-Type", "application/vnd.pypi.simple.v1+json"},
                          {"ETag", std::move(etag)},
                          {"Cache-Control", "max-age=600"}};
    e.response.request_time = t0;
    e.response.response_time = t0 + 1;
    e.body = std::move(body);
    return e;
}

TEST(HttpCache, StoresAndLoadsWithValidators) {
    test::temp_dir dir;
    http_cache cache{cache_layout(dir.path())};
    EXPECT_FALSE(cache.load(url).entry);
    std::string body(100000, 'x'); // compresses well
    ASSERT_TRUE(cache.store(page(body)));
    auto found = cache.load(url);
    ASSERT_TRUE(found.entry);
    EXPECT_FALSE(found.dropped);
    EXPECT_EQ(found.entry->body, body);
    EXPECT_EQ(found.entry->response.headers, page("").response.headers);
    EXPECT_EQ(found.entry->response.response_time, t0 + 1);
    EXPECT_LT(std::filesystem::file_size(cache.layout().http_entry(url)), 1000u);
    EXPECT_FALSE(cache.load("https://pypi.org/simple/other/").entry);

    // A 304 freshens the entry on disk.
    auto fresh =
        cache.store_not_modified(url, {{"Cache-Control", "max-age=60"}}, t0 + 5000, t0 + 5001);
    ASSERT_TRUE(fresh);
    auto again = cache.load(url);
    ASSERT_TRUE(again.entry);
    EXPECT_EQ(again.entry->response.response_time, t0 + 5001);
    EXPECT_EQ(find_header(again.entry->response.headers, "cache-control"), "max-age=60");
    EXPECT_EQ(again.entry->body, body);
    ASSERT_TRUE(cache.remove(url));
    EXPECT_FALSE(cache.load(url).entry);
    EXPECT_FALSE(cache.store_not_modified(url, {}, t0, t0));
}

// A page fetched with credentials in its URL is stored without them (in the key and in the
// entry), owner-readable only, and found again with or without them.
TEST(HttpCache, CredentialsAreNeitherKeyNorContent) {
    test::temp_dir dir;
    http_cache cache{cache_layout(dir.path())};
    auto e = page("<html>private</html>");
    e.url = "https://alice:s3cr3t@private.example/simple/idna/";
    ASSERT_TRUE(cache.store(e));
    const auto plain = std::string("https://private.example/simple/idna/");
    auto path = cache.layout().http_entry(plain);
    auto raw = read_cache_entry(path);
    ASSERT_TRUE(raw.content) << "stored under the URL without credentials";
    EXPECT_EQ(raw.content->find("s3cr3t"), std::string::npos);
    EXPECT_EQ(raw.content->find("alice"), std::string::npos);
    EXPECT_EQ(std::filesystem::status(path).permissions() &
                  (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none);
    auto found = cache.load(e.url);
    ASSERT_TRUE(found.entry);
    EXPECT_EQ(found.entry->url, plain);
    EXPECT_TRUE(cache.load(plain).entry);
    EXPECT_TRUE(cache.load("https://bob:other@private.example/simple/idna/").entry);
}

TEST(HttpCache, CorruptEntryIsDroppedAndAMiss) {
    test::temp_dir dir;
    http_cache cache{cache_layout(dir.path())};
    ASSERT_TRUE(cache.store(page("{\"files\":[]}")));
    auto path = cache.layout().http_entry(url);
    auto bytes = *read_whole_file(path);
    bytes[bytes.size() / 2] ^= 0x55;
    ASSERT_TRUE(write_file_atomically(path, bytes));
    auto found = cache.load(url);
    EXPECT_FALSE(found.entry);
    ASSERT_TRUE(found.dropped);
    EXPECT_NE(found.dropped->message.find("corrupt"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path));
    // An entry filed under another URL's key is not trusted either.
    ASSERT_TRUE(write_cache_entry(path, serialize_http_entry([] {
                                      auto e = page("x");
                                      e.url = "https://elsewhere/";
                                      return e;
                                  }())));
    found = cache.load(url);
    EXPECT_FALSE(found.entry);
    ASSERT_TRUE(found.dropped);
    EXPECT_NE(found.dropped->message.find("another URL"), std::string::npos);
}

TEST(HttpCache, TwoProcessesWritingTheSameEntry) {
    test::temp_dir dir;
    const std::string body_a(200000, 'a');
    const std::string body_b(300000, 'b');
    std::vector<pid_t> children;
    for (const std::string* body : {&body_a, &body_b}) {
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            http_cache cache{cache_layout(dir.path())};
            int failures = 0;
            for (int i = 0; i < 40; ++i) {
                failures += cache.store(page(*body, "\"" + body->substr(0, 1) + "\"")) ? 0 : 1;
                auto read = cache.load(url); // never sees a partial or mixed entry
                if (read.dropped || !read.entry ||
                    (read.entry->body != body_a && read.entry->body != body_b)) {
                    ++failures;
                }
            }
            ::_exit(failures == 0 ? 0 : 1);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    http_cache cache{cache_layout(dir.path())};
    auto found = cache.load(url);
    ASSERT_TRUE(found.entry);
    EXPECT_TRUE(found.entry->body == body_a || found.entry->body == body_b);
    auto etag = find_header(found.entry->response.headers, "etag");
    EXPECT_EQ(*etag, "\"" + found.entry->body.substr(0, 1) + "\"");
    // No temporary file is left behind.
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
        EXPECT_FALSE(is_temporary_name(e.path().filename().string())) << e.path();
    }
}

} // namespace
} // namespace actpip::storage
