#include "actpip/core/index_url.hpp"

#include <gtest/gtest.h>

namespace actpip::core {
namespace {

// RFC 3986 section 5.4's examples, normal and abnormal.
TEST(IndexUrl, ResolvesRfc3986Examples) {
    const std::string base = "http://a/b/c/d;p?q";
    const std::pair<const char*, const char*> rows[] = {
        {"g:h", "g:h"},
        {"g", "http://a/b/c/g"},
        {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},
        {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"},
        {"g?y#s", "http://a/b/c/g?y#s"},
        {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"},
        {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},
        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},
        {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"},
        {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},
        {"g.", "http://a/b/c/g."},
        {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."},
        {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"},
        {"g#s/../x", "http://a/b/c/g#s/../x"},
        {"http:g", "http:g"},
    };
    for (const auto& [ref, expected] : rows) {
        auto r = resolve_url(base, ref);
        ASSERT_TRUE(r) << ref;
        EXPECT_EQ(*r, expected) << ref;
    }
}

TEST(IndexUrl, ResolvesIndexLinks) {
    EXPECT_EQ(*resolve_url("http://127.0.0.1:8080/simple/idna/", "../../files/idna-3.10.whl"),
              "http://127.0.0.1:8080/files/idna-3.10.whl");
    EXPECT_EQ(*resolve_url("https://h/simple/x/", "  x-1.0.tar.gz#sha256=ab \n"),
              "https://h/simple/x/x-1.0.tar.gz#sha256=ab");
    EXPECT_EQ(*resolve_url("file:///srv/wheels/", "a-1.0-py3-none-any.whl"),
              "file:///srv/wheels/a-1.0-py3-none-any.whl");
    EXPECT_EQ(*resolve_url("https://h", "x"), "https://h/x");
    auto bad = resolve_url("/no/scheme/", "x");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("/no/scheme/"), std::string::npos);
}

TEST(IndexUrl, FilenamesAndFragments) {
    EXPECT_EQ(url_filename("https://h/p/foo-1.0.tar.gz?x=1#sha256=00"), "foo-1.0.tar.gz");
    EXPECT_EQ(url_filename("https://h/p/foo%2B-1.0.tar.gz"), "foo+-1.0.tar.gz");
    EXPECT_EQ(url_filename("https://h/p/"), "");
    EXPECT_EQ(strip_fragment("https://h/a#b#c"), "https://h/a");
    EXPECT_EQ(percent_decode("%41%zz%4"), "A%zz%4");
    EXPECT_EQ(file_url("/tmp/a b/c+d"), "file:///tmp/a%20b/c%2Bd");
    EXPECT_EQ(split_url("https://u@h:1/p?q#f").authority, "u@h:1");
}

TEST(IndexUrl, CredentialsAreRemovedButPlaceholdersKept) {
    EXPECT_EQ(url_without_credentials("https://user:s3cret@host.example/simple/x/"),
              "https://host.example/simple/x/");
    EXPECT_EQ(url_without_credentials("https://token@host.example:8443/a.whl#sha256=ab"),
              "https://host.example:8443/a.whl#sha256=ab");
    EXPECT_EQ(url_without_credentials("https://host.example/p@th/a.whl"),
              "https://host.example/p@th/a.whl");
    EXPECT_EQ(url_without_credentials("https://${USER}:${PASS}@host/a.whl"),
              "https://${USER}:${PASS}@host/a.whl");
    EXPECT_EQ(url_without_credentials("https://${TOKEN}@host/a.whl"),
              "https://${TOKEN}@host/a.whl");
    EXPECT_EQ(url_without_credentials("https://${USER}:plain@host/a.whl"), "https://host/a.whl");
    EXPECT_EQ(url_without_credentials("file:///tmp/a.whl"), "file:///tmp/a.whl");
    EXPECT_EQ(url_without_credentials("not a url"), "not a url");
}

} // namespace
} // namespace actpip::core
