// Requirements files in pip's format, read through an in-memory loader: lines, comments,
// continuations, ${VAR}, options, hashes, nested -r/-c with relative paths and URLs, cycles,
// direct wheel files, and the errors (editable, unknown options, garbage).

#include "actpip/core/requirements_file.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace actpip::core;

const std::string sha_a(64, 'a');
const std::string sha_b(64, 'b');

struct memory_files {
    std::map<std::string, std::string> files;
    std::vector<std::string> loaded;

    requirements_file_loader loader() {
        return [this](const std::string& path) -> result<std::string> {
            loaded.push_back(path);
            const auto it = files.find(path);
            if (it == files.end()) {
                return fail(errc::not_found, "no such file: " + path);
            }
            return it->second;
        };
    }
};

environment_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        const auto it = vars.find(std::string(name));
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

requirements_file parse_ok(const std::string& text, const environment_lookup& env = {}) {
    auto r = parse_requirements_text(text, "requirements.txt", {}, env);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().describe());
    return r ? *r : requirements_file{};
}

error parse_fail(const std::string& text) {
    auto r = parse_requirements_text(text, "requirements.txt");
    EXPECT_FALSE(r.has_value()) << "parsed: " << text;
    return r ? error{} : r.error();
}

std::vector<std::string> names_of(const std::vector<requirements_file_entry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) {
        if (const auto* r = e.as_requirement()) {
            out.push_back(r->name);
        } else {
            out.push_back(e.as_direct_file()->wheel.name);
        }
    }
    return out;
}

void expect_mentions(const error& e, const std::vector<std::string>& parts) {
    for (const auto& p : parts) {
        EXPECT_NE(e.describe().find(p), std::string::npos) << e.describe() << " lacks " << p;
    }
}

TEST(RequirementsFileLines, RequirementsCommentsAndBlankLines) {
    auto r = parse_ok("# a comment\n"
                      "\n"
                      "requests>=2.0  # trailing comment\n"
                      "   # indented comment\n"
                      "Flask[async,dotenv] ==3.0 ; python_version >= \"3.8\"\n"
                      "\t\n"
                      "idna\n");
    ASSERT_EQ(r.requirements.size(), 3U);
    EXPECT_EQ(names_of(r.requirements), (std::vector<std::string>{"requests", "Flask", "idna"}));
    EXPECT_EQ(r.requirements[0].line, 3U);
    EXPECT_EQ(r.requirements[0].text, "requests>=2.0");
    EXPECT_EQ(r.requirements[0].source, "requirements.txt");
    const auto* flask = r.requirements[1].as_requirement();
    ASSERT_NE(flask, nullptr);
    EXPECT_EQ(flask->extras, (std::vector<std::string>{"async", "dotenv"}));
    EXPECT_TRUE(flask->marker.has_value());
    EXPECT_EQ(r.requirements[1].line, 5U);
    EXPECT_EQ(r.requirements[2].line, 7U);
    EXPECT_TRUE(r.constraints.empty());
    EXPECT_EQ(r.files, (std::vector<std::string>{"requirements.txt"}));
}

TEST(RequirementsFileLines, ContinuationsAndHashes) {
    auto r = parse_ok("foo==1.0 \\\n"
                      "    --hash=sha256:" +
                      sha_a + " \\\n    --hash sha256:" + std::string(64, 'B') +
                      "\n"
                      "bar\\\n"
                      "==2.0\n"
                      "baz==3.0 \\\n");
    ASSERT_EQ(r.requirements.size(), 3U);
    EXPECT_EQ(r.requirements[0].line, 1U);
    ASSERT_EQ(r.requirements[0].hashes.size(), 2U);
    EXPECT_EQ(r.requirements[0].hashes[0].to_string(), "sha256:" + sha_a);
    EXPECT_EQ(r.requirements[0].hashes[1].hex, sha_b); // lower-cased
    EXPECT_EQ(r.requirements[1].text, "bar==2.0");
    EXPECT_EQ(r.requirements[1].line, 4U);
    EXPECT_EQ(r.requirements[2].line, 6U); // a continuation at the end of the file
}

