// Job set-up without actors: requirements and files read into the roots, hashes, sources,
// the cache root and the options the resolver gets; the session's hash checks and
// descriptions; pip's installation report.
#include <gtest/gtest.h>

#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/resolution_wire.hpp"
#include "actpip/actors/session_files.hpp"
#include "actpip/api.hpp"
#include "support/temp_dir.hpp"

#include <rapidjson/document.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace {

namespace fs = std::filesystem;
using namespace actpip;
using namespace actpip::actors;

class job_setup_test : public testing::Test {
protected:
    void SetUp() override { dir_ = tmp_.path(); }
    std::string write(const std::string& name, const std::string& text) {
        auto p = dir_ / name;
        std::ofstream(p) << text;
        return p.string();
    }
    // The environment the job sees: only what a test sets.
    env_lookup env(std::map<std::string, std::string> vars = {}) {
        vars.emplace("HOME", dir_.string());
        return [vars](std::string_view name) -> std::optional<std::string> {
            auto it = vars.find(std::string(name));
            if (it == vars.end())
                return std::nullopt;
            return it->second;
        };
    }
    std::expected<job_sources, setup_error> prepare(const job_options& o,
                                                    std::map<std::string, std::string> vars = {}) {
        return prepare_sources(o, env(std::move(vars)));
    }
    test::temp_dir tmp_;
    fs::path dir_;
};

TEST_F(job_setup_test, command_line_requirements_become_roots_with_their_extras) {
    job_options o;
    o.requirements = {"Flask[async]>=2; python_version > '3'", "requests"};
    auto s = prepare(o);
    ASSERT_TRUE(s) << s.error().error.describe();
    ASSERT_EQ(s->requirements.size(), 2u);
    EXPECT_EQ(s->requirements[0].name, "Flask");
    EXPECT_TRUE(s->requested.contains("flask"));
    EXPECT_EQ(s->requested_extras.at("flask"), std::vector<std::string>{"async"});
    EXPECT_EQ(s->index_urls, std::vector<std::string>{"https://pypi.org/simple"});
    EXPECT_FALSE(s->require_hashes);
    ASSERT_TRUE(s->cache_root);
    EXPECT_EQ(*s->cache_root, dir_ / ".cache" / "actpip");
    EXPECT_TRUE(fs::is_directory(s->scratch->path()));
}

TEST_F(job_setup_test, the_scratch_directory_goes_with_the_job_and_no_failure_leaves_one) {
    auto tmp = dir_ / "tmp";
    fs::create_directories(tmp);
    const char* old = std::getenv("TMPDIR");
    std::string saved = old ? old : "";
    setenv("TMPDIR", tmp.c_str(), 1);
    auto count = [&] {
        return std::distance(fs::directory_iterator(tmp), fs::directory_iterator());
    };
    job_options bad;
    bad.requirements = {"idna"};
    bad.offline = true;
    bad.no_cache = true; // a usage error found after the sources were read
    EXPECT_FALSE(prepare(bad));
    bad = job_options{};
    bad.requirements = {"not a requirement !!"};
    EXPECT_FALSE(prepare(bad));
    bad = job_options{};
    bad.requirements = {"idna"};
    bad.find_links = {(dir_ / "no-such-dir").string()};
    EXPECT_FALSE(prepare(bad));
    EXPECT_EQ(count(), 0) << "a failed set-up left a scratch directory";
    {
        job_options o;
        o.requirements = {"idna"};
        auto s = prepare(o);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->scratch->path().parent_path(), tmp);
        EXPECT_EQ(count(), 1);
        auto held = s->scratch; // an actor that writes into it keeps it
        s = std::unexpected(setup_error{});
        EXPECT_EQ(count(), 1) << "removed while an actor still writes into it";
        held.reset();
    }
    EXPECT_EQ(count(), 0) << "the scratch directory outlived its job";
    if (old)
        setenv("TMPDIR", saved.c_str(), 1);
    else
        unsetenv("TMPDIR");
}

