// Core metadata parsing: real METADATA files from wheels (tests/data/metadata), the header
// rules of Python's email parser, the typed fields and their errors, and dependencies_for.

#include "actpip/core/core_metadata.hpp"
#include "support/files.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace actpip::core;

std::string read_sample(const std::string& name) {
    const auto path = actpip::test::data_dir() / "metadata" / name;
    EXPECT_TRUE(std::filesystem::is_regular_file(path)) << name;
    return actpip::test::read_file(path);
}

core_metadata parse_ok(const std::string& text, std::string_view source = "METADATA") {
    auto md = core_metadata::parse(text, source);
    EXPECT_TRUE(md.has_value()) << (md ? "" : md.error().describe());
    return md ? *md : core_metadata{};
}

error parse_error_of(const std::string& text, std::string_view source = "METADATA") {
    auto md = core_metadata::parse(text, source);
    EXPECT_FALSE(md.has_value()) << "parsed: " << text;
    return md ? error{} : md.error();
}

marker_environment linux_env(const std::string& python) {
    marker_environment env;
    env.values = {
        {"implementation_name", "cpython"},
        {"implementation_version", python + ".0"},
        {"os_name", "posix"},
        {"platform_machine", "x86_64"},
        {"platform_python_implementation", "CPython"},
        {"platform_release", "6.1.0"},
        {"platform_system", "Linux"},
        {"platform_version", "#1 SMP"},
        {"python_full_version", python + ".0"},
        {"python_version", python},
        {"sys_platform", "linux"},
    };
    return env;
}

std::vector<std::string> names_of(const std::vector<requirement>& reqs) {
    std::vector<std::string> out;
    for (const auto& r : reqs) {
        out.push_back(r.name);
    }
    return out;
}

const std::string minimal = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";

TEST(CoreMetadataSamples, Requests) {
    auto md = parse_ok(read_sample("requests-2.32.3.METADATA"), "requests/METADATA");
    EXPECT_EQ(md.metadata_version_text, "2.4");
    EXPECT_EQ(md.metadata_version, (metadata_version_number{2, 4}));
    EXPECT_EQ(md.name, "requests");
    EXPECT_EQ(md.version, version::from({2, 32, 3}));
    EXPECT_EQ(names_of(md.requires_dist),
              (std::vector<std::string>{"charset_normalizer", "idna", "urllib3", "certifi",
                                        "PySocks", "chardet"}));
    EXPECT_TRUE(md.requires_python.contains(version::from({3, 8})));
    EXPECT_FALSE(md.requires_python.contains(version::from({3, 7})));
    ASSERT_EQ(md.provides_extra.size(), 3U);
    EXPECT_EQ(md.provides_extra[2].raw, "use-chardet-on-py3");
    EXPECT_EQ(md.dynamic.size(), 13U);
    EXPECT_EQ(md.dynamic.front(), "author");
    ASSERT_TRUE(md.description.has_value());
    EXPECT_NE(md.description->find("**Requests** is a simple, yet elegant"), std::string::npos);
    EXPECT_EQ(md.get("summary"), "Python HTTP for Humans.");
    EXPECT_EQ(md.get_all("Project-URL").size(), 2U);
    EXPECT_EQ(md.get_all("Classifier").size(), 18U);
    EXPECT_FALSE(md.get("Requires-Dist").has_value()); // typed fields are not kept raw
    EXPECT_TRUE(md.warnings.empty());
    // Other fields stay in file order.
    ASSERT_FALSE(md.other_fields.empty());
    EXPECT_EQ(md.other_fields.front().first, "Summary");
}

TEST(CoreMetadataSamples, PycparserOldDescriptionField) {
    auto md = parse_ok(read_sample("pycparser-2.21.METADATA"));
    EXPECT_EQ(md.metadata_version, (metadata_version_number{1, 1}));
    EXPECT_EQ(md.name, "pycparser");
    EXPECT_TRUE(md.requires_dist.empty());
    EXPECT_TRUE(md.requires_python.empty());
    ASSERT_TRUE(md.description.has_value());
    // The 8-space escape is removed, the text's own indentation kept.
    EXPECT_NE(md.description->find("\n        pycparser is a complete parser of the C"),
              std::string::npos);
    EXPECT_EQ(md.description->find("\n                pycparser"), std::string::npos);
    // The raw field keeps its line breaks and indentation, as Python's email parser does.
    auto raw = md.get("Description");
    ASSERT_TRUE(raw.has_value());
    EXPECT_TRUE(raw->starts_with("\n                pycparser is a complete"));
    EXPECT_EQ(md.get("Platform"), "Cross Platform");
}

