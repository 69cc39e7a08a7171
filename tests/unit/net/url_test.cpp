#include <gtest/gtest.h>

#include "actpip/net/percent_encoding.hpp"
#include "actpip/net/url.hpp"

namespace {

using actpip::net::url;

url must_parse(std::string_view text) {
    auto u = url::parse(text);
    EXPECT_TRUE(u.has_value()) << text << ": " << (u ? "" : u.error().describe());
    return u ? *u : url{};
}

TEST(url, parses_every_component) {
    auto u = must_parse("HTTPS://User:p%40ss@Example.COM:8443/a/b%20c/?x=1&y#frag");
    EXPECT_EQ(u.scheme(), "https");
    EXPECT_EQ(u.username(), "User");
    EXPECT_EQ(u.password(), "p%40ss");
    EXPECT_EQ(u.host(), "example.com");
    EXPECT_EQ(u.port(), 8443);
    EXPECT_EQ(u.path(), "/a/b%20c/");
    EXPECT_EQ(u.query(), "x=1&y");
    EXPECT_EQ(u.fragment(), "frag");
    EXPECT_EQ(u.authority(), "example.com:8443");
    EXPECT_EQ(u.origin(), "https://example.com:8443");
    EXPECT_EQ(u.target(), "/a/b%20c/?x=1&y");
}

TEST(url, default_ports_and_empty_path) {
    auto u = must_parse("http://pypi.org");
    EXPECT_EQ(u.path(), "/");
    EXPECT_EQ(u.effective_port(), 80);
    EXPECT_FALSE(u.port());
    EXPECT_EQ(u.authority(), "pypi.org");
    EXPECT_EQ(must_parse("https://h:443/").authority(), "h");
    EXPECT_EQ(must_parse("https://h:443/").origin(), "https://h:443");
    EXPECT_EQ(must_parse("https://h/").origin(), "https://h:443");
    EXPECT_EQ(must_parse("https://h:/").port(), std::nullopt);
}

TEST(url, ipv6_literals) {
    auto u = must_parse("http://[::1]:8080/simple/");
    EXPECT_EQ(u.host(), "::1");
    EXPECT_TRUE(u.is_ipv6());
    EXPECT_EQ(u.port(), 8080);
    EXPECT_EQ(u.authority(), "[::1]:8080");
    EXPECT_EQ(u.to_string(), "http://[::1]:8080/simple/");
    EXPECT_TRUE(u.is_loopback());
    EXPECT_EQ(must_parse("https://[2001:DB8::1]/").host(), "2001:db8::1");
    EXPECT_FALSE(url::parse("http://[::1/").has_value());
    EXPECT_FALSE(url::parse("http://[zz::1]/").has_value());
    EXPECT_FALSE(url::parse("http://[::1]x/").has_value());
}

TEST(url, rejects_invalid_input) {
    for (auto text :
         {"", "no-scheme", "/just/a/path", "http://", "https:///x", "http://h:99999/",
          "http://h:12a/", "http://h:-1/", "1http://h/", "http://a b/", "http://h\x01/"}) {
        EXPECT_FALSE(url::parse(text).has_value()) << text;
    }
}

TEST(url, error_names_url_without_password) {
    auto u = url::parse("http://user:secret@h:99999/");
    ASSERT_FALSE(u);
    EXPECT_EQ(u.error().code, actpip::core::errc::network);
    EXPECT_EQ(u.error().message.find("secret"), std::string::npos) << u.error().message;
    EXPECT_NE(u.error().message.find("user:****@"), std::string::npos) << u.error().message;
}

TEST(url, file_urls) {
    auto a = must_parse("file:///tmp/links/x.whl");
    EXPECT_EQ(a.scheme(), "file");
    EXPECT_EQ(a.host(), "");
    EXPECT_EQ(a.path(), "/tmp/links/x.whl");
    EXPECT_EQ(a.to_string(), "file:///tmp/links/x.whl");
    EXPECT_EQ(must_parse("file:/tmp/x").path(), "/tmp/x");
    EXPECT_EQ(must_parse("file://localhost/tmp/x").host(), "localhost");
    EXPECT_EQ(must_parse("file:///tmp/a%20b").filename(), "a b");
}

TEST(url, normalises_unsafe_characters) {
    auto u = must_parse("  https://h/a b/\xc3\xa9?q=\"x\"#f g\n");
    EXPECT_EQ(u.path(), "/a%20b/%C3%A9");
    EXPECT_EQ(u.query(), "q=%22x%22");
    EXPECT_EQ(u.fragment(), "f%20g");
    EXPECT_EQ(must_parse("https://h/100%").path(), "/100%25");
    EXPECT_EQ(must_parse("https://h/a%2Fb").path(), "/a%2Fb");
    EXPECT_EQ(must_parse("https://h/a/./b/../c").path(), "/a/c");
}

TEST(url, redaction) {
    EXPECT_EQ(must_parse("https://u:p@h/x").redacted(), "https://u:****@h/x");
    EXPECT_EQ(must_parse("https://token@h/x").redacted(), "https://****@h/x");
    EXPECT_EQ(must_parse("https://h/x").redacted(), "https://h/x");
    EXPECT_EQ(must_parse("https://u:p@h/x").to_string(), "https://u:p@h/x");
    EXPECT_FALSE(must_parse("https://u:p@h/x").without_credentials().has_credentials());
    EXPECT_EQ(actpip::net::redact_url("fetch https://a:b@h/x and http://tok@g failed"),
              "fetch https://a:****@h/x and http://****@g failed");
    EXPECT_EQ(actpip::net::redact_url("nothing here"), "nothing here");
}

TEST(url, credentials_are_percent_encoded) {
    auto u = must_parse("https://h/");
    u.set_credentials("me@corp", "p:w/d");
    EXPECT_EQ(u.to_string(), "https://me%40corp:p%3Aw%2Fd@h/");
    auto back = must_parse(u.to_string());
    EXPECT_EQ(back.username(), "me%40corp");
    EXPECT_EQ(back.password(), "p%3Aw%2Fd");
}

TEST(url, round_trip) {
    for (auto text : {"https://h/", "https://u:p@h:1/a?b#c", "http://[fe80::1]:8/x", "file:///x",
                      "https://h/a%20b?%41", "https://h/?", "https://h/#"}) {
        EXPECT_EQ(must_parse(text).to_string(), text);
        EXPECT_EQ(must_parse(must_parse(text).to_string()), must_parse(text));
    }
}

// RFC 3986 section 5.4.
struct resolve_case {
    const char* ref;
    const char* expected;
};

class rfc3986_resolution : public testing::TestWithParam<resolve_case> {};

TEST_P(rfc3986_resolution, resolves) {
    auto base = must_parse("http://a/b/c/d;p?q");
    auto r = base.resolve(GetParam().ref);
    ASSERT_TRUE(r) << GetParam().ref << ": " << r.error().describe();
    EXPECT_EQ(r->to_string(), GetParam().expected) << GetParam().ref;
}

INSTANTIATE_TEST_SUITE_P(
    normal_and_abnormal, rfc3986_resolution,
    testing::Values(
        resolve_case{"g:h", "g:h"}, resolve_case{"g", "http://a/b/c/g"},
        resolve_case{"./g", "http://a/b/c/g"}, resolve_case{"g/", "http://a/b/c/g/"},
        resolve_case{"/g", "http://a/g"}, resolve_case{"//g", "http://g/"},
        resolve_case{"?y", "http://a/b/c/d;p?y"}, resolve_case{"g?y", "http://a/b/c/g?y"},
        resolve_case{"#s", "http://a/b/c/d;p?q#s"}, resolve_case{"g#s", "http://a/b/c/g#s"},
        resolve_case{"g?y#s", "http://a/b/c/g?y#s"}, resolve_case{";x", "http://a/b/c/;x"},
        resolve_case{"g;x", "http://a/b/c/g;x"}, resolve_case{"g;x?y#s", "http://a/b/c/g;x?y#s"},
        resolve_case{"", "http://a/b/c/d;p?q"}, resolve_case{".", "http://a/b/c/"},
        resolve_case{"./", "http://a/b/c/"}, resolve_case{"..", "http://a/b/"},
        resolve_case{"../", "http://a/b/"}, resolve_case{"../g", "http://a/b/g"},
        resolve_case{"../..", "http://a/"}, resolve_case{"../../", "http://a/"},
        resolve_case{"../../g", "http://a/g"}, resolve_case{"../../../g", "http://a/g"},
        resolve_case{"../../../../g", "http://a/g"}, resolve_case{"/./g", "http://a/g"},
        resolve_case{"/../g", "http://a/g"}, resolve_case{"g.", "http://a/b/c/g."},
        resolve_case{".g", "http://a/b/c/.g"}, resolve_case{"g..", "http://a/b/c/g.."},
        resolve_case{"..g", "http://a/b/c/..g"}, resolve_case{"./../g", "http://a/b/g"},
        resolve_case{"./g/.", "http://a/b/c/g/"}, resolve_case{"g/./h", "http://a/b/c/g/h"},
        resolve_case{"g/../h", "http://a/b/c/h"}, resolve_case{"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        resolve_case{"g;x=1/../y", "http://a/b/c/y"},
        resolve_case{"g?y/./x", "http://a/b/c/g?y/./x"},
        resolve_case{"g?y/../x", "http://a/b/c/g?y/../x"},
        resolve_case{"g#s/./x", "http://a/b/c/g#s/./x"},
        resolve_case{"g#s/../x", "http://a/b/c/g#s/../x"}));

TEST(url, resolve_index_links) {
    auto page = must_parse("https://u:p@pypi.example/simple/requests/");
    auto r = page.resolve("../../packages/ab/requests-2.0-py3-none-any.whl#sha256=00");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->to_string(),
              "https://u:p@pypi.example/packages/ab/requests-2.0-py3-none-any.whl#sha256=00");
    EXPECT_EQ(r->filename(), "requests-2.0-py3-none-any.whl");
    auto other = page.resolve("https://files.example/x.whl");
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->has_credentials());
    EXPECT_FALSE(page.resolve("http://h:bad/").has_value());
}

TEST(percent_encoding, round_trip_and_errors) {
    using namespace actpip::net;
    EXPECT_EQ(percent_encode("a b/c~_.-"), "a%20b%2Fc~_.-");
    EXPECT_EQ(percent_encode("a b/c", encode_set::path), "a%20b/c");
    EXPECT_EQ(percent_encode("\xff"), "%FF");
    EXPECT_EQ(percent_decode("a%20b%2fc").value(), "a b/c");
    EXPECT_FALSE(percent_decode("a%2").has_value());
    EXPECT_FALSE(percent_decode("a%zz").has_value());
    EXPECT_EQ(percent_decode_lenient("100%"), "100%");
    for (std::string s : {"", "x", "hello world", "\x01\x7f\x80\xff", "%%%"})
        EXPECT_EQ(percent_decode(percent_encode(s)).value(), s);
}

} // namespace
