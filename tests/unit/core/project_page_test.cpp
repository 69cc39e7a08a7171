#include "actpip/core/project_page.hpp"

#include "support/files.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

namespace actpip::core {
namespace {

std::string read_sample(const std::string& name) {
    return test::read_file(test::data_dir() / "index" / name);
}

std::string hex(char c) {
    return std::string(64, c);
}

const std::string pypi_url = "https://pypi.org/simple/demo-pkg/";

// What both of PyPI's shapes of pypi_demo.* say.
void expect_demo_page(const project_page& page) {
    EXPECT_EQ(page.name, "demo-pkg");
    EXPECT_EQ(page.api_version, "1.1");
    ASSERT_EQ(page.files.size(), 4u);

    const auto& sdist = page.files[0];
    EXPECT_EQ(sdist.filename, "demo_pkg-1.0.tar.gz");
    EXPECT_EQ(sdist.url, "https://files.pythonhosted.org/packages/aa/bb/demo_pkg-1.0.tar.gz");
    ASSERT_EQ(sdist.hashes.size(), 1u);
    EXPECT_EQ(sdist.hashes[0].to_string(), "sha256:" + hex('a'));
    EXPECT_FALSE(sdist.requires_python);
    EXPECT_FALSE(sdist.yanked);
    EXPECT_FALSE(sdist.core_metadata.available);

    const auto& wheel = page.files[1];
    EXPECT_EQ(wheel.requires_python, ">=3.8");
    ASSERT_TRUE(wheel.core_metadata.available);
    ASSERT_EQ(wheel.core_metadata.hashes.size(), 1u);
    EXPECT_EQ(wheel.core_metadata.hashes[0].hex, hex('b'));
    EXPECT_EQ(
        wheel.metadata_url(),
        "https://files.pythonhosted.org/packages/cc/dd/demo_pkg-2.0-py3-none-any.whl.metadata");
    ASSERT_NE(wheel.best_hash(), nullptr);
    EXPECT_EQ(wheel.best_hash()->hex, hex('c'));

    const auto& yanked = page.files[2];
    EXPECT_TRUE(yanked.yanked);
    EXPECT_EQ(yanked.yanked_reason, "broken on 3.12: see issue 42");
    EXPECT_TRUE(yanked.core_metadata.available);
    EXPECT_TRUE(yanked.core_metadata.hashes.empty());

    const auto& relative = page.files[3];
    EXPECT_EQ(relative.url, "https://pypi.org/packages/demo_pkg-3.0b1-py3-none-any.whl");
    EXPECT_TRUE(relative.yanked);
    EXPECT_FALSE(relative.yanked_reason);
    EXPECT_TRUE(relative.hashes.empty());
    EXPECT_EQ(relative.requires_python, ">=3.10");
    ASSERT_EQ(relative.core_metadata.hashes.size(), 1u); // the older spelling
    EXPECT_EQ(relative.core_metadata.hashes[0].hex, hex('e'));
}

TEST(ProjectPage, PypiJsonSample) {
    auto page = parse_project_page(read_sample("pypi_demo.json"),
                                   "application/vnd.pypi.simple.v1+json", pypi_url, "Demo.Pkg");
    ASSERT_TRUE(page) << page.error().describe();
    expect_demo_page(*page);
    EXPECT_EQ(page->versions, (std::vector<std::string>{"1.0", "2.0", "2.1", "3.0b1"}));
    EXPECT_EQ(page->files[1].size, 5321u);
    EXPECT_EQ(page->files[1].upload_time, "2023-05-01T12:00:00.123456Z");
    EXPECT_EQ(page->files[1].hashes.size(), 1u); // blake2b_256 is not a known algorithm
}

TEST(ProjectPage, PypiHtmlSample) {
    auto page = parse_project_page(read_sample("pypi_demo.html"), "text/html; charset=utf-8",
                                   pypi_url, "demo_pkg");
    ASSERT_TRUE(page) << page.error().describe();
    expect_demo_page(*page);
    EXPECT_TRUE(page->versions.empty());
}

TEST(ProjectPage, CorpusSamplesAgreeAcrossFormats) {
    for (const char* project : {"idna", "cffi"}) {
        std::string url = std::string("http://127.0.0.1:8080/simple/") + project + "/";
        auto json = parse_project_page(read_sample(std::string("corpus_") + project + ".json"),
                                       "application/vnd.pypi.simple.v1+json", url, project);
        auto html = parse_project_page(read_sample(std::string("corpus_") + project + ".html"),
                                       "application/vnd.pypi.simple.v1+html", url, project);
        ASSERT_TRUE(json) << json.error().describe();
        ASSERT_TRUE(html) << html.error().describe();
        ASSERT_EQ(json->files.size(), html->files.size());
        for (std::size_t i = 0; i < json->files.size(); ++i) {
            const auto& j = json->files[i];
            const auto& h = html->files[i];
            EXPECT_EQ(j.filename, h.filename);
            EXPECT_EQ(j.url, h.url);
            EXPECT_TRUE(j.url.starts_with("http://127.0.0.1:8080/files/")) << j.url;
            EXPECT_EQ(j.hashes, h.hashes);
            EXPECT_EQ(j.requires_python, h.requires_python);
            EXPECT_EQ(j.core_metadata.hashes, h.core_metadata.hashes);
            EXPECT_TRUE(j.size.has_value());
        }
    }
}

TEST(ProjectPage, OddButValidHtml) {
    auto page = parse_project_page(read_sample("odd_but_valid.html"), "TEXT/HTML",
                                   "https://index.example/simple/odd/", "odd");
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_EQ(page->files.size(), 6u);
    const auto& f = page->files;
    EXPECT_EQ(f[0].url, "https://mirror.example/pkgs/odd/odd-1.0-py2.py3-none-any.whl");
    EXPECT_EQ(f[0].requires_python, ">=2.7, !=3.0.*");
    EXPECT_EQ(f[0].hashes.at(0).hex, hex('a'));
    EXPECT_EQ(f[1].requires_python, ">=3.6,<4");
    EXPECT_EQ(f[1].hashes.at(0).algorithm, hash_algorithm::md5);
    EXPECT_TRUE(f[1].yanked);
    EXPECT_FALSE(f[1].yanked_reason);
    EXPECT_EQ(f[2].url, "https://mirror.example/pkgs/odd/sub/odd-1.2.tar.gz");
    EXPECT_TRUE(f[2].core_metadata.available);
    EXPECT_TRUE(f[2].core_metadata.hashes.empty());
    EXPECT_EQ(f[3].url, "https://mirror.example/absolute/odd-1.3.zip?download=1");
    EXPECT_EQ(f[3].filename, "odd-1.3.zip");
    EXPECT_EQ(f[3].hashes.at(0).hex, hex('b'));
    EXPECT_EQ(f[4].filename, "odd+-1.4.tar.gz");
    EXPECT_EQ(f[5].url, "https://other.example/odd-1.5-py3-none-any.whl");
    EXPECT_EQ(f[5].core_metadata.hashes.at(0).hex, hex('c'));
}

TEST(ProjectPage, FindLinksPageAndDirectory) {
    auto page =
        parse_project_page_html(read_sample("find_links.html"), "https://example.org/links/", "");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->name, "");
    EXPECT_EQ(page->files.size(), 6u);
    auto dir = project_page_from_filenames("file:///srv/my wheels",
                                           {"a-1.0-py3-none-any.whl", "b c-1.0.tar.gz"});
    ASSERT_EQ(dir.files.size(), 2u);
    EXPECT_EQ(dir.files[0].url, "file:///srv/my wheels/a-1.0-py3-none-any.whl");
    EXPECT_EQ(dir.files[1].url, "file:///srv/my wheels/b%20c-1.0.tar.gz");
    EXPECT_EQ(dir.files[1].filename, "b c-1.0.tar.gz");
}

TEST(ProjectPage, ContentTypeDispatch) {
    EXPECT_EQ(page_format_for("application/vnd.pypi.simple.v1+json"), page_format::json);
    EXPECT_EQ(page_format_for("Application/Vnd.Pypi.Simple.Latest+JSON ; q=1"), page_format::json);
    EXPECT_EQ(page_format_for("application/vnd.pypi.simple.v1+html"), page_format::html);
    EXPECT_EQ(page_format_for("text/html;charset=UTF-8"), page_format::html);
    EXPECT_FALSE(page_format_for("application/json"));
    EXPECT_FALSE(page_format_for("application/vnd.pypi.simple.v2+json"));
    auto wrong = parse_project_page("{}", "application/octet-stream", pypi_url, "demo");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, errc::unsupported);
    EXPECT_NE(wrong.error().message.find(pypi_url), std::string::npos);
    EXPECT_NE(wrong.error().message.find("application/octet-stream"), std::string::npos);
}

