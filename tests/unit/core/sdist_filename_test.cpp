// Expected values below were produced with pip 23.2.1's vendored packaging 21.3.
#include "actpip/core/sdist_filename.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace actpip::core {
namespace {

TEST(SdistFilename, TarGzAndZip) {
    const auto tgz = parse_sdist_filename("Foo.Bar-1.0.tar.gz");
    ASSERT_TRUE(tgz.has_value()) << tgz.error().describe();
    EXPECT_EQ(tgz->name, "foo-bar");
    EXPECT_EQ(tgz->version.to_string(), "1.0");
    EXPECT_EQ(tgz->format, sdist_format::tar_gz);

    const auto zip = parse_sdist_filename("foo-bar-2.0rc1.zip");
    ASSERT_TRUE(zip.has_value());
    EXPECT_EQ(zip->name, "foo-bar"); // split at the last '-'
    EXPECT_EQ(zip->version.to_string(), "2.0rc1");
    EXPECT_EQ(zip->format, sdist_format::zip);
}

TEST(SdistFilename, NameIsNotCheckedAsPackaging) {
    const auto empty = parse_sdist_filename("-1.0.tar.gz");
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(empty->name, "");
    const auto odd = parse_sdist_filename("a b#c-1.0.zip");
    ASSERT_TRUE(odd.has_value());
    EXPECT_EQ(odd->name, "a b#c");
}

TEST(SdistFilename, Invalid) {
    for (const char* filename : {"foo-1.0.tar.bz2", "foo-1.0.tgz", "foo-1.0.TAR.GZ", "foo.tar.gz",
                                 "foo-1.0-1.x.zip", "foo-.zip", "foo-1.0", ".tar.gz"}) {
        const auto s = parse_sdist_filename(filename);
        ASSERT_FALSE(s.has_value()) << filename;
        EXPECT_EQ(s.error().code, errc::invalid_filename);
    }
}

TEST(SdistFilename, PrintsBack) {
    EXPECT_EQ(parse_sdist_filename("Foo.Bar-01.0.tar.gz")->to_string(), "foo_bar-1.0.tar.gz");
    EXPECT_EQ(parse_sdist_filename("x-2.zip")->to_string(), "x-2.zip");
    EXPECT_EQ(extension(sdist_format::zip), ".zip");
}

TEST(SdistFilename, RandomInputNeverCrashesAndRoundTrips) {
    std::mt19937 rng(625);
    const std::vector<std::string> pieces{"foo", "_",    "-",    "1.0",     "2!1", ".",  "+l", "\n",
                                          " ",   "\xff", ".zip", ".tar.gz", "a",   "rc", "Z"};
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        const auto count = 1 + rng() % 8;
        for (unsigned j = 0; j < count; ++j) {
            text += pieces[rng() % pieces.size()];
        }
        const auto s = parse_sdist_filename(text);
        if (!s) {
            continue;
        }
        const auto again = parse_sdist_filename(s->to_string());
        ASSERT_TRUE(again.has_value()) << text;
        EXPECT_EQ(again->name, s->name);
        EXPECT_EQ(again->version, s->version);
        EXPECT_EQ(again->format, s->format);
    }
}

} // namespace
} // namespace actpip::core
