// PEP 508 markers: the parser and printer of packaging 21.3 (see pep508_detail.hpp for the
// pyparsing behaviour reproduced here). Evaluation is in marker_eval.cpp.

#include "actpip/core/marker.hpp"

#include "pep508_detail.hpp"

#include <array>
#include <optional>
#include <utility>

namespace actpip::core {
namespace detail::pep508 {

std::size_t expanded_text::original_pos(std::size_t pos) const {
    if (origin.empty()) {
        return pos;
    }
    return pos < origin.size() ? origin[pos] : origin.back() + 1 + (pos - origin.size());
}

expanded_text expand_tabs(std::string_view s) {
    expanded_text out;
    if (s.find('\t') == std::string_view::npos) {
        out.text = std::string(s);
        return out;
    }
    std::size_t column = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\t') {
            const std::size_t spaces = 8 - column % 8;
            out.text.append(spaces, ' ');
            out.origin.insert(out.origin.end(), spaces, i);
            column += spaces;
            continue;
        }
        out.text += c;
        out.origin.push_back(i);
        if (c == '\n' || c == '\r') {
            column = 0;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column; // a code point starts here
        }
    }
    return out;
}

void parse_failure::note(std::size_t at, std::string_view what) {
    if (!set || at > pos) {
        pos = at;
        expected = std::string(what);
        set = true;
    } else if (at == pos && expected.find(what) == std::string::npos) {
        expected += " or ";
        expected += what;
    }
}

namespace {

// VARIABLE of packaging 21.3, in its order (a MatchFirst of literals), with the aliases.
struct variable_spelling {
    std::string_view text;
    std::string_view canonical;
};
constexpr std::array<variable_spelling, 18> variables{{
    {"implementation_version", "implementation_version"},
    {"platform_python_implementation", "platform_python_implementation"},
    {"implementation_name", "implementation_name"},
    {"python_full_version", "python_full_version"},
    {"platform_release", "platform_release"},
    {"platform_version", "platform_version"},
    {"platform_machine", "platform_machine"},
    {"platform_system", "platform_system"},
    {"python_version", "python_version"},
    {"sys_platform", "sys_platform"},
    {"os_name", "os_name"},
    {"os.name", "os_name"},                                               // PEP 345
    {"sys.platform", "sys_platform"},                                     // PEP 345
    {"platform.version", "platform_version"},                             // PEP 345
    {"platform.machine", "platform_machine"},                             // PEP 345
    {"platform.python_implementation", "platform_python_implementation"}, // PEP 345
    {"python_implementation", "platform_python_implementation"},          // setuptools
    {"extra", "extra"},
}};

// MARKER_OP: VERSION_CMP | "not in" | "in", in pyparsing's order.
constexpr std::array<std::string_view, 10> operators{
    "===", "==", ">=", "<=", "!=", "~=", ">", "<", "not in", "in"};

class parser {
public:
    parser(std::string_view text, parse_failure& failure, int max_depth)
        : t_(text), failure_(failure), max_depth_(max_depth) {}

    // MARKER_EXPR: atom (("and" | "or") atom)*, flat as pyparsing returns it.
    bool expr(std::size_t& pos, marker::node& list, int depth) {
        list.is_item = false;
        marker::node first;
        if (!atom(pos, first, depth)) {
            return false;
        }
        list.elements.push_back(std::move(first));
        for (;;) {
            std::size_t p = skip_pp_spaces(t_, pos);
            bool is_or = false;
            if (t_.substr(p).starts_with("and")) {
                p += 3;
            } else if (t_.substr(p).starts_with("or")) {
                p += 2;
                is_or = true;
            } else {
                failure_.note(p, "'and' or 'or'");
                return true;
            }
            marker::node next;
            if (!atom(p, next, depth)) {
                return true; // ZeroOrMore stops before the operator
            }
            list.elements.push_back(std::move(next));
            list.or_before.push_back(is_or);
            pos = p;
        }
    }

private:
    // MARKER_ATOM: an item, or a group in parentheses.
    bool atom(std::size_t& pos, marker::node& out, int depth) {
        std::size_t p = skip_pp_spaces(t_, pos);
        if (item(p, out.item)) {
            out.is_item = true;
            pos = p;
            return true;
        }
        if (p >= t_.size() || t_[p] != '(') {
            failure_.note(p, "'('");
            return false;
        }
        if (depth >= max_depth_) {
            failure_.note(p, "less deeply nested parentheses");
            return false;
        }
        ++p;
        if (!expr(p, out, depth + 1)) {
            return false;
        }
        p = skip_pp_spaces(t_, p);
        if (p >= t_.size() || t_[p] != ')') {
            failure_.note(p, "')'");
            return false;
        }
        pos = p + 1;
        return true;
    }

