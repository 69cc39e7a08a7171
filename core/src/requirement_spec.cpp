// The version-specifier tokens of packaging 21.3's requirement grammar.
//
// VERSION_ONE is `Regex(Specifier._regex_str) ^ Regex(LegacySpecifier._regex_str)`: pyparsing
// runs both regular expressions with Python's re.match at the same place and keeps the longer
// match. Python regular expressions return the first match of a backtracking search, not the
// longest, so the PEP 440 one stops early in places: for `==1.0.*` it matches `==1.0` (the
// empty dev/local alternative comes before `.*`), for `~=1.0alpha1` it matches `~=1.0a`
// ("a" comes before "alpha"). The legacy expression then often wins with the whole token, and
// the token is re-checked as a whole by SpecifierSet later; `~=` has no legacy form, so
// `foo~=1.0alpha1` is not a requirement in 21.3. The functions below reproduce those first
// matches, with Python's `\s` and re.IGNORECASE rules (see version_lexer.hpp).

#include "pep508_detail.hpp"
#include "version_lexer.hpp"

#include <algorithm>
#include <array>

namespace actpip::core::detail::pep508 {
namespace {

namespace pep440 = detail::pep440;
constexpr std::size_t none = std::string_view::npos;

class matcher {
public:
    explicit matcher(std::string_view s) : s_(s) {}

    // Specifier._regex_str at s[p] (the operator first), as re.match finds it.
    std::size_t pep440(std::size_t p) const {
        const std::string_view rest = s_.substr(p);
        if (rest.starts_with("~=")) {
            return tail(core(p + 2, true), false);
        }
        if (rest.starts_with("==") || rest.starts_with("!=")) {
            if (const std::size_t e = tail(core(p + 2, false), true); e != none) {
                return e;
            }
            return rest.starts_with("===") ? not_spaces(spaces(p + 3)) : none;
        }
        if (rest.starts_with("<=") || rest.starts_with(">=")) {
            return tail(core(p + 2, false), false);
        }
        if (rest.starts_with("<") || rest.starts_with(">")) {
            return tail(core(p + 1, false), false);
        }
        return none;
    }

    // LegacySpecifier._regex_str: (==|!=|<=|>=|<|>)\s*[^,;\s)]*
    std::size_t legacy(std::size_t p) const {
        static constexpr std::array<std::string_view, 6> ops{"==", "!=", "<=", ">=", "<", ">"};
        const auto op = std::find_if(ops.begin(), ops.end(), [&](std::string_view o) {
            return s_.substr(p).starts_with(o);
        });
        if (op == ops.end()) {
            return none;
        }
        std::size_t q = spaces(p + op->size());
        while (q < s_.size() && s_[q] != ',' && s_[q] != ';' && s_[q] != ')' &&
               pep440::space_length(s_, q) == 0) {
            q += pep440::char_at(s_, q).size();
        }
        return q;
    }

private:
    std::size_t spaces(std::size_t p) const {
        while (const std::size_t n = pep440::space_length(s_, p)) {
            p += n;
        }
        return p;
    }
    std::size_t not_spaces(std::size_t p) const {
        while (p < s_.size() && pep440::space_length(s_, p) == 0) {
            p += pep440::char_at(s_, p).size();
        }
        return p;
    }
    bool digit(std::size_t p) const { return p < s_.size() && s_[p] >= '0' && s_[p] <= '9'; }
    std::size_t digits(std::size_t p) const {
        while (digit(p)) {
            ++p;
        }
        return p;
    }
    std::size_t separator(std::size_t p) const { // [-_\.]?
        return p < s_.size() && (s_[p] == '-' || s_[p] == '_' || s_[p] == '.') ? p + 1 : p;
    }
    // A keyword under re.IGNORECASE; none when it does not match.
    std::size_t keyword(std::size_t p, std::string_view word) const {
        for (const char c : word) {
            const std::size_t n = pep440::match_letter(s_, p, c);
            if (n == 0) {
                return none;
            }
            p += n;
        }
        return p;
    }
    // The first of `words` that matches at p (an ordered alternation).
    template <std::size_t N>
    std::size_t first_keyword(std::size_t p, const std::array<std::string_view, N>& words) const {
        for (const auto w : words) {
            if (const std::size_t e = keyword(p, w); e != none) {
                return e;
            }
        }
        return none;
    }
    // [a-z0-9] under re.IGNORECASE.
    std::size_t alnum(std::size_t p) const {
        if (p >= s_.size()) {
            return 0;
        }
        const char c = s_[p];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return 1;
        }
        for (const char letter : {'i', 's', 'k'}) {
            if (const std::size_t n = pep440::match_letter(s_, p, letter)) {
                return n;
            }
        }
        return 0;
    }

    // \s* v? (?:[0-9]+!)? [0-9]+(?:\.[0-9]+)*  (with + instead of * for ~=)
    std::size_t core(std::size_t p, bool compatible) const {
        p = spaces(p);
        p += pep440::match_letter(s_, p, 'v');
        const std::size_t epoch_end = digits(p);
        if (epoch_end > p && epoch_end < s_.size() && s_[epoch_end] == '!') {
            if (const std::size_t e = release(epoch_end + 1, compatible); e != none) {
                return e;
            }
        }
        return release(p, compatible);
    }
    std::size_t release(std::size_t p, bool compatible) const {
        std::size_t q = digits(p);
        if (q == p) {
            return none;
        }
        bool dotted = false;
        while (q < s_.size() && s_[q] == '.' && digit(q + 1)) {
            q = digits(q + 1);
            dotted = true;
        }
        return compatible && !dotted ? none : q;
    }

    // The optional parts after the release: pre, post, then dev (and local for == and !=).
    std::size_t tail(std::size_t p, bool local) const {
        if (p == none) {
            return none;
        }
        static constexpr std::array<std::string_view, 8> pre_words{
            "a", "b", "c", "rc", "alpha", "beta", "pre", "preview"};
        static constexpr std::array<std::string_view, 3> post_words{"post", "rev", "r"};
        static constexpr std::array<std::string_view, 1> dev_words{"dev"};
        p = optional_tagged(p, pre_words);
        if (p < s_.size() && s_[p] == '-' && digit(p + 1)) {
            p = digits(p + 1);
        } else {
            p = optional_tagged(p, post_words);
        }
        p = optional_tagged(p, dev_words);
        if (local && p < s_.size() && s_[p] == '+' && alnum(p + 1) != 0) {
            std::size_t q = p + 1;
            while (const std::size_t n = alnum(q)) {
                q += n;
            }
            while (q < s_.size() && separator(q) != q && alnum(q + 1) != 0) {
                ++q;
                while (const std::size_t n = alnum(q)) {
                    q += n;
                }
            }
            p = q;
        }
        return p;
    }
    // (?:[-_\.]?(word|...)[-_\.]?[0-9]*)?
    template <std::size_t N>
    std::size_t optional_tagged(std::size_t p, const std::array<std::string_view, N>& words) const {
        const std::size_t e = first_keyword(separator(p), words);
        return e == none ? p : digits(separator(e));
    }

    std::string_view s_;
};

} // namespace

std::size_t version_one_end(std::string_view text, std::size_t pos) {
    const matcher m(text);
    const std::size_t a = m.pep440(pos);
    const std::size_t b = m.legacy(pos);
    if (a == none) {
        return b;
    }
    return b == none ? a : std::max(a, b);
}

} // namespace actpip::core::detail::pep508