TEST_F(job_setup_test, a_local_wheel_becomes_a_file_url_of_its_project) {
    auto wheel = write("demo_pkg-1.0-py3-none-any.whl", "not really a zip");
    job_options o;
    o.requirements = {wheel};
    auto s = prepare(o);
    ASSERT_TRUE(s) << s.error().error.describe();
    ASSERT_EQ(s->requirements.size(), 1u);
    EXPECT_EQ(s->requirements[0].normalized_name(), "demo-pkg");
    ASSERT_TRUE(s->requirements[0].url);
    EXPECT_EQ(*s->requirements[0].url, "file://" + wheel);
}

TEST_F(job_setup_test, requirement_files_give_roots_constraints_hashes_and_sources) {
    auto constraints = write("c.txt", "idna<3.5\n");
    auto reqs = write("r.txt", "--extra-index-url https://mirror.example/simple\n"
                               "requests==2.32.3 --hash=sha256:" +
                                   std::string(64, 'a') + "\n-c " + constraints + "\n");
    job_options o;
    o.requirement_files = {reqs};
    o.index_url = "https://index.example/simple";
    o.extra_index_urls = {"https://first-extra.example/simple"};
    auto s = prepare(o);
    ASSERT_TRUE(s) << s.error().error.describe();
    EXPECT_EQ(s->index_urls, (std::vector<std::string>{"https://index.example/simple",
                                                       "https://first-extra.example/simple",
                                                       "https://mirror.example/simple"}));
    ASSERT_EQ(s->constraints.size(), 1u);
    EXPECT_EQ(s->constraints[0].name, "idna");
    EXPECT_TRUE(s->require_hashes) << "a --hash turns hash checking on, as in pip";
    ASSERT_EQ(s->hashes.at("requests").size(), 1u);
    EXPECT_EQ(s->hashes.at("requests")[0].hex, std::string(64, 'a'));
    EXPECT_TRUE(check_hash_requirements(*s));
}

TEST_F(job_setup_test, bad_input_is_an_error_naming_it) {
    job_options o;
    o.requirements = {"requests >>= 2"};
    auto s = prepare(o);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().error.describe().find("requests >>= 2"), std::string::npos)
        << s.error().error.describe();

    o.requirements = {};
    s = prepare(o);
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().usage);

    o.requirements = {"idna"};
    o.requirement_files = {(dir_ / "missing.txt").string()};
    s = prepare(o);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().error.describe().find("missing.txt"), std::string::npos);
}

TEST_F(job_setup_test, no_index_needs_find_links_and_a_directory_becomes_a_file_url) {
    job_options o;
    o.requirements = {"idna"};
    o.no_index = true;
    auto s = prepare(o);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().error.describe().find("no index"), std::string::npos);

    fs::create_directories(dir_ / "wheels");
    o.find_links = {(dir_ / "wheels").string(), "https://example.org/links.html"};
    s = prepare(o);
    ASSERT_TRUE(s) << s.error().error.describe();
    EXPECT_TRUE(s->index_urls.empty());
    ASSERT_EQ(s->find_links.size(), 2u);
    EXPECT_EQ(s->find_links[0], "file://" + (dir_ / "wheels").string() + "/");
    EXPECT_EQ(s->find_links[1], "https://example.org/links.html");

    o.find_links = {(dir_ / "nowhere").string()};
    s = prepare(o);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().error.describe().find("nowhere"), std::string::npos);
}

TEST_F(job_setup_test, cache_settings) {
    job_options o;
    o.requirements = {"idna"};
    auto s = prepare(o, {{"ACTPIP_CACHE_DIR", (dir_ / "env-cache").string()}});
    ASSERT_TRUE(s);
    EXPECT_EQ(*s->cache_root, dir_ / "env-cache");
    o.cache_dir = (dir_ / "flag-cache").string();
    s = prepare(o, {{"ACTPIP_CACHE_DIR", (dir_ / "env-cache").string()}});
    ASSERT_TRUE(s);
    EXPECT_EQ(*s->cache_root, dir_ / "flag-cache");
    EXPECT_EQ(cache_root_of(*s), dir_ / "flag-cache");

    o.no_cache = true;
    s = prepare(o);
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->cache_root);
    EXPECT_EQ(cache_root_of(*s), s->scratch->path() / "cache") << "downloads still need somewhere";

    o.offline = true;
    s = prepare(o);
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().usage);
}