TEST(CoreMetadataSamples, AlabasterDescriptionField) {
    auto md = parse_ok(read_sample("alabaster-0.7.12.METADATA"));
    ASSERT_TRUE(md.description.has_value());
    EXPECT_TRUE(md.description->starts_with("What is Alabaster?\n==================\n\n"
                                            "Alabaster is a visually (c)lean"));
    EXPECT_NE(md.description->find("\n.. note::\n    You can install"), std::string::npos);
    EXPECT_EQ(md.get("License"), "UNKNOWN");
}

TEST(CoreMetadataSamples, HttpxExtras) {
    auto md = parse_ok(read_sample("httpx-0.28.1.METADATA"));
    EXPECT_EQ(md.requires_dist.size(), 12U);
    EXPECT_EQ(md.provides_extra.size(), 5U);
    EXPECT_TRUE(md.provides("HTTP2"));
    EXPECT_FALSE(md.provides("http3"));
    EXPECT_EQ(md.get("License-Expression"), "BSD-3-Clause");

    const auto env = linux_env("3.12");
    auto base = dependencies_for(md, env);
    EXPECT_EQ(names_of(base.requirements),
              (std::vector<std::string>{"anyio", "certifi", "httpcore", "idna"}));
    EXPECT_TRUE(base.unknown_extras.empty());

    auto with = dependencies_for(md, env, {"Brotli", "cli", "nope", "NOPE"});
    EXPECT_EQ(names_of(with.requirements),
              (std::vector<std::string>{"anyio", "certifi", "httpcore", "idna", "brotli", "click",
                                        "pygments", "rich"}));
    EXPECT_EQ(with.unknown_extras, (std::vector<std::string>{"nope"}));

    auto pypy = linux_env("3.12");
    pypy.values["platform_python_implementation"] = "PyPy";
    auto brotli = dependencies_for(md, pypy, {"brotli"});
    EXPECT_EQ(names_of(brotli.requirements).back(), "brotlicffi");
}

TEST(CoreMetadataSamples, AnyioMarkersAndExtras) {
    auto md = parse_ok(read_sample("anyio-4.8.0.METADATA"));
    EXPECT_EQ(md.metadata_version, (metadata_version_number{2, 2}));
    auto old = dependencies_for(md, linux_env("3.10"));
    EXPECT_EQ(names_of(old.requirements),
              (std::vector<std::string>{"exceptiongroup", "idna", "sniffio", "typing_extensions"}));
    auto current = dependencies_for(md, linux_env("3.13"));
    EXPECT_EQ(names_of(current.requirements), (std::vector<std::string>{"idna", "sniffio"}));
    auto test = dependencies_for(md, linux_env("3.13"), {"test"});
    const auto names = names_of(test.requirements);
    EXPECT_NE(std::find(names.begin(), names.end(), "truststore"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "uvloop"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "Sphinx"), names.end());
}

TEST(CoreMetadataHeaders, FoldedContinuationLines) {
    auto md = parse_ok(minimal + "Summary: first part\n  second part\n"
                                 "Requires-Dist: foo\n\t>=1.0\n");
    EXPECT_EQ(md.get("Summary"), "first part\n  second part");
    ASSERT_EQ(md.requires_dist.size(), 1U);
    EXPECT_EQ(md.requires_dist[0].name, "foo");
    EXPECT_TRUE(md.requires_dist[0].specifiers.contains(version::from({1, 1})));
    EXPECT_FALSE(md.requires_dist[0].specifiers.contains(version::from({0, 9})));
}

TEST(CoreMetadataHeaders, CaseInsensitiveNamesAndCrLf) {
    auto md = parse_ok("metadata-version: 1.0\r\nNAME: Demo.Pkg\r\nversion:2.0rc1\r\n"
                       "summary: hi\r\n\r\nbody line\r\n");
    EXPECT_EQ(md.metadata_version, (metadata_version_number{1, 0}));
    EXPECT_EQ(md.name, "Demo.Pkg");
    EXPECT_EQ(md.normalized_name(), "demo-pkg");
    EXPECT_TRUE(md.version.is_prerelease());
    EXPECT_EQ(md.get("SUMMARY"), "hi");
    EXPECT_EQ(md.description, "body line\r\n");
}

