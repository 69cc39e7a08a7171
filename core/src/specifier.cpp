// One PEP 440 specifier clause, as packaging 21.3's Specifier (never its LegacySpecifier).
//
// Wildcards (==1.2.*) and the prefix that ~= implies are matched the way packaging does it:
// on the text of the specifier, split at dots, against the normalized text of the candidate.
// That is deliberate: it reproduces packaging's quirks exactly (==v1.* and ==1.01.* match
// nothing, ~=1.0.a1 implies ==1.*, ~=1.0.c1 implies ==1.0.*).

#include "actpip/core/specifier.hpp"

#include "version_lexer.hpp"

#include <algorithm>
#include <array>

namespace actpip::core {

namespace pep = detail::pep440;

namespace {

bool is_ascii_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// packaging's _version_split: split at dots, and split "1rc2" into "1", "rc2".
std::vector<std::string> version_split(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = text.find('.', start);
        const std::string_view item = text.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        std::size_t digits = 0;
        while (digits < item.size() && item[digits] >= '0' && item[digits] <= '9') {
            ++digits;
        }
        const std::string_view rest = item.substr(digits);
        const std::size_t letters =
            rest.starts_with("rc")                                                    ? 2
            : (!rest.empty() && (rest[0] == 'a' || rest[0] == 'b' || rest[0] == 'c')) ? 1
                                                                                      : 0;
        if (digits > 0 && letters > 0 && is_ascii_digits(rest.substr(letters))) {
            out.emplace_back(item.substr(0, digits));
            out.emplace_back(rest);
        } else {
            out.emplace_back(item);
        }
        if (dot == std::string_view::npos) {
            return out;
        }
        start = dot + 1;
    }
}

bool is_not_suffix(std::string_view segment) {
    constexpr std::array<std::string_view, 5> prefixes{"dev", "a", "b", "rc", "post"};
    return std::none_of(prefixes.begin(), prefixes.end(),
                        [&](std::string_view p) { return segment.starts_with(p); });
}

// packaging's _pad_version followed by the comparison of the padded lists.
bool padded_equal(const std::vector<std::string>& left, const std::vector<std::string>& right) {
    auto release_length = [](const std::vector<std::string>& v) {
        return static_cast<std::size_t>(
            std::find_if_not(v.begin(), v.end(),
                             [](const std::string& s) { return is_ascii_digits(s); }) -
            v.begin());
    };
    auto pad = [](const std::vector<std::string>& v, std::size_t rel, std::size_t width) {
        std::vector<std::string> out(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rel));
        out.resize(std::max(rel, width), "0");
        out.insert(out.end(), v.begin() + static_cast<std::ptrdiff_t>(rel), v.end());
        return out;
    };
    const std::size_t l = release_length(left);
    const std::size_t r = release_length(right);
    return pad(left, l, r) == pad(right, r, l);
}

// The == branch of packaging for a spec ending in ".*"; `prefix` is the text before ".*".
bool prefix_matches(std::string_view prefix, const version& candidate) {
    const std::vector<std::string> spec = version_split(prefix);
    std::vector<std::string> prospective = version_split(candidate.public_version());
    if (prospective.size() > spec.size()) {
        prospective.resize(spec.size());
    }
    return padded_equal(spec, prospective);
}

// ~=X: everything of X before its last release-looking segment, as a wildcard prefix.
std::string compatible_prefix(std::string_view spec_text) {
    const std::vector<std::string> items = version_split(spec_text);
    std::vector<std::string> kept;
    for (const std::string& item : items) {
        if (!is_not_suffix(item)) {
            break;
        }
        kept.push_back(item);
    }
    if (!kept.empty()) {
        kept.pop_back();
    }
    std::string out;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        out += (i == 0 ? "" : ".") + kept[i];
    }
    return out;
}

// Version(a.base_version) == Version(b.base_version): epoch and release, trailing zeros aside.
bool same_base(const version& a, const version& b) {
    const auto& x = a.release();
    const auto& y = b.release();
    const std::size_t n = std::max(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) {
        if ((i < x.size() ? x[i] : 0) != (i < y.size() ? y[i] : 0)) {
            return false;
        }
    }
    return a.epoch() == b.epoch();
}

// Version(v.public) without copying when there is no local label to drop.
class public_of {
public:
    explicit public_of(const version& v) : v_(v) {
        if (v.has_local()) {
            copy_ = v.without_local();
        }
    }
    const version& get() const { return copy_ ? *copy_ : v_; }

private:
    const version& v_;
    std::optional<version> copy_;
};

struct op_spelling {
    std::string_view text;
    spec_op op;
};

// Longest first: "===" before "==", "<=" before "<".
constexpr std::array op_spellings{
    op_spelling{"===", spec_op::arbitrary}, op_spelling{"~=", spec_op::compatible},
    op_spelling{"==", spec_op::equal},      op_spelling{"!=", spec_op::not_equal},
    op_spelling{"<=", spec_op::less_equal}, op_spelling{">=", spec_op::greater_equal},
    op_spelling{"<", spec_op::less},        op_spelling{">", spec_op::greater},
};

} // namespace

std::string_view to_string(spec_op op) {
    switch (op) {
    case spec_op::compatible:
        return "~=";
    case spec_op::equal:
        return "==";
    case spec_op::not_equal:
        return "!=";
    case spec_op::less_equal:
        return "<=";
    case spec_op::greater_equal:
        return ">=";
    case spec_op::less:
        return "<";
    case spec_op::greater:
        return ">";
    case spec_op::arbitrary:
        return "===";
    }
    return "?";
}