TEST(RequirementsFileLines, CommentRulesFollowPip) {
    auto r = parse_ok("foo \\\n"
                      "# a comment line ends the continued line\n"
                      "# a comment ending in a backslash does not continue \\\n"
                      "bar\n"
                      "https://host/x/demo-1.0-py3-none-any.whl#sha256=" +
                      sha_a + "\n");
    EXPECT_EQ(names_of(r.requirements), (std::vector<std::string>{"foo", "bar", "demo"}));
    EXPECT_EQ(r.requirements[1].line, 4U);
    const auto* file = r.requirements[2].as_direct_file();
    ASSERT_NE(file, nullptr);
    EXPECT_NE(file->location.find("#sha256="), std::string::npos); // no whitespace: not a comment
    EXPECT_EQ(file->filename(), "demo-1.0-py3-none-any.whl");
}

TEST(RequirementsFileLines, CrLfAndByteOrderMark) {
    auto r = parse_ok("\xEF\xBB\xBF"
                      "foo\r\nbar \\\r\n  >=1\r\n");
    EXPECT_EQ(names_of(r.requirements), (std::vector<std::string>{"foo", "bar"}));
}

TEST(RequirementsFileLines, EnvironmentExpansion) {
    const auto env = env_of(
        {{"INDEX_HOST", "pypi.example"}, {"VERSION_1", "1.2"}, {"EMPTY", ""}, {"lower", "nope"}});
    auto r = parse_ok("-i https://${INDEX_HOST}/simple\n"
                      "--extra-index-url https://${UNSET}/simple\n"
                      "--extra-index-url https://${EMPTY}/x\n"
                      "--extra-index-url https://${lower}/$INDEX_HOST/${INDEX_HOST\n"
                      "foo==${VERSION_1}\n",
                      env);
    EXPECT_EQ(r.options.index_url, "https://pypi.example/simple");
    EXPECT_EQ(r.options.extra_index_urls,
              (std::vector<std::string>{"https://${UNSET}/simple", "https://${EMPTY}/x",
                                        "https://${lower}/$INDEX_HOST/${INDEX_HOST"}));
    ASSERT_EQ(r.requirements.size(), 1U);
    EXPECT_EQ(r.requirements[0].text, "foo==1.2");
}

TEST(RequirementsFileOptions, GlobalOptions) {
    auto r = parse_ok("--index-url=https://a.example/simple\n"
                      "-ihttps://b.example/simple\n"
                      "--extra-index-url https://c.example/simple\n"
                      "--extra-index https://d.example/simple\n" // optparse abbreviation
                      "-f ./wheels\n"
                      "--find-links=https://e.example/links/\n"
                      "--find-links /abs/wheels\n"
                      "--no-index\n--pre\n--prefer-binary\n--require-hashes\n"
                      "--trusted-host a.example --trusted-host b.example\n"
                      "--use-feature truststore\n"
                      "-i \"https://quoted.example/simple\"\n");
    const auto& o = r.options;
    EXPECT_EQ(o.index_url, "https://quoted.example/simple");
    EXPECT_EQ(o.extra_index_urls,
              (std::vector<std::string>{"https://c.example/simple", "https://d.example/simple"}));
    ASSERT_EQ(o.find_links.size(), 3U);
    EXPECT_EQ(o.find_links[0], (find_links_entry{"./wheels", "wheels"}));
    EXPECT_EQ(o.find_links[1].relative_to_file, "https://e.example/links/");
    EXPECT_EQ(o.find_links[2].relative_to_file, "/abs/wheels");
    EXPECT_TRUE(o.no_index);
    EXPECT_TRUE(o.pre);
    EXPECT_TRUE(o.prefer_binary);
    EXPECT_TRUE(o.require_hashes);
    EXPECT_EQ(o.trusted_hosts, (std::vector<std::string>{"a.example", "b.example"}));
    EXPECT_EQ(o.use_features, (std::vector<std::string>{"truststore"}));
    EXPECT_TRUE(r.requirements.empty());
}

TEST(RequirementsFileOptions, FormatControlAsPip) {
    auto r = parse_ok("--no-binary Foo_Bar,baz\n--only-binary baz\n");
    EXPECT_EQ(r.options.no_binary, (std::set<std::string>{"foo-bar"}));
    EXPECT_EQ(r.options.only_binary, (std::set<std::string>{"baz"}));

    r = parse_ok("--no-binary foo\n--only-binary :all:\n");
    EXPECT_TRUE(r.options.no_binary.empty());
    EXPECT_EQ(r.options.only_binary, (std::set<std::string>{":all:"}));

    r = parse_ok("--only-binary :all:\n--only-binary :none:\n--no-binary :all:,:none:,x\n");
    EXPECT_TRUE(r.options.only_binary.empty());
    EXPECT_EQ(r.options.no_binary, (std::set<std::string>{"x"}));
}

