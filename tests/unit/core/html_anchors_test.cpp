#include "actpip/core/html_anchors.hpp"
#include "actpip/core/html_entities.hpp"

#include <gtest/gtest.h>

namespace actpip::core {
namespace {

TEST(HtmlEntities, DecodesAsPythonHtmlUnescape) {
    const std::pair<const char*, const char*> rows[] = {
        {"&gt;=3.8", ">=3.8"},
        {"&lt;4&#44;&gt;=3", "<4,>=3"},
        {"&#x3E;&#X3e;&#62", ">>>"},
        {"a&amp;b", "a&b"},
        {"&ampx", "&x"},
        {"&quot;&apos;", "\"'"},
        {"&#0;", "\xEF\xBF\xBD"},
        {"&#xD800;", "\xEF\xBF\xBD"},
        {"&#x110000;", "\xEF\xBF\xBD"},
        {"&#128;", "\xE2\x82\xAC"}, // Windows-1252: euro sign
        {"&#169;&copy;", "\xC2\xA9\xC2\xA9"},
        {"&#x1F600;", "\xF0\x9F\x98\x80"},
        {"&unknown; & &#; &#x;", "&unknown; & &#; &#x;"},
        {"plain", "plain"},
    };
    for (const auto& [in, out] : rows) {
        EXPECT_EQ(html_unescape(in), out) << in;
    }
}

TEST(HtmlAnchors, AttributesInEveryQuotingStyle) {
    auto links = scan_html_links(
        "<a href=\"d.whl\" data-x='s q' data-y=unq data-z data-w = \"sp\" HREF=\"dup\">t</a>");
    ASSERT_TRUE(links) << links.error().message;
    ASSERT_EQ(links->anchors.size(), 1u);
    const auto& a = links->anchors[0];
    EXPECT_EQ(a.get("href"), "d.whl");
    EXPECT_EQ(a.get("data-x"), "s q");
    EXPECT_EQ(a.get("data-y"), "unq");
    EXPECT_EQ(a.get("data-z"), "");
    EXPECT_EQ(a.get("data-w"), "sp");
    EXPECT_FALSE(a.get("missing"));
    EXPECT_EQ(a.text, "t");
}

TEST(HtmlAnchors, SkipsCommentsScriptsAndStrayMarkup) {
    auto links = scan_html_links("<!-- <a href=x> --><script>'<a href=y>'</script>"
                                 "1 < 2 </ x><?pi?><a href=z>z &amp; <b>bold</b></a>"
                                 "<a href=open>unclosed");
    ASSERT_TRUE(links);
    ASSERT_EQ(links->anchors.size(), 2u);
    EXPECT_EQ(links->anchors[0].get("href"), "z");
    EXPECT_EQ(links->anchors[0].text, "z & bold");
    EXPECT_EQ(links->anchors[1].get("href"), "open");
    EXPECT_EQ(links->anchors[1].text, "unclosed");
}

TEST(HtmlAnchors, BaseAndMeta) {
    auto links = scan_html_links("<base href='https://b/'><base href='https://ignored/'>"
                                 "<meta name=\"pypi:repository-version\" content=\"1.1\"/>");
    ASSERT_TRUE(links);
    EXPECT_EQ(links->base_href, "https://b/");
    ASSERT_EQ(links->metas.size(), 1u);
    EXPECT_EQ(links->metas[0].get("content"), "1.1");
}

TEST(HtmlAnchors, UnterminatedMarkupIsAnErrorWithALine) {
    auto quote = scan_html_links("<html>\n<a href=\"x>text</a>\n");
    ASSERT_FALSE(quote);
    EXPECT_NE(quote.error().message.find("line 2"), std::string::npos) << quote.error().message;
    EXPECT_NE(quote.error().message.find("never closed"), std::string::npos);
    EXPECT_FALSE(scan_html_links("<a href=x"));
}

} // namespace
} // namespace actpip::core
