// The tag and wheel filename kinds of the shared conformance vectors (expected outputs from
// packaging 21.3), run in-process. The vectors live outside this repository: set
// ACTPIP_SHARED to the shared folder; otherwise ../shared beside the checkout is tried.
#include "actpip/core/tags.hpp"
#include "actpip/core/wheel_filename.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace actpip::core {
namespace {

namespace fs = std::filesystem;
using strings = std::vector<std::string>;

std::optional<fs::path> vectors_dir() {
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("ACTPIP_SHARED"); env != nullptr && *env != '\0') {
        candidates.emplace_back(env);
    }
    // ACTPIP_TEST_DATA_DIR is <source>/tests/data.
    candidates.push_back(fs::path(ACTPIP_TEST_DATA_DIR).parent_path().parent_path().parent_path() /
                         "shared");
    candidates.emplace_back("/work/shared");
    for (const auto& base : candidates) {
        std::error_code ec;
        const auto dir = base / "conformance" / "vectors";
        if (fs::exists(dir / "tag_parse.json", ec)) {
            return dir;
        }
    }
    return std::nullopt;
}

// Loads <kind>.json into `doc`; false (and the test skipped loudly) when absent.
bool load(const std::string& kind, rapidjson::Document& doc) {
    const auto dir = vectors_dir();
    if (!dir) {
        return false;
    }
    std::ifstream in(*dir / (kind + ".json"));
    std::stringstream text;
    text << in.rdbuf();
    doc.Parse(text.str().c_str());
    return !doc.HasParseError() && doc.IsObject() && doc.HasMember("cases");
}

std::string str(const rapidjson::Value& v) {
    return {v.GetString(), v.GetStringLength()};
}

strings strs(const rapidjson::Value& v) {
    strings out;
    for (const auto& x : v.GetArray()) {
        out.push_back(str(x));
    }
    return out;
}

strings sorted(const std::vector<tag>& tags) {
    strings out;
    for (const auto& t : tags) {
        out.push_back(t.to_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

#define ACTPIP_LOAD_OR_SKIP(kind, doc)                                                             \
    rapidjson::Document doc;                                                                       \
    if (!load(kind, doc)) {                                                                        \
        GTEST_SKIP() << "!!! SKIPPED: conformance vectors not found; set ACTPIP_SHARED to the "    \
                        "shared folder !!!";                                                       \
    }

TEST(TagVectors, TagParse) {
    ACTPIP_LOAD_OR_SKIP("tag_parse", doc);
    int cases = 0;
    for (const auto& c : doc["cases"].GetArray()) {
        const auto input = str(c["input"]["tag"]);
        const auto parsed = parse_tag(input);
        ASSERT_TRUE(parsed.has_value()) << input;
        EXPECT_EQ(sorted(*parsed), strs(c["expected"]["result"])) << input;
        ++cases;
    }
    EXPECT_GT(cases, 0);
}

TEST(TagVectors, TagPriority) {
    ACTPIP_LOAD_OR_SKIP("tag_priority", doc);
    for (const auto& c : doc["cases"].GetArray()) {
        const auto& in = c["input"];
        const auto& v = in["python_version"];
        python_version py{v[0].GetUint(), std::nullopt};
        if (v.Size() > 1) {
            py.minor = v[1].GetUint();
        }
        const auto abis = strs(in["abis"]);
        const auto platforms = strs(in["platforms"]);
        const std::string interpreter = in.HasMember("interpreter") && in["interpreter"].IsString()
                                            ? str(in["interpreter"])
                                            : "";
        strings got;
        for (const auto& t : cpython_tags(py, abis, platforms)) {
            got.push_back(t.to_string());
        }
        for (const auto& t : compatible_tags(py, interpreter, platforms)) {
            got.push_back(t.to_string());
        }
        EXPECT_EQ(got, strs(c["expected"]["result"])) << str(c["id"]);
    }
}

TEST(TagVectors, WheelFilename) {
    ACTPIP_LOAD_OR_SKIP("wheel_filename", doc);
    for (const auto& c : doc["cases"].GetArray()) {
        const auto input = str(c["input"]["filename"]);
        const auto& expected = c["expected"];
        const auto parsed = parse_wheel_filename(input);
        ASSERT_EQ(parsed.has_value(), expected["valid"].GetBool()) << input;
        if (!parsed) {
            continue;
        }
        EXPECT_EQ(parsed->name, str(expected["name"])) << input;
        EXPECT_EQ(parsed->version.to_string(), str(expected["version"])) << input;
        if (expected["build"].IsNull()) {
            EXPECT_FALSE(parsed->build.has_value()) << input;
        } else {
            ASSERT_TRUE(parsed->build.has_value()) << input;
            EXPECT_EQ(parsed->build->number, std::to_string(expected["build"][0].GetUint64()));
            EXPECT_EQ(parsed->build->suffix, str(expected["build"][1]));
        }
        EXPECT_EQ(sorted(parsed->tags), strs(expected["tags"])) << input;
    }
}

} // namespace
} // namespace actpip::core