TEST(RequirementsFileOptions, HashErrors) {
    expect_mentions(parse_fail("foo --hash=md5:" + std::string(32, 'a') + "\n"),
                    {"requirements.txt line 1", "md5"});
    expect_mentions(parse_fail("foo --hash=sha256:abc\n"), {"line 1", "sha256:abc"});
    expect_mentions(parse_fail("foo --hash=" + sha_a + "\n"), {"line 1", "--hash"});
    auto e = parse_fail("foo==1.0\n--hash=sha256:" + sha_a + "\n");
    expect_mentions(e, {"line 2", "--hash"});
    EXPECT_FALSE(e.hints.empty());
}

TEST(RequirementsFileErrors, EditableIsNotSupported) {
    for (const std::string line :
         {"-e .", "--editable ./pkg", "--editable=git+https://h/r.git", "-e./pkg"}) {
        auto e = parse_fail("foo\n\n" + line + "\n");
        EXPECT_EQ(e.code, errc::invalid_requirements_file);
        expect_mentions(
            e, {"requirements.txt line 3", "editable requirements are not supported", line});
    }
}

TEST(RequirementsFileErrors, UnknownAndMisplacedOptions) {
    expect_mentions(parse_fail("foo\n--frobnicate\n"),
                    {"requirements.txt line 2", "unknown option", "--frobnicate"});
    expect_mentions(parse_fail("-x foo\n"), {"line 1", "unknown option", "-x"});
    expect_mentions(parse_fail("--pr\n"), {"line 1", "ambiguous", "--pre", "--prefer-binary"});
    expect_mentions(parse_fail("--pre=yes\n"), {"line 1", "does not take a value"});
    expect_mentions(parse_fail("-i\n"), {"line 1", "requires 1 argument"});
    expect_mentions(parse_fail("-r a.txt b.txt\n"), {"line 1", "unexpected argument", "b.txt"});
    expect_mentions(parse_fail("foo -i https://x/simple\n"),
                    {"line 1", "-i", "cannot be used on a requirement line"});
    expect_mentions(parse_fail("foo --global-option=--x\n"), {"line 1", "--global-option"});
    expect_mentions(parse_fail("--hash 'unbalanced\n"), {"line 1", "no closing quotation"});
    expect_mentions(parse_fail("--only-binary --pre\n"), {"line 1", "requires 1 argument"});
}

TEST(RequirementsFileErrors, InvalidRequirementNamesTheLine) {
    auto e = parse_fail("ok\nfoo>=\n");
    EXPECT_EQ(e.code, errc::invalid_requirements_file);
    expect_mentions(e, {"requirements.txt line 2", "'foo>='"});
    expect_mentions(parse_fail("foo ; python_version <<< '3'\n"), {"line 1", "python_version"});
}

TEST(RequirementsFileDirect, WheelPathsAndUrls) {
    auto r = parse_ok(
        "./dist/demo_pkg-1.0-py3-none-any.whl\n"
        "other-2.0-py3-none-any.whl[Extra_One, two] ; python_version >= \"3\"\n"
        "https://host/path/torch-2.0.0%2Bcpu-cp311-cp311-linux_x86_64.whl; sys_platform == "
        "\"linux\"\n"
        "file:///tmp/w/third-3.0-py2.py3-none-any.whl --hash=sha256:" +
        sha_a +
        "\n"
        "named @ https://host/named-1.0-py3-none-any.whl\n");
    ASSERT_EQ(r.requirements.size(), 5U);
    const auto* local = r.requirements[0].as_direct_file();
    ASSERT_NE(local, nullptr);
    EXPECT_FALSE(local->is_url);
    EXPECT_EQ(local->location, "./dist/demo_pkg-1.0-py3-none-any.whl");
    EXPECT_EQ(local->wheel.name, "demo-pkg");

    const auto* extras = r.requirements[1].as_direct_file();
    ASSERT_NE(extras, nullptr);
    EXPECT_EQ(extras->location, "other-2.0-py3-none-any.whl");
    EXPECT_EQ(extras->extras, (std::vector<std::string>{"Extra_One", "two"}));
    EXPECT_TRUE(extras->marker.has_value());

    const auto* url = r.requirements[2].as_direct_file();
    ASSERT_NE(url, nullptr);
    EXPECT_TRUE(url->is_url);
    EXPECT_EQ(url->filename(), "torch-2.0.0+cpu-cp311-cp311-linux_x86_64.whl");
    EXPECT_EQ(url->wheel.name, "torch");
    EXPECT_TRUE(url->marker.has_value());

    const auto* file_url = r.requirements[3].as_direct_file();
    ASSERT_NE(file_url, nullptr);
    EXPECT_EQ(r.requirements[3].hashes.size(), 1U);

    const auto* named = r.requirements[4].as_requirement();
    ASSERT_NE(named, nullptr);
    EXPECT_EQ(named->url, "https://host/named-1.0-py3-none-any.whl");
}

