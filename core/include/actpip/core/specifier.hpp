#pragma once
// PEP 440 version specifiers and specifier sets, with the exclusive-ordered-comparison rules
// and the pre-release rules of the spec (as `packaging` implements them).

#include "actpip/core/error.hpp"
#include "actpip/core/version.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

enum class spec_op {
    compatible,    // ~=
    equal,         // ==   (with wildcard(): ==1.*)
    not_equal,     // !=   (with wildcard(): !=1.*)
    less_equal,    // <=
    greater_equal, // >=
    less,          // <
    greater,       // >
    arbitrary,     // ===
};

std::string_view to_string(spec_op op);

class specifier {
public:
    // One clause such as ">=1.0", "==1.*", "~=2.2", "===foo". Whitespace around the operator
    // and version is allowed. Versions that are not PEP 440 are errors (no legacy mode).
    static result<specifier> parse(std::string_view text);

    spec_op op() const { return op_; }
    // The version text as written after the operator, normalized by packaging's rules
    // (whitespace stripped; for === the raw string).
    const std::string& version_text() const { return version_text_; }
    // The parsed version (absent only for === with a non-PEP 440 operand).
    const std::optional<version>& parsed_version() const { return version_; }
    bool wildcard() const { return wildcard_; }

    // Whether this clause names a pre-release, which turns pre-releases on for its set.
    bool names_prerelease() const;

    // Containment of one version, ignoring the pre-release rules (the set applies them).
    bool contains(const version& v) const;
    // === compares the text of the candidate, so it takes the candidate as written.
    bool contains(const version& v, std::string_view candidate_text) const;

    std::string to_string() const; // ">=1.0"
    friend bool operator==(const specifier&, const specifier&) = default;

private:
    spec_op op_ = spec_op::greater_equal;
    std::string version_text_;
    std::optional<version> version_;
    bool wildcard_ = false;
};

class specifier_set {
public:
    specifier_set() = default;
    // Comma-separated clauses; the empty string is the set that matches everything.
    static result<specifier_set> parse(std::string_view text);

    const std::vector<specifier>& clauses() const { return clauses_; }
    bool empty() const { return clauses_.empty(); }

    // Pre-release policy: nullopt follows the clauses (allowed when one names a
    // pre-release); true or false overrides.
    std::optional<bool> prereleases() const;

    // packaging's SpecifierSet.contains(version, prereleases): the pre-release rules apply;
    // `allow_prereleases` overrides the set's own policy when given.
    bool contains(const version& v, std::optional<bool> allow_prereleases = std::nullopt) const;
    bool contains(std::string_view version_text,
                  std::optional<bool> allow_prereleases = std::nullopt) const;

    // packaging's SpecifierSet.filter: keeps the order; pre-releases only when allowed, or
    // when nothing but pre-releases matches.
    std::vector<std::string> filter(const std::vector<std::string>& versions,
                                    std::optional<bool> allow_prereleases = std::nullopt) const;

    specifier_set intersect(const specifier_set& other) const; // the & of packaging
    std::string to_string() const; // clauses sorted, comma-joined, as packaging prints them
    friend bool operator==(const specifier_set&, const specifier_set&) = default;

private:
    std::vector<specifier> clauses_;
};

} // namespace actpip::core
