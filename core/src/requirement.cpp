// PEP 508 requirements as packaging 21.3 parses them (its pyparsing grammar, reproduced as a
// PEG over the tab-expanded text):
//
//   REQUIREMENT  = NAME [EXTRAS] (URL_AND_MARKER | VERSION_AND_MARKER) end
//   NAME, EXTRA  = [A-Za-z0-9]+ ([-_.]* [A-Za-z0-9]+)*
//   EXTRAS       = "[" [EXTRA ("," EXTRA)*] "]"
//   URL_AND_MARKER     = "@" [^ ]+ [";" MARKER]    (the URL runs to the next space, so a
//                                                   marker after a URL needs a space before ";")
//   VERSION_AND_MARKER = ["(" VERSION_MANY ")" | VERSION_MANY] [";" MARKER]
//   VERSION_MANY = VERSION_ONE ("," VERSION_ONE)*   (see requirement_spec.cpp)
//
// Every token may be preceded by whitespace. The version tokens are joined with "," and parsed
// as a SpecifierSet; a clause that only LegacySpecifier accepts makes the requirement invalid
// here (pip 23.2.1 rejects those too). URLs are checked as in requirement_url.cpp.

#include "actpip/core/requirement.hpp"
#include "actpip/core/name.hpp"

#include "pep508_detail.hpp"

#include <algorithm>

namespace actpip::core {
namespace {

using namespace detail::pep508;

bool is_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct parsed_parts {
    std::string_view name;
    std::vector<std::string> extras;
    std::vector<std::string_view> tokens; // the version tokens, views into the parsed text
    std::optional<std::string_view> url;
    std::optional<marker::node> marker_tree;
};

class parser {
public:
    parser(std::string_view text, parse_failure& failure) : t_(text), failure_(failure) {}

    bool requirement(parsed_parts& out) {
        std::size_t p = 0;
        if (!identifier(p, out.name, "a project name")) {
            return false;
        }
        extras(p, out.extras);
        const std::size_t at = skip_pp_spaces(t_, p);
        if (!url_and_marker(at, p, out)) {
            version_and_marker(p, out);
        }
        p = skip_pp_spaces(t_, p);
        if (p != t_.size()) {
            failure_.note(p, "the end of the requirement");
            return false;
        }
        return true;
    }

private:
    bool identifier(std::size_t& pos, std::string_view& out, std::string_view what) {
        const std::size_t start = skip_pp_spaces(t_, pos);
        std::size_t p = start;
        while (p < t_.size() && is_alnum(t_[p])) {
            ++p;
        }
        if (p == start) {
            failure_.note(start, what);
            return false;
        }
        for (;;) {
            std::size_t q = p;
            while (q < t_.size() && (t_[q] == '-' || t_[q] == '_' || t_[q] == '.')) {
                ++q;
            }
            if (q >= t_.size() || !is_alnum(t_[q])) {
                break;
            }
            while (q < t_.size() && is_alnum(t_[q])) {
                ++q;
            }
            p = q;
        }
        out = t_.substr(start, p - start);
        pos = p;
        return true;
    }

    // Optional(EXTRAS): leaves pos alone when the brackets do not parse.
    void extras(std::size_t& pos, std::vector<std::string>& out) {
        std::size_t p = skip_pp_spaces(t_, pos);
        if (p >= t_.size() || t_[p] != '[') {
            failure_.note(p, "'['");
            return;
        }
        ++p;
        std::vector<std::string> names;
        std::string_view name;
        if (identifier(p, name, "an extra name")) {
            names.emplace_back(name);
            for (;;) {
                std::size_t q = skip_pp_spaces(t_, p);
                if (q >= t_.size() || t_[q] != ',') {
                    failure_.note(q, "','");
                    break;
                }
                ++q;
                if (!identifier(q, name, "an extra name")) {
                    break;
                }
                names.emplace_back(name);
                p = q;
            }
        }
        p = skip_pp_spaces(t_, p);
        if (p >= t_.size() || t_[p] != ']') {
            failure_.note(p, "']'");
            return;
        }
        pos = p + 1;
        out = std::move(names);
    }

    // "@" URL [";" marker], with `at` past the whitespace after the name and extras.
    bool url_and_marker(std::size_t at, std::size_t& pos, parsed_parts& out) {
        if (at >= t_.size() || t_[at] != '@') {
            failure_.note(at, "'@'");
            return false;
        }
        const std::size_t start = skip_pp_spaces(t_, at + 1);
        const std::size_t end = std::min(t_.find(' ', start), t_.size());
        if (end == start) {
            failure_.note(start, "a URL");
            return false;
        }
        out.url = t_.substr(start, end - start);
        pos = end;
        optional_marker(pos, out);
        return true;
    }

