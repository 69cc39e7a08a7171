#include "actpip/core/hash.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace actpip::core {
namespace {

struct known {
    hash_algorithm algorithm;
    const char* name;
    const char* abc; // digest of "abc"
};

const std::vector<known>& known_digests() {
    static const std::vector<known> rows{
        {hash_algorithm::md5, "md5", "900150983cd24fb0d6963f7d28e17f72"},
        {hash_algorithm::sha1, "sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {hash_algorithm::sha224, "sha224",
         "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
        {hash_algorithm::sha256, "sha256",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {hash_algorithm::sha384, "sha384",
         "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca1"
         "34c825a7"},
        {hash_algorithm::sha512, "sha512",
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a"
         "3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    };
    return rows;
}

TEST(HashAlgorithm, NamesSizesAndStrength) {
    for (const auto& row : known_digests()) {
        EXPECT_EQ(to_string(row.algorithm), row.name);
        EXPECT_EQ(parse_hash_algorithm(row.name), row.algorithm);
        EXPECT_EQ(digest_size(row.algorithm) * 2, std::string(row.abc).size());
    }
    EXPECT_FALSE(parse_hash_algorithm("SHA256").has_value()); // pip matches exactly
    EXPECT_FALSE(parse_hash_algorithm("sha3_256").has_value());
    EXPECT_FALSE(parse_hash_algorithm("").has_value());
    EXPECT_TRUE(is_strong(hash_algorithm::sha256));
    EXPECT_TRUE(is_strong(hash_algorithm::sha384));
    EXPECT_TRUE(is_strong(hash_algorithm::sha512));
    EXPECT_FALSE(is_strong(hash_algorithm::sha224));
    EXPECT_FALSE(is_strong(hash_algorithm::sha1));
    EXPECT_FALSE(is_strong(hash_algorithm::md5));
    EXPECT_EQ(favorite_hash, hash_algorithm::sha256);
}

TEST(HashBytes, KnownDigests) {
    for (const auto& row : known_digests()) {
        const auto digest = hash_bytes(row.algorithm, std::string_view("abc"));
        ASSERT_TRUE(digest.has_value()) << row.name << ": " << digest.error().describe();
        EXPECT_EQ(digest->hex, row.abc) << row.name;
        EXPECT_EQ(digest->algorithm, row.algorithm);
    }
    EXPECT_EQ(hash_bytes(hash_algorithm::sha256, std::string_view())->hex,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hash_bytes(hash_algorithm::sha256, std::string(1000000, 'a'))->hex,
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HashBytes, IncrementalEqualsOneShot) {
    std::mt19937 rng(256);
    std::string data(100000, '\0');
    for (auto& c : data) {
        c = static_cast<char>(rng());
    }
    for (const auto& row : known_digests()) {
        auto h = hasher::create(row.algorithm);
        ASSERT_TRUE(h.has_value());
        EXPECT_EQ(h->algorithm(), row.algorithm);
        std::size_t pos = 0;
        while (pos < data.size()) {
            const auto n = std::min<std::size_t>(rng() % 5000, data.size() - pos);
            h->update(std::string_view(data).substr(pos, n)); // includes empty updates
            pos += n;
        }
        const auto incremental = h->finish();
        const auto once = hash_bytes(row.algorithm, data);
        ASSERT_TRUE(incremental && once);
        EXPECT_EQ(*incremental, *once) << row.name;
        // finish() starts over.
        h->update(std::as_bytes(std::span(std::string_view("abc"))));
        EXPECT_EQ(h->finish()->hex, row.abc);
        // A moved-to hasher carries on; the moved-from one reports an error.
        hasher moved = std::move(*h);
        moved.update("abc");
        EXPECT_EQ(moved.finish()->hex, row.abc);
        EXPECT_FALSE(h->finish().has_value()); // NOLINT(bugprone-use-after-move)
    }
}

TEST(HashDigest, ParseColonAndFragmentForms) {
    const std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const auto colon = parse_hash("sha256:" + hex);
    ASSERT_TRUE(colon.has_value()) << colon.error().describe();
    EXPECT_EQ(colon->algorithm, hash_algorithm::sha256);
    EXPECT_EQ(colon->hex, hex);
    EXPECT_EQ(colon->to_string(), "sha256:" + hex);
    EXPECT_EQ(colon->to_fragment(), "sha256=" + hex);

    const auto fragment = parse_hash_fragment("sha256=" + hex);
    ASSERT_TRUE(fragment.has_value());
    EXPECT_EQ(*fragment, *colon);

    // Upper-case hex is accepted and stored lower-cased.
    std::string upper = hex;
    for (auto& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    EXPECT_EQ(parse_hash("sha256:" + upper)->hex, hex);

    EXPECT_TRUE(parse_hash("md5:900150983cd24fb0d6963f7d28e17f72").has_value());
    EXPECT_TRUE(parse_hash_fragment("sha1=a9993e364706816aba3e25717850c26c9cd0d89d"));
}

TEST(HashDigest, OptionFormAllowsOnlyStrongAlgorithms) {
    EXPECT_TRUE(parse_hash_option(
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    const auto weak = parse_hash_option("md5:900150983cd24fb0d6963f7d28e17f72");
    ASSERT_FALSE(weak.has_value());
    EXPECT_EQ(weak.error().code, errc::invalid_hash);
    EXPECT_NE(weak.error().message.find("sha256, sha384, sha512"), std::string::npos);
    EXPECT_FALSE(parse_hash_option("sha1:a9993e364706816aba3e25717850c26c9cd0d89d"));
}

TEST(HashDigest, BadInput) {
    const std::string good = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const std::vector<std::string> bad{
        "",
        "sha256",
        "sha256=" + good,                     // wrong separator for this form
        "SHA256:" + good,                     // names are exact
        "sha3:" + good,                       // unknown
        "sha256:" + good + "0",               // too long
        "sha256:" + good.substr(1),           // too short
        "sha256:",                            // empty
        "sha256:" + good.substr(0, 63) + "g", // not hex
        "sha256: " + good.substr(1),          // a space
        "sha512:" + good,                     // a sha256-sized digest
    };
    for (const auto& text : bad) {
        const auto parsed = parse_hash(text);
        ASSERT_FALSE(parsed.has_value()) << text;
        EXPECT_EQ(parsed.error().code, errc::invalid_hash);
    }
    EXPECT_FALSE(hash_digest::make(hash_algorithm::md5, "xyz"));
    EXPECT_FALSE(parse_hash_fragment("sha256:" + good));
}

TEST(HashDigest, FindInUrlAsPip) {
    const std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const auto found = find_url_hash("https://h/p/foo-1.0.tar.gz#sha256=" + hex);
    ASSERT_TRUE(found.has_value());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->hex, hex);

    // The value runs to the next '&' (a '#' does not stop it); the leftmost match wins,
    // query parameters included.
    const auto md5 =
        find_url_hash("https://h/p?x=1&md5=900150983cd24fb0d6963f7d28e17f72&y=2#sha256=" + hex);
    ASSERT_TRUE(md5 && md5->has_value());
    EXPECT_EQ((*md5)->algorithm, hash_algorithm::md5);
    // "?md5=" does not count (no '#' or '&' before it); the fragment's value stops at '&'.
    const auto sha =
        find_url_hash("https://h/p?md5=900150983cd24fb0d6963f7d28e17f72#sha256=" + hex + "&y=2");
    ASSERT_TRUE(sha && sha->has_value());
    EXPECT_EQ((*sha)->algorithm, hash_algorithm::sha256);
    const auto runs_on =
        find_url_hash("https://h/p?&md5=900150983cd24fb0d6963f7d28e17f72#sha256=" + hex);
    EXPECT_FALSE(runs_on.has_value()); // pip's value: "<md5>#sha256=<hex>"

    EXPECT_FALSE(find_url_hash("https://h/p/foo.whl")->has_value());
    EXPECT_FALSE(find_url_hash("https://h/p/foo.whl#egg=foo")->has_value());
    EXPECT_FALSE(find_url_hash("https://h/p/foo.whl#sha3=" + hex)->has_value());
    EXPECT_FALSE(find_url_hash("https://h/p/foo.whl?sha256=" + hex)->has_value()); // needs # or &
    const auto bad = find_url_hash("https://h/p/foo.whl#sha256=abc");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, errc::invalid_hash);
}

TEST(HashCompare, ConstantTimeEqualSemantics) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));

    const auto a = *hash_bytes(hash_algorithm::sha256, std::string_view("abc"));
    const auto b = *hash_bytes(hash_algorithm::sha256, std::string_view("abd"));
    auto a_again = *parse_hash("sha256:" + a.hex);
    EXPECT_EQ(a, a_again);
    EXPECT_NE(a, b);
    // Same hex under another algorithm name is a different digest.
    a_again.algorithm = hash_algorithm::sha512;
    EXPECT_NE(a, a_again);
}

TEST(HashGarbage, RandomInputNeverCrashes) {
    std::mt19937 rng(512);
    const std::vector<std::string> pieces{
        "sha256", "md5", ":", "=", "#",    "&",    "a",
        "F",      "0",   "9", "g", "\xff", "sha1", "0123456789abcdef"};
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        const auto count = rng() % 16;
        for (unsigned j = 0; j < count; ++j) {
            text += pieces[rng() % pieces.size()];
        }
        for (const auto& parsed :
             {parse_hash(text), parse_hash_option(text), parse_hash_fragment(text)}) {
            if (parsed) {
                EXPECT_EQ(parsed->hex.size(), digest_size(parsed->algorithm) * 2);
                EXPECT_EQ(*parse_hash(parsed->to_string()), *parsed);
            }
        }
        (void)find_url_hash(text);
    }
}

} // namespace
} // namespace actpip::core