TEST(RequirementsFileDirect, WhatActpipCannotInstall) {
    expect_mentions(parse_fail("./dist/demo-1.0.tar.gz\n"), {"line 1", "not a wheel"});
    expect_mentions(parse_fail(".\n"), {"line 1", "not a wheel"});
    expect_mentions(parse_fail("./src/project\n"), {"line 1", "not a wheel"});
    expect_mentions(parse_fail("https://host/demo-1.0.zip\n"), {"line 1", "not a wheel"});
    expect_mentions(parse_fail("git+https://host/repo.git#egg=demo\n"),
                    {"line 1", "version control", "git+https://host/repo.git"});
    expect_mentions(parse_fail("./not-a-wheel-name.whl\n"), {"line 1", "wheel filename"});
}

TEST(RequirementsFileNested, RelativeIncludesAndConstraints) {
    memory_files fs;
    fs.files["dir/reqs.txt"] = "-r sub/more.txt\n-c ../constraints.txt\nroot-pkg\n";
    fs.files["dir/sub/more.txt"] = "more-pkg\n--requirement=../base.txt\n";
    fs.files["dir/base.txt"] = "base-pkg\n--find-links ../wheels\n";
    fs.files["constraints.txt"] = "more-pkg<2\n-r dir/from-constraints.txt\n";
    fs.files["dir/from-constraints.txt"] = "quirk\n";
    auto r = parse_requirements_file("dir/reqs.txt", fs.loader());
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(fs.loaded,
              (std::vector<std::string>{"dir/reqs.txt", "dir/sub/more.txt", "dir/base.txt",
                                        "constraints.txt", "dir/from-constraints.txt"}));
    EXPECT_EQ(r->files, fs.loaded);
    // As in pip, `-r` inside a constraints file includes requirements.
    EXPECT_EQ(names_of(r->requirements),
              (std::vector<std::string>{"more-pkg", "base-pkg", "quirk", "root-pkg"}));
    EXPECT_EQ(names_of(r->constraints), (std::vector<std::string>{"more-pkg"}));
    EXPECT_EQ(r->constraints[0].source, "constraints.txt");
    EXPECT_EQ(r->constraints[0].line, 1U);
    EXPECT_EQ(r->requirements[1].source, "dir/base.txt");
    ASSERT_EQ(r->options.find_links.size(), 1U);
    EXPECT_EQ(r->options.find_links[0].relative_to_file, "wheels");
}

TEST(RequirementsFileNested, ConstraintsFileAtTheRoot) {
    memory_files fs;
    fs.files["c.txt"] = "foo==1.0\nbar[extra]==2\n";
    auto r = parse_requirements_file("c.txt", fs.loader(), {}, requirements_file_kind::constraints);
    ASSERT_FALSE(r.has_value());
    expect_mentions(r.error(), {"c.txt line 2", "constraints cannot have extras"});
}

TEST(RequirementsFileNested, CyclesAreErrors) {
    memory_files fs;
    fs.files["a.txt"] = "x\n-r b.txt\n";
    fs.files["b.txt"] = "y\n-r ./sub/../a.txt\n";
    auto r = parse_requirements_file("a.txt", fs.loader());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, errc::invalid_requirements_file);
    expect_mentions(r.error(), {"b.txt line 2", "a.txt recursively references itself in b.txt"});

    fs.files["self.txt"] = "-c self.txt\n";
    auto self = parse_requirements_file("self.txt", fs.loader());
    ASSERT_FALSE(self.has_value());
    expect_mentions(self.error(), {"recursively references itself"});
}