result<specifier> specifier::parse(std::string_view text) {
    const pep::trimmed t = pep::strip_spaces(text);
    auto fail = [&](std::size_t pos, std::string_view reason) {
        return std::unexpected(
            parse_error(errc::invalid_specifier, "specifier", text, t.offset + pos, reason));
    };
    const auto* spelling =
        std::find_if(op_spellings.begin(), op_spellings.end(),
                     [&](const op_spelling& s) { return t.text.starts_with(s.text); });
    if (spelling == op_spellings.end()) {
        return fail(0, "expected an operator (~=, ==, !=, <=, >=, <, >, ===)");
    }
    std::size_t pos = spelling->text.size();
    while (const std::size_t n = pep::space_length(t.text, pos)) {
        pos += n;
    }
    const std::string_view body = t.text.substr(pos);

    specifier out;
    out.op_ = spelling->op;
    out.version_text_ = std::string(body);
    if (out.op_ == spec_op::arbitrary) {
        // Any text without whitespace, even none; it is compared as a string.
        if (const std::size_t ws = pep::find_space(body); ws != std::string_view::npos) {
            return fail(pos + ws, "the operand of === cannot contain whitespace");
        }
        if (auto v = version::parse(body)) {
            out.version_ = std::move(*v);
        }
        return out;
    }
    if (body.empty()) {
        return fail(pos, "expected a version after the operator");
    }
    const bool equality = out.op_ == spec_op::equal || out.op_ == spec_op::not_equal;
    if (body.ends_with(".*")) {
        const std::size_t star = pos + body.size() - 2;
        if (!equality) {
            return fail(star, "a wildcard (.*) is only allowed with == and !=");
        }
        const std::string_view prefix = body.substr(0, body.size() - 2);
        auto scanned = pep::scan_version(prefix, pep::version_grammar::no_dev_local);
        if (!scanned) {
            if (pep::scan_version(prefix, pep::version_grammar::full)) {
                return fail(star, "a wildcard (.*) cannot follow a dev release or local version");
            }
            return fail(pos + scanned.error().pos, scanned.error().reason);
        }
        out.wildcard_ = true;
        out.version_ = std::move(*scanned);
        return out;
    }
    auto scanned = pep::scan_version(body, pep::version_grammar::full);
    if (!scanned) {
        return fail(pos + scanned.error().pos, scanned.error().reason);
    }
    if (scanned->has_local() && !equality) {
        return fail(pos + body.find('+'), "a local version label is only allowed with == and !=");
    }
    if (out.op_ == spec_op::compatible && scanned->release().size() < 2) {
        return fail(pos, "~= needs a version with at least two release segments");
    }
    out.version_ = std::move(*scanned);
    return out;
}

bool specifier::names_prerelease() const {
    switch (op_) {
    case spec_op::equal:
    case spec_op::greater_equal:
    case spec_op::less_equal:
    case spec_op::compatible:
    case spec_op::arbitrary:
        return version_.has_value() && version_->is_prerelease();
    case spec_op::not_equal:
    case spec_op::less:
    case spec_op::greater:
        return false;
    }
    return false;
}

bool specifier::contains(const version& v) const {
    if (op_ == spec_op::arbitrary) {
        return contains(v, v.to_string());
    }
    const version& spec = *version_;
    switch (op_) {
    case spec_op::equal:
    case spec_op::not_equal: {
        bool equal = false;
        if (wildcard_) {
            equal = prefix_matches(
                std::string_view(version_text_).substr(0, version_text_.size() - 2), v);
        } else {
            // Without a local label in the spec, the candidate's local label is ignored.
            equal = spec.has_local() ? v == spec : public_of(v).get() == spec;
        }
        return equal == (op_ == spec_op::equal);
    }
    case spec_op::compatible:
        return v.without_local() >= spec && prefix_matches(compatible_prefix(version_text_), v);
    case spec_op::less_equal:
        return v.without_local() <= spec;
    case spec_op::greater_equal:
        return v.without_local() >= spec;
    case spec_op::less:
        // <1.7 excludes pre-releases of 1.7 unless the spec is itself a pre-release.
        return v < spec && !(!spec.is_prerelease() && v.is_prerelease() && same_base(v, spec));
    case spec_op::greater:
        // >1.7 excludes post releases of 1.7 (unless the spec is one) and local versions of 1.7.
        if (!(v > spec)) {
            return false;
        }
        if (!spec.is_postrelease() && v.is_postrelease() && same_base(v, spec)) {
            return false;
        }
        return !(v.has_local() && same_base(v, spec));
    case spec_op::arbitrary:
        break;
    }
    return false;
}

bool specifier::contains(const version& v, std::string_view candidate_text) const {
    if (op_ == spec_op::arbitrary) {
        return pep::python_lower(candidate_text) == pep::python_lower(version_text_);
    }
    return contains(v);
}

std::string specifier::to_string() const {
    std::string out(core::to_string(op_));
    out += version_text_;
    return out;
}

std::string specifier::canonical_version_text() const {
    if (!version_ || wildcard_) {
        return version_text_;
    }
    // canonicalize_version: str(Version) with the trailing ".0"s of the release removed.
    std::vector<std::uint64_t> release = version_->release();
    while (release.size() > 1 && release.back() == 0) {
        release.pop_back();
    }
    version_builder b;
    b.epoch(version_->epoch()).release(std::move(release)).local(version_->local());
    if (version_->pre()) {
        b.pre(version_->pre()->kind, version_->pre()->number);
    }
    if (version_->post()) {
        b.post(*version_->post());
    }
    if (version_->dev()) {
        b.dev(*version_->dev());
    }
    return b.build().to_string();
}

bool operator==(const specifier& a, const specifier& b) {
    return a.op_ == b.op_ && a.canonical_version_text() == b.canonical_version_text();
}

} // namespace actpip::core
