// The PEP 508 kinds of the shared conformance vectors (expected outputs from packaging 21.3):
// marker_evaluate, requirement_parse, canonicalize_name. Reads them from
// $ACTPIP_SHARED/conformance/vectors, else ../shared beside the checkout, else /work/shared,
// and skips loudly when none exists.

#include "actpip/core/marker.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/requirement.hpp"

#include <rapidjson/document.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

namespace {

using namespace actpip::core;
using json = rapidjson::Value;
using alloc = rapidjson::Document::AllocatorType;

std::filesystem::path vectors_dir() {
    if (const char* shared = std::getenv("ACTPIP_SHARED")) {
        return std::filesystem::path(shared) / "conformance" / "vectors";
    }
    const auto beside = std::filesystem::path(ACTPIP_TEST_DATA_DIR) / ".." / ".." / ".." /
                        "shared" / "conformance" / "vectors";
    std::error_code ec;
    if (std::filesystem::exists(beside, ec)) {
        return beside;
    }
    return "/work/shared/conformance/vectors";
}

json str(std::string_view s, alloc& a) {
    return json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

std::string text(const json& v) {
    return {v.GetString(), v.GetStringLength()};
}

json marker_eval(const json& in, alloc& a) {
    json out(rapidjson::kObjectType);
    auto m = marker::parse(text(in["marker"]));
    out.AddMember("valid", m.has_value(), a);
    if (!m) {
        return out;
    }
    marker_environment env;
    for (const auto& kv : in["environment"].GetObject()) {
        env.values.emplace(text(kv.name), text(kv.value));
    }
    const auto r = m->evaluate(env);
    if (r) {
        out.AddMember("result", *r, a);
    } else {
        out.AddMember("result", "error", a);
        const std::string_view name = r.error().code == errc::undefined_environment_name
                                          ? "UndefinedEnvironmentName"
                                          : "UndefinedComparison";
        out.AddMember("error", str(name, a), a);
    }
    return out;
}

json req_info(const json& in, alloc& a) {
    json out(rapidjson::kObjectType);
    auto r = requirement::parse(text(in["requirement"]));
    out.AddMember("valid", r.has_value(), a);
    if (!r) {
        return out;
    }
    out.AddMember("name", str(r->name, a), a);
    json extras(rapidjson::kArrayType);
    for (const auto& e : r->extras) {
        extras.PushBack(str(e, a), a);
    }
    out.AddMember("extras", extras, a);
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& c : r->specifiers.clauses()) {
        pairs.emplace_back(std::string(to_string(c.op())), c.version_text());
    }
    std::sort(pairs.begin(), pairs.end());
    json specs(rapidjson::kArrayType);
    for (const auto& [op, v] : pairs) {
        json pair(rapidjson::kArrayType);
        pair.PushBack(str(op, a), a).PushBack(str(v, a), a);
        specs.PushBack(pair, a);
    }
    out.AddMember("specifiers", specs, a);
    out.AddMember("url", r->url ? str(*r->url, a) : json(), a);
    out.AddMember("marker", r->marker ? str(r->marker->to_string(), a) : json(), a);
    return out;
}

json answer(std::string_view kind, const json& in, alloc& a) {
    if (kind == "marker_evaluate") {
        return marker_eval(in, a);
    }
    if (kind == "requirement_parse") {
        return req_info(in, a);
    }
    json out(rapidjson::kObjectType);
    out.AddMember("result", str(normalize_name(text(in["name"])), a), a);
    return out;
}

std::string dump(const json& v) {
    if (v.IsString()) {
        return '"' + text(v) + '"';
    }
    if (v.IsBool()) {
        return v.GetBool() ? "true" : "false";
    }
    if (v.IsNull()) {
        return "null";
    }
    if (v.IsNumber()) {
        return std::to_string(v.GetInt64());
    }
    std::string out = v.IsArray() ? "[" : "{";
    if (v.IsArray()) {
        for (const auto& x : v.GetArray()) {
            out += dump(x) + ",";
        }
    } else {
        for (const auto& m : v.GetObject()) {
            out += text(m.name) + ":" + dump(m.value) + ",";
        }
    }
    return out + (v.IsArray() ? "]" : "}");
}

void run_kind(const std::string& kind) {
    const auto path = vectors_dir() / (kind + ".json");
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        std::cerr << "!!! SKIPPED: " << path << " not found; set ACTPIP_SHARED !!!\n";
        GTEST_SKIP() << path << " not found; set ACTPIP_SHARED to the shared folder";
    }
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(buffer.str().c_str());
    ASSERT_FALSE(doc.HasParseError()) << path;
    std::size_t pass = 0;
    std::size_t fail = 0;
    for (auto& c : doc["cases"].GetArray()) {
        json expected(c["expected"], doc.GetAllocator());
        expected.RemoveMember("legacy_only"); // packaging's reason for invalid; we say invalid
        const json got = answer(kind, c["input"], doc.GetAllocator());
        if (got == expected) {
            ++pass;
        } else {
            ++fail;
            ADD_FAILURE() << text(c["id"]) << " input " << dump(c["input"]) << "\n expected "
                          << dump(expected) << "\n got      " << dump(got);
        }
    }
    std::cout << kind << ": " << pass << " of " << pass + fail << " agree with packaging 21.3\n";
    EXPECT_GT(pass, 0U);
}

TEST(Pep508Vectors, MarkerEvaluate) {
    run_kind("marker_evaluate");
}
TEST(Pep508Vectors, RequirementParse) {
    run_kind("requirement_parse");
}
TEST(Pep508Vectors, CanonicalizeName) {
    run_kind("canonicalize_name");
}

} // namespace