TEST(ProjectPage, MalformedPagesNameTheUrlAndTheCause) {
    const std::pair<const char*, const char*> json_rows[] = {
        {"malformed_trailing_comma.json", "invalid JSON at byte"},
        {"malformed_api_version.json", "unsupported repository API version 2.0"},
        {"malformed_missing_url.json", "files[0]: demo-1.0.tar.gz: \"url\" is missing"},
        {"malformed_bad_hash.json", "files[0]: demo-1.0.tar.gz: \"hashes\""},
    };
    for (const auto& [file, cause] : json_rows) {
        auto page = parse_project_page(read_sample(file), "application/vnd.pypi.simple.v1+json",
                                       "https://idx/simple/demo/", "demo");
        ASSERT_FALSE(page) << file;
        const auto& message = page.error().message;
        EXPECT_NE(message.find("malformed index page https://idx/simple/demo/"), std::string::npos)
            << message;
        EXPECT_NE(message.find(cause), std::string::npos) << message;
    }
    auto html = parse_project_page(read_sample("malformed_unclosed_quote.html"), "text/html",
                                   "https://idx/simple/demo/", "demo");
    ASSERT_FALSE(html);
    EXPECT_NE(html.error().message.find("https://idx/simple/demo/"), std::string::npos);
    EXPECT_NE(html.error().message.find("line 2"), std::string::npos) << html.error().message;

    auto other = parse_project_page(R"({"meta":{"api-version":"1.0"},"name":"x","files":[]})",
                                    "application/vnd.pypi.simple.v1+json", "https://i/", "demo");
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().message.find("not 'demo'"), std::string::npos);
    EXPECT_FALSE(parse_project_page(std::string("<a\0>", 4), "text/html", "https://i/", "d"));
    EXPECT_FALSE(
        parse_project_page("[]", "application/vnd.pypi.simple.v1+json", "https://i/", "d"));
    EXPECT_FALSE(parse_project_page("<meta name=pypi:repository-version content=2.0>", "text/html",
                                    "https://i/", "d"));
    auto bad_fragment = parse_project_page("<a href='d-1.0.tar.gz#sha256=xyz'>d</a>", "text/html",
                                           "https://i/", "d");
    ASSERT_FALSE(bad_fragment);
    EXPECT_NE(bad_fragment.error().message.find("https://i/d-1.0.tar.gz#sha256=xyz"),
              std::string::npos)
        << bad_fragment.error().message;
}

} // namespace
} // namespace actpip::core