TEST(CoreMetadataHeaders, PipeEscapedDescription) {
    auto md = parse_ok(minimal + "Description: first\n       |second\n       |\n"
                                 "       |  indented\nKeywords: a,b\n");
    EXPECT_EQ(md.description, "first\nsecond\n\n  indented");
    EXPECT_EQ(md.get("Keywords"), "a,b");
}

TEST(CoreMetadataHeaders, BodyWinsOverDescriptionField) {
    auto md = parse_ok(minimal + "Description: from the header\n\nfrom the body\n");
    EXPECT_EQ(md.description, "from the body\n");
    EXPECT_EQ(md.warnings.size(), 1U);
    auto no_body = parse_ok(minimal);
    EXPECT_FALSE(no_body.description.has_value());
}

TEST(CoreMetadataHeaders, MultipleUseFieldsKeepOrder) {
    auto md = parse_ok(minimal + "Classifier: B\nRequires-Dist: b\nClassifier: A\n"
                                 "Requires-Dist: a; extra == 'x'\nProvides-Extra: x\n");
    EXPECT_EQ(md.get_all("classifier"), (std::vector<std::string>{"B", "A"}));
    EXPECT_EQ(names_of(md.requires_dist), (std::vector<std::string>{"b", "a"}));
}

TEST(CoreMetadataHeaders, NonHeaderLineStartsTheBody) {
    auto md = parse_ok(minimal + "this is not a header\nSummary: late\n");
    EXPECT_EQ(md.description, "this is not a header\nSummary: late\n");
    EXPECT_FALSE(md.get("Summary").has_value());
    EXPECT_FALSE(md.warnings.empty());
}

TEST(CoreMetadataHeaders, LeadingContinuationIsIgnored) {
    auto md = parse_ok("  stray\n" + minimal);
    EXPECT_EQ(md.name, "demo");
    EXPECT_EQ(md.warnings.size(), 1U);
}

TEST(CoreMetadataFields, ProvidesExtraNormalized) {
    auto md = parse_ok(minimal + "Provides-Extra: Use_Chardet.On-Py3\n"
                                 "Provides-Extra: use-chardet-on-py3\nProvides-Extra: ok\n");
    ASSERT_EQ(md.provides_extra.size(), 2U);
    EXPECT_EQ(md.provides_extra[0].raw, "Use_Chardet.On-Py3");
    EXPECT_EQ(md.provides_extra[0].normalized, "use-chardet-on-py3");
    EXPECT_TRUE(md.provides("use_chardet_on_py3"));
}

TEST(CoreMetadataFields, InvalidRequiresPythonIsIgnoredWithWarning) {
    auto md = parse_ok(minimal + "Requires-Python: >=3.6.*\n");
    EXPECT_TRUE(md.requires_python.empty());
    ASSERT_EQ(md.warnings.size(), 1U);
    EXPECT_NE(md.warnings[0].find(">=3.6.*"), std::string::npos);
}

TEST(CoreMetadataFields, MetadataVersions) {
    for (const auto* v : {"1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.3", "2.4"}) {
        auto md = parse_ok(std::string("Metadata-Version: ") + v + "\nName: x\nVersion: 1\n");
        EXPECT_EQ(md.metadata_version_text, v);
        EXPECT_TRUE(md.warnings.empty()) << v;
    }
    auto newer = parse_ok("Metadata-Version: 2.5\nName: x\nVersion: 1\n");
    EXPECT_EQ(newer.warnings.size(), 1U);
}

TEST(CoreMetadataFields, DynamicKept) {
    auto md = parse_ok(minimal + "Dynamic: Requires-Dist\nDynamic: license\n");
    EXPECT_EQ(md.dynamic, (std::vector<std::string>{"Requires-Dist", "license"}));
    auto bad = parse_ok(minimal + "Dynamic: Version\n");
    EXPECT_EQ(bad.warnings.size(), 1U);
}