TEST_F(job_setup_test, require_hashes_wants_pins_and_hashes) {
    job_options o;
    o.require_hashes = true;
    o.requirements = {"idna>=3"};
    auto s = prepare(o);
    ASSERT_TRUE(s);
    auto r = check_hash_requirements(*s);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("pinned with =="), std::string::npos);

    o.requirements = {"idna==3.10"};
    s = prepare(o);
    ASSERT_TRUE(s);
    r = check_hash_requirements(*s);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("idna==3.10"), std::string::npos);
}

TEST_F(job_setup_test, resolve_options_follow_the_job) {
    job_options o;
    o.requirements = {"idna"};
    o.upgrade_packages = {"Charset_Normalizer"};
    o.resolution = resolution_strategy::lowest_direct;
    o.no_deps = true;
    o.pre = true;
    auto s = prepare(o);
    ASSERT_TRUE(s);
    job_target t;
    t.python_version = *core::version::parse("3.11.7");
    auto r = make_resolve_options(o, *s, t);
    EXPECT_TRUE(r.upgrade_packages.contains("charset-normalizer"));
    EXPECT_EQ(r.strategy, resolver::resolution_strategy::lowest_direct);
    EXPECT_TRUE(r.no_deps);
    EXPECT_TRUE(r.allow_prereleases);
    auto f = make_fetch_target(o, *s, t);
    EXPECT_TRUE(f.allow_prereleases);
    EXPECT_EQ(f.python_version, "3.11.7");
    EXPECT_EQ(f.strategy, core::index_strategy::first_index);
    EXPECT_EQ(f.index_urls, s->index_urls);
    o.index_strategy = index_strategy::unsafe_best_match;
    o.offline = true;
    f = make_fetch_target(o, *s, t);
    EXPECT_EQ(f.strategy, core::index_strategy::unsafe_best_match);
    EXPECT_EQ(f.cache_mode, storage::cache_mode::offline);
}

TEST_F(job_setup_test, user_hashes_are_checked_against_each_wheel) {
    job_options o;
    o.requirements = {"idna==3.10"};
    o.require_hashes = true;
    auto s = prepare(o);
    ASSERT_TRUE(s);
    s->hashes["idna"] = {*core::parse_hash_option("sha256:" + std::string(64, 'b'))};
    session_wheel w;
    w.file.name = "idna";
    w.file.version = "3.10";
    w.file.filename = "idna-3.10-py3-none-any.whl";
    w.wheel.sha256 = std::string(64, 'c');
    auto r = verify_user_hashes(*s, {w});
    ASSERT_FALSE(r);
    auto text = r.error().describe();
    EXPECT_NE(text.find("idna-3.10-py3-none-any.whl"), std::string::npos) << text;
    EXPECT_NE(text.find("expected sha256:" + std::string(64, 'b')), std::string::npos) << text;
    EXPECT_NE(text.find("got sha256:" + std::string(64, 'c')), std::string::npos) << text;
    w.wheel.sha256 = std::string(64, 'b');
    EXPECT_TRUE(verify_user_hashes(*s, {w}));
    w.file.name = "certifi";
    r = verify_user_hashes(*s, {w});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("certifi"), std::string::npos);
}

TEST(session_files, installer_names_become_pins) {
    EXPECT_EQ(dashed_to_pinned({"charset-normalizer-3.0.1", "idna-3.10"}),
              (std::vector<std::string>{"charset-normalizer==3.0.1", "idna==3.10"}));
    EXPECT_EQ(pin_key("Charset_Normalizer", "3.0"), "charset-normalizer==3.0");
    EXPECT_EQ(pin_key("x", "1.0.post0"), "x==1.0.post0");
}

