#include "actpip/core/candidate_selector.hpp"
#include "actpip/core/index_merge.hpp"
#include "actpip/core/platform_tags.hpp"

#include <gtest/gtest.h>

namespace actpip::core {
namespace {

struct file_spec {
    file_spec(const char* name, std::optional<std::string> rp = std::nullopt, bool y = false)
        : filename(name), requires_python(std::move(rp)), yanked(y) {}
    std::string filename;
    std::optional<std::string> requires_python;
    bool yanked = false;
};

project_page page_of(std::string name, const std::vector<file_spec>& files,
                     const std::string& base = "https://pypi.org/files/") {
    project_page page;
    page.name = std::move(name);
    page.url = "https://pypi.org/simple/" + page.name + "/";
    for (const auto& f : files) {
        project_file file;
        file.filename = f.filename;
        file.url = base + f.filename;
        file.requires_python = f.requires_python;
        file.yanked = f.yanked;
        page.files.push_back(std::move(file));
    }
    return page;
}

std::vector<candidate> candidates_of(const project_page& page) {
    return candidates_from_page(page, page.name, "https://pypi.org/simple").candidates;
}

selection_policy cpython_312() {
    interpreter_info info;
    info.version = {3, 12};
    info.glibc = major_minor{2, 36};
    static const auto tags = supported_tags(info);
    selection_policy policy;
    policy.tags = tag_ranker(tags);
    policy.python_version = *version::parse("3.12.1");
    return policy;
}

specifier_set spec(const char* text) {
    return *specifier_set::parse(text);
}

std::vector<std::string> filenames(const candidate_selection& s) {
    std::vector<std::string> out;
    for (const auto& c : s.applicable) {
        out.push_back(c.file.filename);
    }
    return out;
}

const auto mixed =
    page_of("demo", {{"demo-1.0.tar.gz"},
                     {"demo-1.0-py3-none-any.whl"},
                     {"demo-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
                     {"demo-2.0-py3-none-any.whl"},
                     {"demo-2.0-1-py3-none-any.whl"},
                     {"demo-2.0-cp312-cp312-win_amd64.whl"},
                     {"demo-2.0.tar.gz"},
                     {"demo-2.1-py3-none-any.whl", ">=3.13"},
                     {"demo-2.2-py3-none-any.whl", std::nullopt, true},
                     {"demo-3.0b1-py3-none-any.whl"},
                     {"demo-2.0-py3-none-any.egg"},
                     {"other-9.0-py3-none-any.whl"}});

TEST(CandidatesFromPage, KeepsWheelsAndSdistsOfTheProject) {
    auto found = candidates_from_page(mixed, "Demo", "idx");
    EXPECT_EQ(found.candidates.size(), 10u);
    ASSERT_EQ(found.skipped.size(), 2u);
    EXPECT_EQ(found.skipped[0].filename, "demo-2.0-py3-none-any.egg");
    EXPECT_EQ(found.skipped[1].reason, "a distribution of other, not demo");
    EXPECT_EQ(found.candidates[0].kind, distribution_kind::sdist);
    EXPECT_EQ(found.candidates[0].source, "idx");
}

TEST(CandidateSelector, NewestFirstThenWheelsThenBestTagThenBuild) {
    auto all = candidates_of(mixed);
    auto policy = cpython_312();
    policy.allow_sdists = true; // for the order only
    auto s = select_candidates(all, {}, policy);
    EXPECT_EQ(filenames(s),
              (std::vector<std::string>{
                  "demo-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                  "demo-2.0-1-py3-none-any.whl", "demo-2.0-py3-none-any.whl", "demo-2.0.tar.gz",
                  "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"}));
    auto per_version = s.best_per_version();
    ASSERT_EQ(per_version.size(), 2u);
    EXPECT_EQ(per_version[1]->file.filename, "demo-1.0-py3-none-any.whl");
}

TEST(CandidateSelector, RejectionReasons) {
    auto all = candidates_of(mixed);
    auto s = select_candidates(all, {}, cpython_312());
    std::map<std::string, rejection> why;
    for (const auto& r : s.rejected) {
        why[r.what.file.filename] = r.why;
    }
    EXPECT_EQ(why["demo-2.0-cp312-cp312-win_amd64.whl"], rejection::incompatible_tags);
    EXPECT_EQ(why["demo-2.1-py3-none-any.whl"], rejection::requires_python);
    EXPECT_EQ(why["demo-2.2-py3-none-any.whl"], rejection::yanked);
    EXPECT_EQ(why["demo-3.0b1-py3-none-any.whl"], rejection::prerelease);
    EXPECT_EQ(why["demo-2.0.tar.gz"], rejection::source_not_allowed);
    EXPECT_EQ(s.best()->file.filename,
              "demo-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
}

TEST(CandidateSelector, YankedOnlyWhenPinned) {
    auto all = candidates_of(mixed);
    auto policy = cpython_312();
    EXPECT_EQ(select_candidates(all, spec(">=2.2"), policy).best()->file.filename,
              "demo-3.0b1-py3-none-any.whl"); // only a pre-release left: allowed
    EXPECT_FALSE(select_candidates(all, spec(">=2.2,<3.0a0"), policy).best());
    EXPECT_EQ(select_candidates(all, spec("==2.2"), policy).best()->file.filename,
              "demo-2.2-py3-none-any.whl");
    EXPECT_EQ(select_candidates(all, spec("===2.2"), policy).best()->file.filename,
              "demo-2.2-py3-none-any.whl");
    EXPECT_FALSE(select_candidates(all, spec("==2.2.*"), policy).best());
}

TEST(CandidateSelector, PreReleases) {
    auto all = candidates_of(mixed);
    auto policy = cpython_312();
    EXPECT_EQ(select_candidates(all, spec(">=1.0"), policy).best()->version.to_string(), "2.0");
    EXPECT_EQ(select_candidates(all, spec(">=3.0b1"), policy).best()->version.to_string(), "3.0b1");
    policy.allow_prereleases = true;
    EXPECT_EQ(select_candidates(all, {}, policy).best()->version.to_string(), "3.0b1");
}

TEST(CandidateSelector, RequiresPython) {
    auto all = candidates_of(page_of("rp", {{"rp-1.0-py3-none-any.whl", ">=3.8"},
                                            {"rp-2.0-py3-none-any.whl", ">=3.13"},
                                            {"rp-3.0-py3-none-any.whl", "not a specifier"}}));
    auto policy = cpython_312();
    EXPECT_EQ(select_candidates(all, spec("<3"), policy).best()->version.to_string(), "1.0");
    // An invalid Requires-Python is ignored, as pip does.
    EXPECT_EQ(select_candidates(all, {}, policy).best()->version.to_string(), "3.0");
    policy.python_version = *version::parse("3.13.0rc1"); // pre-release Pythons still match
    EXPECT_EQ(select_candidates(all, spec("<3"), policy).best()->version.to_string(), "2.0");
}

TEST(CandidateSelector, OnlyBinaryAndNoBinary) {
    auto all = candidates_of(mixed);
    auto policy = cpython_312();
    policy.allow_sdists = true;
    policy.formats.add_no_binary(":all:");
    EXPECT_EQ(select_candidates(all, {}, policy).best()->file.filename, "demo-2.0.tar.gz");
    policy.formats.add_only_binary("Demo");
    EXPECT_TRUE(select_candidates(all, {}, policy).best()->is_wheel());
    format_control formats;
    formats.add_only_binary(":all:");
    formats.add_no_binary("a,b");
    EXPECT_FALSE(formats.allows_sdist("c"));
    EXPECT_TRUE(formats.allows_sdist("a"));
    EXPECT_FALSE(formats.allows_wheel("b"));
    formats.add_no_binary(":none:");
    EXPECT_TRUE(formats.allows_wheel("b"));
}

TEST(CandidateSelector, SdistOnlyIsAClearError) {
    auto all = candidates_of(page_of("sd", {{"sd-1.0.tar.gz"},
                                            {"sd-1.1.zip"},
                                            {"sd-1.1-cp39-cp39-win_amd64.whl"},
                                            {"sd-0.9-py3-none-any.whl"}}));
    auto best = best_candidate("SD", all, spec(">=1.0"), cpython_312());
    ASSERT_FALSE(best);
    EXPECT_EQ(best.error().code, errc::unsupported);
    EXPECT_EQ(best.error().message, "no wheel of sd>=1.0 matches this environment; building "
                                    "sdists is not supported yet");
    ASSERT_EQ(best.error().hints.size(), 3u);
    EXPECT_EQ(best.error().hints[0], "closest candidate: sd-1.1.zip (sdist)");
    EXPECT_EQ(best.error().hints[1],
              "closest candidate: sd-1.1-cp39-cp39-win_amd64.whl (no compatible tag)");
    EXPECT_EQ(best.error().hints[2], "closest candidate: sd-1.0.tar.gz (sdist)");

    auto none = best_candidate("sd", all, spec(">=5"), cpython_312());
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, errc::not_found);
    EXPECT_EQ(none.error().hints.at(0), "available versions: 1.1, 1.0, 0.9");
    EXPECT_EQ(best_candidate("sd", all, spec("<1"), cpython_312())->version.to_string(), "0.9");
    EXPECT_FALSE(best_candidate("sd", {}, {}, cpython_312()));
}

TEST(IndexMerge, FirstIndexWinsAgainstDependencyConfusion) {
    std::vector<source_page> indexes{
        {"https://internal/simple", page_of("corp-lib", {{"corp_lib-1.0-py3-none-any.whl"}})},
        {"https://empty/simple", std::nullopt},
        {"https://pypi.org/simple",
         page_of("corp-lib", {{"corp_lib-99.0-py3-none-any.whl"}}, "https://evil/")},
    };
    auto merged = merge_sources("Corp_Lib", indexes, {});
    ASSERT_EQ(merged.candidates.size(), 1u);
    EXPECT_EQ(merged.candidates[0].version.to_string(), "1.0");
    EXPECT_EQ(merged.sources_used, std::vector<std::string>{"https://internal/simple"});
    ASSERT_EQ(merged.warnings.size(), 1u);
    EXPECT_NE(merged.warnings[0].find("corp-lib is also on https://pypi.org/simple"),
              std::string::npos);
    EXPECT_NE(merged.warnings[0].find("unsafe-best-match"), std::string::npos);

    auto unsafe = merge_sources("corp-lib", indexes, {}, index_strategy::unsafe_best_match);
    EXPECT_EQ(unsafe.candidates.size(), 2u);
    EXPECT_TRUE(unsafe.warnings.empty());
    EXPECT_EQ(select_candidates(unsafe.candidates, {}, cpython_312()).best()->file.url,
              "https://evil/corp_lib-99.0-py3-none-any.whl");

    // A later index is used when earlier ones do not have the project at all.
    std::vector<source_page> only_later{indexes[1], indexes[2]};
    EXPECT_EQ(merge_sources("corp-lib", only_later, {}).sources_used,
              std::vector<std::string>{"https://pypi.org/simple"});
    EXPECT_EQ(parse_index_strategy("unsafe-best-match"), index_strategy::unsafe_best_match);
    EXPECT_FALSE(parse_index_strategy("best"));
}

TEST(IndexMerge, FindLinksFeedTheSameModel) {
    std::vector<source_page> indexes{
        {"https://pypi.org/simple", page_of("alpha", {{"alpha-0.5-py3-none-any.whl"}})}};
    auto flat = project_page_from_filenames(
        "file:///srv/wheels/",
        {"alpha-1.0-py3-none-any.whl", "beta-2.0-py3-none-any.whl", "alpha-1.1.tar.gz"});
    std::vector<source_page> links{{"/srv/wheels", flat}, {"/nowhere", std::nullopt}};
    auto merged = merge_sources("alpha", indexes, links);
    ASSERT_EQ(merged.candidates.size(), 3u);
    EXPECT_EQ(merged.sources_used.size(), 2u);
    auto selection = select_candidates(merged.candidates, {}, cpython_312());
    const auto* best = selection.best();
    ASSERT_NE(best, nullptr);
    EXPECT_EQ(best->file.url, "file:///srv/wheels/alpha-1.0-py3-none-any.whl");
    EXPECT_EQ(best->source, "/srv/wheels");
    auto no_index = merge_sources("alpha", {}, links); // --no-index
    EXPECT_EQ(no_index.candidates.size(), 2u);
}

} // namespace
} // namespace actpip::core