TEST(RequirementsFileNested, DiamondIsNotACycle) {
    memory_files fs;
    fs.files["top.txt"] = "-r left.txt\n-r right.txt\n";
    fs.files["left.txt"] = "-r common.txt\n";
    fs.files["right.txt"] = "-r common.txt\n";
    fs.files["common.txt"] = "shared\n";
    auto r = parse_requirements_file("top.txt", fs.loader());
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(names_of(r->requirements), (std::vector<std::string>{"shared", "shared"}));
}

TEST(RequirementsFileNested, UrlIncludes) {
    memory_files fs;
    fs.files["https://example.com/reqs/base.txt?x=1"] =
        "-r other.txt\n-r ../top.txt\n-c /abs/c.txt\n-r https://elsewhere.example/r.txt\n";
    fs.files["https://example.com/reqs/other.txt"] = "a\n";
    fs.files["https://example.com/top.txt"] = "b\n";
    fs.files["https://example.com/abs/c.txt"] = "c<2\n";
    fs.files["https://elsewhere.example/r.txt"] = "d\n";
    auto r = parse_requirements_file("https://example.com/reqs/base.txt?x=1", fs.loader());
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(names_of(r->requirements), (std::vector<std::string>{"a", "b", "d"}));
    EXPECT_EQ(names_of(r->constraints), (std::vector<std::string>{"c"}));
}

TEST(RequirementsFileNested, LoaderErrorsCarryContext) {
    memory_files fs;
    fs.files["main.txt"] = "ok\n\n-r missing.txt\n";
    auto r = parse_requirements_file("main.txt", fs.loader());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, errc::not_found); // the loader's own error
    expect_mentions(r.error(), {"no such file: missing.txt", "main.txt line 3"});

    auto root = parse_requirements_file("absent.txt", fs.loader());
    ASSERT_FALSE(root.has_value());
    expect_mentions(root.error(), {"absent.txt"});

    auto no_loader = parse_requirements_text("-r other.txt\n", "stdin");
    ASSERT_FALSE(no_loader.has_value());
    EXPECT_EQ(no_loader.error().code, errc::io);
}

TEST(RequirementsFileNested, IntoAccumulates) {
    memory_files fs;
    fs.files["one.txt"] = "a\n-i https://one/simple\n";
    fs.files["two.txt"] = "b\n-i https://two/simple\n";
    requirements_file all;
    ASSERT_TRUE(parse_requirements_file_into(all, "one.txt", fs.loader()).has_value());
    ASSERT_TRUE(parse_requirements_file_into(all, "two.txt", fs.loader(), {},
                                             requirements_file_kind::constraints)
                    .has_value());
    EXPECT_EQ(names_of(all.requirements), (std::vector<std::string>{"a"}));
    EXPECT_EQ(names_of(all.constraints), (std::vector<std::string>{"b"}));
    EXPECT_EQ(all.options.index_url, "https://two/simple");
}

TEST(RequirementsFileNested, DeepNestingStops) {
    requirements_file_loader endless = [](const std::string& path) -> result<std::string> {
        return "-r d/" + path.substr(path.rfind('/') + 1) + "\n";
    };
    auto r = parse_requirements_file("d/x.txt", endless);
    ASSERT_FALSE(r.has_value());
    expect_mentions(r.error(), {"nested more than"});
}

TEST(RequirementsFileErrors, GarbageDoesNotCrash) {
    const std::vector<std::string> inputs = {
        std::string("\0\0\0", 3),
        "\xff\xfe\xfd",
        "\\\n\\\n\\",
        "-",
        "--",
        "-- foo",
        "--=",
        "foo \"",
        "${${${}}}",
        "foo @",
        "@",
        "[",
        "]]][[[",
        ";",
        "x.whl[",
        "https://",
        std::string(50000, 'a') + "==1",
        std::string(5000, '-'),
    };
    for (const auto& in : inputs) {
        auto r = parse_requirements_text(in, "garbage.txt");
        if (!r) {
            EXPECT_FALSE(r.error().message.empty());
        }
    }
    std::mt19937 rng(4242);
    const std::string alphabet = "ab-_=<>~!.;@[]#\\/ \t\n\"'$.{}:,*+%01";
    for (int i = 0; i < 2000; ++i) {
        std::string text;
        const auto length = rng() % 60;
        for (std::size_t j = 0; j < length; ++j) {
            text += alphabet[rng() % alphabet.size()];
        }
        (void)parse_requirements_text(text, "fuzz.txt", {}, env_of({{"A", "${A}"}}));
    }
}

} // namespace