TEST(session_files, an_unresolvable_outcome_is_its_explanation_with_hints) {
    resolution_outcome r;
    r.explanation = "Because app needs lib>=2 and no version of lib matches, ...\n \n";
    r.hints = {"pre-releases of lib are available; use --pre"};
    r.warnings = {"lib is on two indexes"};
    auto o = unresolvable_outcome(r);
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.error, "Because app needs lib>=2 and no version of lib matches, ...");
    EXPECT_EQ(o.hints, r.hints);
    EXPECT_EQ(o.warnings, r.warnings);
}

TEST(session_files, job_facts_put_the_answers_warnings_and_yanked_pins_first) {
    job_target target;
    target.markers.values = {{"python_version", "3.11"}};
    target.installed.push_back({"idna", *core::version::parse("3.10")});
    EXPECT_TRUE(is_installed(target, false, "IDNA", "3.10.0"));
    EXPECT_FALSE(is_installed(target, true, "idna", "3.10")) << "--force-reinstall";
    EXPECT_FALSE(is_installed(target, false, "idna", "3.9"));
    resolution_outcome r;
    r.ok = true;
    r.warnings = {"lib is on two indexes"};
    resolved_pin lib;
    lib.name = "lib";
    lib.version = "1.0";
    lib.yanked = true;
    r.pins = {lib};
    job_outcome o;
    o.warnings = {"interrupted after the installation was committed"};
    job_sources sources;
    add_job_facts(o, target, &r, sources, download_book{}, "");
    ASSERT_EQ(o.warnings.size(), 3u);
    EXPECT_EQ(o.warnings[0], "lib is on two indexes");
    EXPECT_NE(o.warnings[1].find("lib==1.0 is yanked"), std::string::npos) << o.warnings[1];
    EXPECT_EQ(o.warnings[2], "interrupted after the installation was committed");
    ASSERT_EQ(o.resolution.size(), 1u);
    EXPECT_TRUE(o.resolution[0].yanked);
    EXPECT_EQ(o.environment,
              (std::vector<std::pair<std::string, std::string>>{{"python_version", "3.11"}}));
}

TEST(installation_report, follows_pips_format_version_1) {
    job_outcome o;
    resolved_distribution a;
    a.name = "requests";
    a.version = "2.32.3";
    a.url = "https://example/requests-2.32.3-py3-none-any.whl";
    a.sha256 = std::string(64, 'd');
    a.requested = true;
    a.requested_extras = {"socks"};
    a.requires_dist = {"idna<4,>=2.5"};
    a.requires_python = ">=3.8";
    resolved_distribution kept;
    kept.name = "idna";
    kept.version = "3.10";
    kept.already_installed = true;
    o.resolution = {a, kept};
    o.environment = {{"python_version", "3.11"}};
    auto text = installation_report_json(o);
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    ASSERT_FALSE(doc.HasParseError()) << text;
    EXPECT_STREQ(doc["version"].GetString(), "1");
    EXPECT_STREQ(doc["environment"]["python_version"].GetString(), "3.11");
    ASSERT_EQ(doc["install"].Size(), 1u) << "installed distributions are not in `install`";
    const auto& item = doc["install"][0];
    EXPECT_STREQ(item["download_info"]["url"].GetString(), a.url.c_str());
    EXPECT_EQ(std::string(item["download_info"]["archive_info"]["hash"].GetString()),
              "sha256=" + a.sha256);
    EXPECT_TRUE(item["requested"].GetBool());
    EXPECT_FALSE(item["is_direct"].GetBool());
    EXPECT_FALSE(item["is_yanked"].GetBool());
    EXPECT_STREQ(item["requested_extras"][0].GetString(), "socks");
    EXPECT_STREQ(item["metadata"]["name"].GetString(), "requests");
    EXPECT_STREQ(item["metadata"]["version"].GetString(), "2.32.3");
    EXPECT_STREQ(item["metadata"]["requires_dist"][0].GetString(), "idna<4,>=2.5");
    EXPECT_STREQ(item["metadata"]["requires_python"].GetString(), ">=3.8");
}

} // namespace
