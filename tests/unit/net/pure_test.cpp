// The pure pieces of net/: retry policy, HTTP dates, Content-Range, netrc, proxy settings,
// content decoding, byte ranges.
#include <gtest/gtest.h>

#include "actpip/net/content_decoder.hpp"
#include "actpip/net/netrc.hpp"
#include "actpip/net/proxy_settings.hpp"
#include "actpip/net/response.hpp"
#include "actpip/net/retry_policy.hpp"

namespace {

using namespace actpip;
using namespace std::chrono_literals;

TEST(retry_policy, backoff_grows_with_jitter_and_is_capped) {
    net::retry_options o;
    o.max_attempts = 8;
    o.base_delay = 100ms;
    o.max_delay = 1000ms;
    net::retry_policy p(o, 42);
    for (int attempt = 2; attempt <= 8; ++attempt) {
        auto full = std::min<long>(100L << (attempt - 2), 1000);
        for (int i = 0; i < 50; ++i) {
            auto d = p.delay(attempt);
            ASSERT_TRUE(d);
            EXPECT_GE(d->count(), full / 2) << attempt;
            EXPECT_LE(d->count(), full) << attempt;
        }
    }
    EXPECT_FALSE(p.delay(9));
}

TEST(retry_policy, retry_after_seconds_and_dates) {
    net::retry_options o;
    o.max_retry_after = 10s;
    net::retry_policy p(o, 1);
    EXPECT_EQ(p.delay(2, "3"), std::optional(3000ms));
    EXPECT_FALSE(p.delay(2, "3600")) << "too long: give up rather than wait an hour";
    auto now = net::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").value();
    EXPECT_EQ(p.delay(2, "Sun, 06 Nov 1994 08:49:42 GMT", now), std::optional(5000ms));
    EXPECT_EQ(p.delay(2, "Sun, 06 Nov 1994 08:49:00 GMT", now), std::optional(0ms));
    auto fallback = p.delay(2, "soon");
    ASSERT_TRUE(fallback) << "an unparsable Retry-After falls back to backoff";
    EXPECT_TRUE(net::retry_policy::retryable_status(503));
    EXPECT_TRUE(net::retry_policy::retryable_status(429));
    EXPECT_FALSE(net::retry_policy::retryable_status(404));
    EXPECT_FALSE(net::retry_policy::retryable_status(501));
}

TEST(http_date, parses_imf_fixdate_only) {
    auto t = net::parse_http_date("Thu, 01 Jan 1970 00:01:00 GMT");
    ASSERT_TRUE(t);
    EXPECT_EQ(std::chrono::system_clock::to_time_t(*t), 60);
    EXPECT_FALSE(net::parse_http_date("Thursday, 01-Jan-70 00:01:00 GMT"));
    EXPECT_FALSE(net::parse_http_date("Thu, 01 Foo 1970 00:01:00 GMT"));
    EXPECT_FALSE(net::parse_http_date(""));
}

TEST(content_range, parse) {
    EXPECT_EQ(net::parse_content_range("bytes 0-99/1234"), (net::content_range{0, 99, 1234}));
    EXPECT_EQ(net::parse_content_range("bytes 5-9/*"), (net::content_range{5, 9, std::nullopt}));
    EXPECT_FALSE(net::parse_content_range("bytes */1234"));
    EXPECT_FALSE(net::parse_content_range("bytes 9-5/10"));
    EXPECT_FALSE(net::parse_content_range("bytes 0-10/10"));
    EXPECT_FALSE(net::parse_content_range("items 0-1/2"));
}

TEST(byte_range, header) {
    EXPECT_EQ(net::byte_range::span(0, 99).to_header(), "bytes=0-99");
    EXPECT_EQ(net::byte_range::from(100).to_header(), "bytes=100-");
    EXPECT_EQ(net::byte_range::suffix(22).to_header(), "bytes=-22");
    EXPECT_TRUE(net::is_idempotent("GET"));
    EXPECT_FALSE(net::is_idempotent("POST"));
}

TEST(response, header_lookup_is_case_insensitive) {
    net::response r;
    r.headers = {{"Content-Type", "text/html"}, {"ETag", "\"x\""}};
    EXPECT_EQ(r.header_value("content-type"), "text/html");
    EXPECT_EQ(r.header_value("ETAG"), "\"x\"");
    EXPECT_FALSE(r.header_value("Location"));
}

TEST(netrc, machines_default_comments_and_macros) {
    auto n = net::netrc::parse("# comment\n"
                               "machine pypi.example login alice password \"p w\"\n"
                               "macdef init\ncd /\nls\n\n"
                               "machine other.example\n  login bob\n  password b0b account x\n"
                               "default login anon password guest\n");
    EXPECT_EQ(n.lookup("pypi.example"), (net::credentials{"alice", "p w"}));
    EXPECT_EQ(n.lookup("other.example"), (net::credentials{"bob", "b0b"}));
    EXPECT_EQ(n.lookup("elsewhere"), (net::credentials{"anon", "guest"}));
    EXPECT_FALSE(net::netrc::parse("machine a login b password c").lookup("z"));
    EXPECT_TRUE(net::netrc::parse("").empty());
    auto missing = net::netrc::load("/nonexistent/actpip/.netrc");
    ASSERT_TRUE(missing);
    EXPECT_TRUE(missing->empty());
}

net::env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars](std::string_view n) -> std::optional<std::string> {
        auto it = vars.find(std::string(n));
        return it == vars.end() ? std::nullopt : std::optional(it->second);
    };
}