    void version_and_marker(std::size_t& pos, parsed_parts& out) {
        std::size_t p = skip_pp_spaces(t_, pos);
        std::vector<std::string_view> tokens;
        bool done = false;
        if (p < t_.size() && t_[p] == '(') {
            std::size_t q = p + 1;
            if (version_many(q, tokens)) {
                q = skip_pp_spaces(t_, q);
                if (q < t_.size() && t_[q] == ')') {
                    pos = q + 1;
                    done = true;
                } else {
                    failure_.note(q, "')'");
                }
            }
        }
        if (!done) {
            tokens.clear();
            version_many(pos, tokens);
        }
        out.tokens = std::move(tokens);
        optional_marker(pos, out);
    }

    bool version_many(std::size_t& pos, std::vector<std::string_view>& tokens) {
        if (!version_one(pos, tokens)) {
            return false;
        }
        for (;;) {
            std::size_t q = skip_pp_spaces(t_, pos);
            if (q >= t_.size() || t_[q] != ',') {
                failure_.note(q, "','");
                return true;
            }
            ++q;
            if (!version_one(q, tokens)) {
                return true;
            }
            pos = q;
        }
    }

    bool version_one(std::size_t& pos, std::vector<std::string_view>& tokens) {
        const std::size_t start = skip_pp_spaces(t_, pos);
        const std::size_t end = version_one_end(t_, start);
        if (end == std::string_view::npos) {
            failure_.note(start, "a version specifier");
            return false;
        }
        tokens.push_back(t_.substr(start, end - start));
        pos = end;
        return true;
    }

    // Optional(";" MARKER_EXPR).
    void optional_marker(std::size_t& pos, parsed_parts& out) {
        const std::size_t p = skip_pp_spaces(t_, pos);
        if (p >= t_.size() || t_[p] != ';') {
            failure_.note(p, "';'");
            return;
        }
        if (auto m = parse_marker_expr(t_, p + 1, failure_, max_requirement_marker_depth)) {
            out.marker_tree = std::move(m->list);
            pos = m->end;
        }
    }

    std::string_view t_;
    parse_failure& failure_;
};

} // namespace

result<requirement> requirement::parse(std::string_view text) {
    const expanded_text ex = expand_tabs(text);
    parse_failure failure;
    parsed_parts parts;
    if (!parser(ex.text, failure).requirement(parts)) {
        return std::unexpected(parse_error(errc::invalid_requirement, "requirement", text,
                                           ex.original_pos(failure.pos),
                                           "expected " + failure.expected));
    }
    requirement out;
    out.name = std::string(parts.name);
    if (parts.url) {
        if (auto problem = url_problem(*parts.url); !problem.empty()) {
            const std::size_t at = static_cast<std::size_t>(parts.url->data() - ex.text.data());
            return std::unexpected(
                parse_error(errc::invalid_requirement, "requirement", text, ex.original_pos(at),
                            "invalid URL '" + std::string(*parts.url) + "': " + problem));
        }
        out.url = std::string(*parts.url);
    }
    std::sort(parts.extras.begin(), parts.extras.end());
    parts.extras.erase(std::unique(parts.extras.begin(), parts.extras.end()), parts.extras.end());
    out.extras = std::move(parts.extras);
    std::string joined; // what SpecifierSet gets: the tokens joined with ","
    for (const auto token : parts.tokens) {
        joined += joined.empty() ? "" : ",";
        joined += token;
    }
    auto specs = specifier_set::parse(joined);
    if (!specs) {
        // Name the token that holds the bad clause (a === token may hold several).
        std::string_view bad = parts.tokens.empty() ? std::string_view() : parts.tokens.front();
        for (const auto token : parts.tokens) {
            if (!specifier_set::parse(token)) {
                bad = token;
                break;
            }
        }
        const std::size_t at =
            bad.data() == nullptr
                ? std::string_view::npos
                : ex.original_pos(static_cast<std::size_t>(bad.data() - ex.text.data()));
        return std::unexpected(
            parse_error(errc::invalid_requirement, "requirement", text, at,
                        "'" + std::string(bad) + "' is not a PEP 440 version specifier"));
    }
    out.specifiers = std::move(*specs);
    if (parts.marker_tree) {
        out.marker = marker_builder::make(
            std::make_shared<const marker::node>(std::move(*parts.marker_tree)));
    }
    return out;
}

std::string requirement::normalized_name() const {
    return normalize_name(name);
}

bool requirement::applies_to(const marker_environment& env) const {
    if (!marker) {
        return true;
    }
    const auto r = marker->evaluate(env);
    return r && *r;
}

// str(Requirement) of packaging 21.3, e.g. `name[a,b]<2,>=1; python_version < "3.8"` and
// `name@ https://host/x.whl ; os_name == "nt"`.
std::string requirement::to_string() const {
    std::string out = name;
    if (!extras.empty()) {
        out += '[';
        for (std::size_t i = 0; i < extras.size(); ++i) {
            out += i == 0 ? "" : ",";
            out += extras[i];
        }
        out += ']';
    }
    out += specifiers.to_string();
    if (url) {
        out += "@ " + *url;
        if (marker) {
            out += ' ';
        }
    }
    if (marker) {
        out += "; " + marker->to_string();
    }
    return out;
}

} // namespace actpip::core
