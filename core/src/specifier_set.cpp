// packaging 21.3's SpecifierSet: a conjunction of clauses plus the pre-release rules.
//
// The pre-release rules, as 21.3 has them:
// - contains(): a pre-release is excluded unless allowed explicitly or some clause names a
//   pre-release (==, >=, <=, ~= or === with a pre-release operand);
// - filter() on a non-empty set: the same test per version, so with pre-releases not allowed
//   none is returned even when nothing else matches (21.3 passes bool(prereleases) down);
// - filter() on the empty set: pre-releases only when no final release is there and the
//   caller did not say false;
// - a candidate that is not PEP 440 can match only === clauses (and the empty set's
//   contains(), which is true for anything that is not a pre-release).

#include "actpip/core/specifier.hpp"

#include "version_lexer.hpp"

#include <algorithm>

namespace actpip::core {

namespace pep = detail::pep440;

result<specifier_set> specifier_set::parse(std::string_view text) {
    specifier_set out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view piece = text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (!pep::strip_spaces(piece).text.empty()) {
            auto clause = specifier::parse(piece);
            if (!clause) {
                return std::unexpected(std::move(clause.error())
                                           .add_context("while parsing the specifier set '" +
                                                        std::string(text) + "'"));
            }
            out.add(std::move(*clause));
        }
        if (comma == std::string_view::npos) {
            return out;
        }
        start = comma + 1;
    }
}

void specifier_set::add(specifier s) {
    if (std::find(clauses_.begin(), clauses_.end(), s) == clauses_.end()) {
        clauses_.push_back(std::move(s));
    }
}

std::optional<bool> specifier_set::prereleases() const {
    if (prereleases_override_) {
        return prereleases_override_;
    }
    if (clauses_.empty()) {
        return std::nullopt;
    }
    return std::any_of(clauses_.begin(), clauses_.end(),
                       [](const specifier& s) { return s.names_prerelease(); });
}

bool specifier_set::contains(const version& v, std::optional<bool> allow_prereleases) const {
    const std::optional<bool> allow = allow_prereleases ? allow_prereleases : prereleases();
    if (!allow.value_or(false) && v.is_prerelease()) {
        return false;
    }
    std::string text; // what === compares: str(Version), made only when needed
    return std::all_of(clauses_.begin(), clauses_.end(), [&](const specifier& s) {
        if (s.op() != spec_op::arbitrary) {
            return s.contains(v);
        }
        if (text.empty()) {
            text = v.to_string();
        }
        return s.contains(v, text);
    });
}

bool specifier_set::contains(std::string_view version_text,
                             std::optional<bool> allow_prereleases) const {
    if (auto v = version::parse(version_text)) {
        return contains(*v, allow_prereleases);
    }
    // packaging's LegacyVersion: never a pre-release, matched only by === (as written).
    const std::string lowered = pep::python_lower(version_text);
    return std::all_of(clauses_.begin(), clauses_.end(), [&](const specifier& s) {
        return s.op() == spec_op::arbitrary && pep::python_lower(s.version_text()) == lowered;
    });
}

std::vector<std::string> specifier_set::filter(const std::vector<std::string>& versions,
                                               std::optional<bool> allow_prereleases) const {
    const std::optional<bool> allow = allow_prereleases ? allow_prereleases : prereleases();
    std::vector<std::string> kept;
    if (!clauses_.empty()) {
        const bool allowed = allow.value_or(false);
        std::copy_if(versions.begin(), versions.end(), std::back_inserter(kept),
                     [&](const std::string& v) { return contains(v, allowed); });
        return kept;
    }
    std::vector<std::string> prereleases_found;
    for (const std::string& text : versions) {
        const auto v = version::parse(text);
        if (!v) {
            continue; // LegacyVersion
        }
        if (v->is_prerelease() && !allow.value_or(false)) {
            if (kept.empty()) {
                prereleases_found.push_back(text);
            }
        } else {
            kept.push_back(text);
        }
    }
    if (kept.empty() && !prereleases_found.empty() && !allow.has_value()) {
        return prereleases_found;
    }
    return kept;
}

specifier_set specifier_set::intersect(const specifier_set& other) const {
    specifier_set out = *this;
    for (const specifier& s : other.clauses_) {
        out.add(s);
    }
    if (!prereleases_override_) {
        out.prereleases_override_ = other.prereleases_override_;
    } else if (other.prereleases_override_ &&
               *other.prereleases_override_ != *prereleases_override_) {
        out.prereleases_override_ = std::nullopt; // packaging raises ValueError here
    }
    return out;
}

std::string specifier_set::to_string() const {
    std::vector<std::string> parts;
    parts.reserve(clauses_.size());
    for (const specifier& s : clauses_) {
        parts.push_back(s.to_string());
    }
    std::sort(parts.begin(), parts.end()); // byte order of UTF-8 = Python's str order
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += (i == 0 ? "" : ",") + parts[i];
    }
    return out;
}

bool operator==(const specifier_set& a, const specifier_set& b) {
    // Clauses are de-duplicated, so equal sizes and inclusion one way make equal sets.
    return a.clauses_.size() == b.clauses_.size() &&
           std::all_of(a.clauses_.begin(), a.clauses_.end(), [&](const specifier& s) {
               return std::find(b.clauses_.begin(), b.clauses_.end(), s) != b.clauses_.end();
           });
}

} // namespace actpip::core