TEST(CoreMetadataErrors, NameTheFieldAndValue) {
    struct row {
        std::string text;
        std::vector<std::string> mentions;
    };
    const std::vector<row> rows = {
        {"Name: x\nVersion: 1\n", {"pkg/METADATA", "Metadata-Version"}},
        {"Metadata-Version: two\nName: x\nVersion: 1\n", {"Metadata-Version", "'two'"}},
        {"Metadata-Version: 3.0\nName: x\nVersion: 1\n", {"Metadata-Version", "'3.0'"}},
        {"Metadata-Version: 2.1\nVersion: 1\n", {"missing", "Name"}},
        {"Metadata-Version: 2.1\nName: foo bar!\nVersion: 1\n", {"Name", "'foo bar!'"}},
        {"Metadata-Version: 2.1\nName: -x\nVersion: 1\n", {"Name", "'-x'"}},
        {"Metadata-Version: 2.1\nName: x\n", {"missing", "Version"}},
        {"Metadata-Version: 2.1\nName: x\nVersion: 1.0x\n", {"Version", "'1.0x'"}},
        {minimal + "Requires-Dist: foo >=\n", {"Requires-Dist", "'foo >='"}},
        {minimal + "Requires-Dist: bar; python_version <<< '3'\n", {"Requires-Dist", "bar;"}},
        {minimal + "Name: other\n", {"Name", "more than once", "'demo'", "'other'"}},
    };
    for (const auto& r : rows) {
        const auto e = parse_error_of(r.text, "pkg/METADATA");
        EXPECT_EQ(e.code, errc::invalid_metadata) << r.text;
        EXPECT_NE(e.message.find("pkg/METADATA"), std::string::npos) << e.message;
        for (const auto& m : r.mentions) {
            EXPECT_NE(e.message.find(m), std::string::npos) << e.message << " lacks " << m;
        }
    }
    // A repeated single-use field with the same value is fine.
    EXPECT_TRUE(core_metadata::parse(minimal + "Name: demo\n").has_value());
}

TEST(CoreMetadataErrors, GarbageDoesNotCrash) {
    const std::vector<std::string> inputs = {
        "",
        "\n\n\n",
        ":::",
        std::string("Metadata-Version: 2.1\0\nName: x\n", 30),
        "\xff\xfe\x00\x01garbage",
        "Metadata-Version:\nName:\nVersion:\n",
        std::string(100000, 'x'),
        "Metadata-Version: 99999999999999999999.1\nName: x\nVersion: 1\n",
        "\xEF\xBB\xBFMetadata-Version: 2.1\nName: x\nVersion: 1\n",
    };
    for (const auto& in : inputs) {
        auto md = core_metadata::parse(in);
        if (!md) {
            EXPECT_EQ(md.error().code, errc::invalid_metadata);
        }
    }
    EXPECT_TRUE(core_metadata::parse(inputs.back()).has_value()); // BOM tolerated

    // Byte mutations of a real file: every outcome is a value or an error, never a crash.
    const auto sample = read_sample("anyio-4.8.0.METADATA");
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 300; ++i) {
        auto text = sample;
        for (int j = 0; j < 8; ++j) {
            text[rng() % text.size()] = static_cast<char>(byte(rng));
        }
        auto md = core_metadata::parse(text);
        if (md) {
            (void)dependencies_for(*md, linux_env("3.12"), {"test", "doc"});
        }
    }
}

TEST(CoreMetadataDependencies, MarkerErrorsCountAsFalse) {
    auto md = parse_ok(minimal + "Requires-Dist: a; python_version >= '3'\n"
                                 "Requires-Dist: b\n");
    marker_environment empty; // no variables: the marker cannot be evaluated
    EXPECT_EQ(names_of(dependencies_for(md, empty).requirements), (std::vector<std::string>{"b"}));
}

TEST(CoreMetadataDependencies, ExtraMarkersMatchNormalized) {
    auto md = parse_ok(minimal + "Provides-Extra: Foo_Bar\n"
                                 "Requires-Dist: a; extra == 'foo-bar'\n"
                                 "Requires-Dist: b; extra == 'Foo_Bar'\n"
                                 "Requires-Dist: c; extra != 'foo-bar'\n");
    const auto env = linux_env("3.12");
    EXPECT_EQ(names_of(dependencies_for(md, env).requirements), (std::vector<std::string>{"c"}));
    EXPECT_EQ(names_of(dependencies_for(md, env, {"foo.bar"}).requirements),
              (std::vector<std::string>{"a", "b", "c"}));
}

} // namespace
