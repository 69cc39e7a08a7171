#pragma once
// Private to core: the pieces of PEP 508 shared by the marker and requirement parsers. They
// follow packaging 21.3, whose grammar is written with pyparsing:
// - parseString() first expands tabs (str.expandtabs(8)), so a tab is never seen as such;
// - every token skips pyparsing's whitespace " \n\t\r" before it, and literals match without
//   word boundaries (`os_name=="a"andpython_version>"3"` is valid);
// - the marker tree keeps pyparsing's shape: a flat list of items and "and"/"or" strings,
//   parenthesised groups as nested lists. Printing and evaluating walk that shape as
//   packaging does, which matters for str() (`((a or b)) and c` prints without parentheses).

#include "actpip/core/marker.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

struct marker_operand {
    bool is_variable = false;
    std::string value; // the canonical variable name, or the unquoted string
};

// One comparison `lhs op rhs` (a tuple in packaging's tree).
struct marker_item {
    marker_operand lhs;
    std::string op; // "===", "==", ..., "not in", "in"
    marker_operand rhs;
};

// Either an item or a list (the whole marker, or a group in parentheses).
struct marker::node {
    bool is_item = false;
    marker_item item;            // when is_item
    std::vector<node> elements;  // when a list: at least one
    std::vector<bool> or_before; // when a list: or_before[i] is the operator between
                                 // elements[i] and elements[i + 1] ("or" when true)
};

// Gives the marker sources access to marker's private representation.
struct marker_builder {
    static marker make(std::shared_ptr<const marker::node> root) {
        marker m;
        m.root_ = std::move(root);
        return m;
    }
    static const marker::node* root(const marker& m) { return m.root_.get(); }
};

namespace detail::pep508 {

// A text with its tabs expanded as str.expandtabs() does (columns count code points and restart
// after '\n' and '\r'), and where each byte came from, for error positions.
struct expanded_text {
    std::string text;
    std::vector<std::size_t> origin; // empty when the text had no tabs

    std::size_t original_pos(std::size_t pos) const;
};
expanded_text expand_tabs(std::string_view s);

// pyparsing's default whitespace.
inline bool is_pp_space(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}
inline std::size_t skip_pp_spaces(std::string_view s, std::size_t pos) {
    while (pos < s.size() && is_pp_space(s[pos])) {
        ++pos;
    }
    return pos;
}

// The furthest point a parse reached before failing, with what was expected there.
struct parse_failure {
    std::size_t pos = 0;
    std::string expected;
    bool set = false;

    void note(std::size_t at, std::string_view what);
};

// MARKER_EXPR of packaging 21.3 at text[pos] (tabs already expanded): on success the list node
// and the end of the expression (trailing whitespace not included). Failures, including the
// ones a successful parse backed out of, are noted in `failure`.
struct marker_expr {
    marker::node list;
    std::size_t end = 0;
};
//
// Nesting is limited where packaging, called from a shallow Python stack, hits the recursion
// limit (a RecursionError rather than InvalidMarker): 89 levels of parentheses in a marker,
// 87 in a requirement's marker.
constexpr int max_marker_depth = 88;
constexpr int max_requirement_marker_depth = 86;
std::optional<marker_expr> parse_marker_expr(std::string_view text, std::size_t pos,
                                             parse_failure& failure, int max_depth);

// Where VERSION_ONE of packaging 21.3's requirement grammar (a PEP 440 or legacy specifier
// token) ends when it starts at text[pos] (after whitespace); npos when nothing matches.
std::size_t version_one_end(std::string_view text, std::size_t pos);

// Python's `urllib.parse` checks that packaging 21.3 applies to `name @ url`: empty when the
// URL is accepted, else the reason.
std::string url_problem(std::string_view url);

} // namespace detail::pep508
} // namespace actpip::core
