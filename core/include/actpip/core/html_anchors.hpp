#pragma once
// A tolerant scanner for what a PEP 503 page says: its <a> elements with their attributes
// and text, <base href>, and <meta name=... content=...>. It follows the HTML tokenizer
// where index pages go: tag and attribute names are case-insensitive, values may be
// double-quoted, single-quoted or unquoted, attributes may lack a value, the first of
// duplicated attributes wins, character references are decoded in values and text,
// comments, doctypes, processing instructions and <script>/<style> contents are skipped,
// and a '<' that does not open a tag is text. Only an attribute value or a tag left open
// at the end of the page is an error.

#include "actpip/core/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

struct html_attribute {
    std::string name;                 // lower-cased
    std::optional<std::string> value; // character references decoded; nullopt: no '='
};

struct html_element {
    std::string tag; // lower-cased: "a", "base", "meta"
    std::vector<html_attribute> attributes;
    std::string text; // <a> only: the text inside, decoded, whitespace-trimmed

    const html_attribute* find(std::string_view name) const;
    // The value of `name`: nullopt when absent, "" when present without a value.
    std::optional<std::string> get(std::string_view name) const;
};

struct html_links {
    std::vector<html_element> anchors;
    std::vector<html_element> metas;
    std::optional<std::string> base_href; // the first <base href=...>
};

result<html_links> scan_html_links(std::string_view html);

} // namespace actpip::core
