#include "actpip/storage/http_cache_policy.hpp"

#include <gtest/gtest.h>

namespace actpip::storage {
namespace {

// 2025-01-01T00:00:00Z, the fake clock's origin.
constexpr std::int64_t t0 = 1735689600;

TEST(HttpDate, ParsesTheThreeFormats) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
    EXPECT_EQ(parse_http_date("Wed, 01 Jan 2025 00:00:00 GMT"), t0);
    EXPECT_EQ(format_http_date(t0), "Wed, 01 Jan 2025 00:00:00 GMT");
    EXPECT_EQ(format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(parse_http_date(format_http_date(t0 + 12345)), t0 + 12345);
    EXPECT_FALSE(parse_http_date("0"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49 GMT"));
}

TEST(CacheControl, Directives) {
    auto cc = parse_cache_control("Max-Age=600, s-maxage=10, no-cache, private, x-ext=\"a,b\"");
    EXPECT_EQ(cc.max_age, 600);
    EXPECT_EQ(cc.s_maxage, 10);
    EXPECT_TRUE(cc.no_cache);
    EXPECT_TRUE(cc.is_private);
    EXPECT_FALSE(cc.no_store);
    EXPECT_EQ(parse_cache_control("max-age=\"60\"").max_age, 60);
    EXPECT_EQ(parse_cache_control("max-age=abc").max_age, 0);
    EXPECT_EQ(parse_cache_control("max-age=99999999999999999999").max_age, INT32_MAX);
    EXPECT_TRUE(parse_cache_control("no-store").no_store);
}

stored_response response(http_headers headers, std::int64_t received = t0) {
    return stored_response{200, std::move(headers), received, received};
}

struct freshness_row {
    const char* what;
    http_headers headers;
    std::int64_t now_offset;
    cache_mode mode;
    cache_action expected;
};

TEST(HttpCachePolicy, FreshnessTable) {
    const http_header etag{"ETag", "\"v1\""};
    const http_header modified{"Last-Modified", "Tue, 31 Dec 2024 00:00:00 GMT"};
    const http_header date{"Date", format_http_date(t0)};
    const std::vector<freshness_row> rows{
        {"max-age fresh",
         {{"Cache-Control", "max-age=600"}, etag},
         599,
         cache_mode::normal,
         cache_action::use_stored},
        {"max-age stale",
         {{"Cache-Control", "max-age=600"}, etag},
         601,
         cache_mode::normal,
         cache_action::revalidate},
        {"stale without validator",
         {{"Cache-Control", "max-age=600"}},
         601,
         cache_mode::normal,
         cache_action::fetch},
        {"s-maxage ignored",
         {{"Cache-Control", "s-maxage=600"}, etag},
         10,
         cache_mode::normal,
         cache_action::revalidate},
        {"no-cache",
         {{"Cache-Control", "no-cache, max-age=600"}, etag},
         0,
         cache_mode::normal,
         cache_action::revalidate},
        {"no heuristic freshness",
         {modified, date},
         0,
         cache_mode::normal,
         cache_action::revalidate},
        {"Expires fresh",
         {date, {"Expires", format_http_date(t0 + 300)}, etag},
         299,
         cache_mode::normal,
         cache_action::use_stored},
        {"Expires stale",
         {date, {"Expires", format_http_date(t0 + 300)}, etag},
         300,
         cache_mode::normal,
         cache_action::revalidate},
        {"invalid Expires is stale",
         {date, {"Expires", "0"}, etag},
         0,
         cache_mode::normal,
         cache_action::revalidate},
        {"max-age beats Expires",
         {date, {"Expires", format_http_date(t0 + 10)}, {"Cache-Control", "max-age=600"}},
         100,
         cache_mode::normal,
         cache_action::use_stored},
        {"Age counts",
         {{"Cache-Control", "max-age=600"}, {"Age", "590"}, etag},
         20,
         cache_mode::normal,
         cache_action::revalidate},
        {"Date in the past counts",
         {{"Date", format_http_date(t0 - 500)}, {"Cache-Control", "max-age=600"}, etag},
         150,
         cache_mode::normal,
         cache_action::revalidate},
        {"refresh revalidates fresh",
         {{"Cache-Control", "max-age=600"}, etag},
         0,
         cache_mode::refresh,
         cache_action::revalidate},
        {"refresh without validator",
         {{"Cache-Control", "max-age=600"}},
         0,
         cache_mode::refresh,
         cache_action::fetch},
        {"offline uses stale",
         {{"Cache-Control", "no-cache"}, etag},
         100000,
         cache_mode::offline,
         cache_action::use_stored},
    };
    for (const auto& row : rows) {
        auto stored = response(row.headers);
        auto decision = decide_cache_action(&stored, row.mode, t0 + row.now_offset);
        EXPECT_EQ(decision.action, row.expected) << row.what;
    }
    EXPECT_EQ(decide_cache_action(nullptr, cache_mode::normal, t0).action, cache_action::fetch);
    EXPECT_EQ(decide_cache_action(nullptr, cache_mode::refresh, t0).action, cache_action::fetch);
    EXPECT_EQ(decide_cache_action(nullptr, cache_mode::offline, t0).action,
              cache_action::offline_miss);
    auto miss = offline_miss_error("https://pypi.org/simple/x/");
    EXPECT_NE(miss.message.find("https://pypi.org/simple/x/"), std::string::npos);
    EXPECT_NE(miss.message.find("--offline"), std::string::npos);
}

TEST(HttpCachePolicy, ConditionalHeaders) {
    auto stored =
        response({{"etag", "W/\"abc\""}, {"Last-Modified", "Tue, 31 Dec 2024 00:00:00 GMT"}});
    auto decision = decide_cache_action(&stored, cache_mode::normal, t0);
    ASSERT_EQ(decision.action, cache_action::revalidate);
    EXPECT_EQ(decision.conditional_headers,
              (http_headers{{"If-None-Match", "W/\"abc\""},
                            {"If-Modified-Since", "Tue, 31 Dec 2024 00:00:00 GMT"}}));
}

TEST(HttpCachePolicy, Storability) {
    EXPECT_TRUE(is_storable(200, {{"ETag", "\"x\""}}));
    EXPECT_TRUE(is_storable(200, {{"Cache-Control", "max-age=60"}}));
    EXPECT_TRUE(is_storable(404, {{"Cache-Control", "max-age=60"}}));
    EXPECT_FALSE(is_storable(200, {})); // nothing to revalidate with, no freshness
    EXPECT_FALSE(is_storable(200, {{"Cache-Control", "no-store"}, {"ETag", "\"x\""}}));
    EXPECT_FALSE(is_storable(200, {{"Vary", "*"}, {"ETag", "\"x\""}}));
    EXPECT_FALSE(is_storable(500, {{"Cache-Control", "max-age=60"}}));
    EXPECT_FALSE(is_storable(206, {{"Cache-Control", "max-age=60"}}));
}

TEST(HttpCachePolicy, NotModifiedFreshensTheStoredResponse) {
    auto stored = response({{"Content-Type", "text/html"},
                            {"Content-Length", "100"},
                            {"ETag", "\"v1\""},
                            {"Cache-Control", "max-age=60"},
                            {"Age", "30"}});
    auto fresh = freshen_with_not_modified(
        stored, {{"Cache-Control", "max-age=600"}, {"ETag", "\"v1\""}, {"Content-Length", "0"}},
        t0 + 1000, t0 + 1001);
    EXPECT_EQ(fresh.response_time, t0 + 1001);
    EXPECT_EQ(find_header(fresh.headers, "content-length"), "100");
    EXPECT_EQ(find_header(fresh.headers, "cache-control"), "max-age=600");
    EXPECT_FALSE(find_header(fresh.headers, "age"));
    EXPECT_EQ(decide_cache_action(&fresh, cache_mode::normal, t0 + 1500).action,
              cache_action::use_stored);
    EXPECT_EQ(find_header({{"A", "1"}, {"a", "2"}}, "A"), "1, 2");
}

} // namespace
} // namespace actpip::storage