    // MARKER_ITEM: var op var.
    bool item(std::size_t& pos, marker_item& out) {
        std::size_t p = pos;
        if (!operand(p, out.lhs)) {
            return false;
        }
        p = skip_pp_spaces(t_, p);
        const std::size_t op_at = p;
        for (std::string_view op : operators) {
            if (t_.substr(p).starts_with(op)) {
                out.op = std::string(op);
                p += op.size();
                break;
            }
        }
        if (p == op_at) {
            failure_.note(p, "a marker operator");
            return false;
        }
        if (!operand(p, out.rhs)) {
            return false;
        }
        pos = p;
        return true;
    }

    // MARKER_VAR: a variable, or a string in single or double quotes.
    bool operand(std::size_t& pos, marker_operand& out) {
        const std::size_t p = skip_pp_spaces(t_, pos);
        for (const auto& v : variables) {
            if (t_.substr(p).starts_with(v.text)) {
                out.is_variable = true;
                out.value = std::string(v.canonical);
                pos = p + v.text.size();
                return true;
            }
        }
        if (p < t_.size() && (t_[p] == '\'' || t_[p] == '"')) {
            const char quote = t_[p];
            std::size_t q = p + 1;
            while (q < t_.size() && t_[q] != quote && t_[q] != '\n' && t_[q] != '\r') {
                ++q;
            }
            if (q < t_.size() && t_[q] == quote) {
                out.is_variable = false;
                out.value = unquote(t_.substr(p + 1, q - p - 1));
                pos = q + 1;
                return true;
            }
            failure_.note(q, std::string("a closing ") + quote);
            return false;
        }
        failure_.note(p, "a marker variable or a quoted string");
        return false;
    }

    // pyparsing's QuotedString(convertWhitespaceEscapes=True): \t \n \f \r (a backslash and a
    // letter) become the whitespace character; nothing else is an escape.
    static std::string unquote(std::string_view s) {
        std::string out;
        out.reserve(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\\' && i + 1 < s.size()) {
                const char n = s[i + 1];
                const char ws = n == 't'   ? '\t'
                                : n == 'n' ? '\n'
                                : n == 'f' ? '\f'
                                : n == 'r' ? '\r'
                                           : 0;
                if (ws != 0) {
                    out += ws;
                    ++i;
                    continue;
                }
            }
            out += s[i];
        }
        return out;
    }

    std::string_view t_;
    parse_failure& failure_;
    int max_depth_;
};

} // namespace

std::optional<marker_expr> parse_marker_expr(std::string_view text, std::size_t pos,
                                             parse_failure& failure, int max_depth) {
    parser p(text, failure, max_depth);
    marker_expr out;
    out.end = pos;
    if (!p.expr(out.end, out.list, 0)) {
        return std::nullopt;
    }
    return out;
}

} // namespace detail::pep508

namespace {

std::string serialize(const marker_operand& o) {
    return o.is_variable ? o.value : "\"" + o.value + "\"";
}

// packaging 21.3's _format_marker, including its habit of dropping the parentheses of a
// group that holds a single list or item.
std::string format(const marker::node& n, bool first) {
    if (n.is_item) {
        return serialize(n.item.lhs) + " " + n.item.op + " " + serialize(n.item.rhs);
    }
    if (n.elements.size() == 1) {
        return format(n.elements.front(), true);
    }
    std::string out = first ? "" : "(";
    for (std::size_t i = 0; i < n.elements.size(); ++i) {
        if (i > 0) {
            out += n.or_before[i - 1] ? " or " : " and ";
        }
        out += format(n.elements[i], false);
    }
    if (!first) {
        out += ')';
    }
    return out;
}

} // namespace

marker::marker() = default;

result<marker> marker::parse(std::string_view text) {
    using namespace detail::pep508;
    const expanded_text ex = expand_tabs(text);
    parse_failure failure;
    auto parsed = parse_marker_expr(ex.text, 0, failure, max_marker_depth);
    if (parsed) {
        const std::size_t end = skip_pp_spaces(ex.text, parsed->end);
        if (end == ex.text.size()) {
            return marker_builder::make(std::make_shared<const node>(std::move(parsed->list)));
        }
        failure.note(end, "the end of the marker");
    }
    return std::unexpected(parse_error(errc::invalid_marker, "marker", text,
                                       ex.original_pos(failure.pos),
                                       "expected " + failure.expected));
}

std::string marker::to_string() const {
    return root_ ? format(*root_, true) : std::string();
}

bool marker::empty() const {
    return root_ == nullptr;
}

} // namespace actpip::core