TEST(proxy_settings, from_environment_and_no_proxy) {
    auto p = net::proxy_settings::from_environment(
        env_of({{"HTTPS_PROXY", "http://u:p@proxy.corp:3128"},
                {"http_proxy", "proxy.corp:8080"},
                {"NO_PROXY", "localhost, .internal.corp,10.0.0.1, example.org:8443"}}));
    ASSERT_TRUE(p.https_proxy && p.http_proxy);
    EXPECT_EQ(p.https_proxy->host(), "proxy.corp");
    EXPECT_EQ(p.https_proxy->effective_port(), 3128);
    EXPECT_EQ(p.http_proxy->effective_port(), 8080);
    auto u = [](const char* s) { return net::url::parse(s).value(); };
    EXPECT_TRUE(p.proxy_for(u("https://pypi.org/simple/")));
    EXPECT_FALSE(p.proxy_for(u("https://localhost/")));
    EXPECT_FALSE(p.proxy_for(u("https://a.internal.corp/")));
    EXPECT_FALSE(p.proxy_for(u("https://internal.corp/")));
    EXPECT_TRUE(p.proxy_for(u("https://notinternal.corp/")));
    EXPECT_FALSE(p.proxy_for(u("http://10.0.0.1/")));
    EXPECT_FALSE(p.proxy_for(u("https://example.org:8443/")));
    EXPECT_TRUE(p.proxy_for(u("https://example.org/")));
    EXPECT_FALSE(p.proxy_for(u("file:///tmp/x")));
    auto all = net::proxy_settings::from_environment(
        env_of({{"ALL_PROXY", "http://all:1"}, {"no_proxy", "*"}}));
    ASSERT_TRUE(all.https_proxy);
    EXPECT_FALSE(all.proxy_for(u("https://pypi.org/")));
    auto none = net::proxy_settings::from_environment(env_of({}));
    EXPECT_FALSE(none.http_proxy || none.https_proxy);
}

std::string decode(net::content_decoder::encoding e, std::string_view in, std::size_t step) {
    net::content_decoder d(e);
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += step) {
        auto r = d.write(in.substr(i, step), [&](std::string_view s) -> core::result<void> {
            out.append(s);
            return {};
        });
        if (!r)
            return "error: " + r.error().message;
    }
    if (auto r = d.finish(); !r)
        return "error: " + r.error().message;
    return out;
}

TEST(content_decoder, gzip_zlib_and_raw_deflate_in_any_chunking) {
    const std::string gz("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xcb\x48\xcd\xc9\xc9\x57\x48\xaf"
                         "\xca\x2c\x50\x28\xcf\x2f\xca\x49\x51\xc8\x18\x15\x18\x15\x18\x15\x20\x5f"
                         "\x00\x00\x31\xb2\x58\x87\x52\x03\x00\x00",
                         46);
    const std::string zl("\x78\x9c\xcb\x48\xcd\xc9\xc9\x57\x48\xaf\xca\x2c\x50\x28\xcf\x2f\xca\x49"
                         "\x51\xc8\x18\x15\x18\x15\x18\x15\x20\x5f\x00\x00\x05\xfd\x3c\xdc",
                         34);
    const std::string raw = zl.substr(2, 28);
    std::string expected;
    for (int i = 0; i < 50; ++i)
        expected += "hello gzip world ";
    using enc = net::content_decoder::encoding;
    for (std::size_t step : {1u, 3u, 1000u}) {
        EXPECT_EQ(decode(enc::gzip, gz, step), expected) << step;
        EXPECT_EQ(decode(enc::deflate, zl, step), expected) << step;
        EXPECT_EQ(decode(enc::deflate, raw, step), expected) << step;
    }
    EXPECT_TRUE(decode(enc::gzip, gz.substr(0, 30), 1000).starts_with("error"));
    EXPECT_TRUE(decode(enc::gzip, "not gzip at all", 1000).starts_with("error"));
    EXPECT_EQ(decode(enc::identity, "plain", 2), "plain");
    EXPECT_EQ(net::content_decoder::from_header(" GZIP "), enc::gzip);
    EXPECT_EQ(net::content_decoder::from_header("x-gzip"), enc::gzip);
    EXPECT_EQ(net::content_decoder::from_header("deflate"), enc::deflate);
    EXPECT_EQ(net::content_decoder::from_header(""), enc::identity);
    EXPECT_FALSE(net::content_decoder::from_header("br"));
}

} // namespace
