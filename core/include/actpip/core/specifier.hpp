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
    // packaging's equality: the same operator and the same canonical version, so ==1.0
    // equals ==1.0.0 and ==v1.0; wildcards and non-PEP 440 === operands compare as text.
    friend bool operator==(const specifier& a, const specifier& b);

private:
    friend class specifier_set;
    // packaging's canonicalize_version of the operand (trailing .0 release segments dropped).
    std::string canonical_version_text() const;

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

    // Pre-release policy, as packaging's SpecifierSet.prereleases: the override when one is
    // set, else nullopt for the empty set, else whether some clause names a pre-release.
    std::optional<bool> prereleases() const;
    // packaging's SpecifierSet(prereleases=...): nullopt returns to following the clauses.
    void set_prereleases(std::optional<bool> allow) { prereleases_override_ = allow; }

    // packaging's SpecifierSet.contains(version, prereleases): the pre-release rules apply;
    // `allow_prereleases` overrides the set's own policy when given.
    bool contains(const version& v, std::optional<bool> allow_prereleases = std::nullopt) const;
    bool contains(std::string_view version_text,
                  std::optional<bool> allow_prereleases = std::nullopt) const;

    // packaging's SpecifierSet.filter: keeps the order; pre-releases only when allowed, or
    // when nothing but pre-releases matches.
    std::vector<std::string> filter(const std::vector<std::string>& versions,
                                    std::optional<bool> allow_prereleases = std::nullopt) const;

    // The & of packaging: the clauses of both. Pre-release overrides combine as packaging
    // does, except that conflicting true/false overrides (an error there) give nullopt.
    specifier_set intersect(const specifier_set& other) const;
    std::string to_string() const; // clauses sorted, comma-joined, as packaging prints them
    // Equal as sets of clauses (packaging compares frozensets; see specifier's ==).
    friend bool operator==(const specifier_set& a, const specifier_set& b);

private:
    // Adds `s` unless an equal clause is already there (the first spelling is kept).
    void add(specifier s);

    std::vector<specifier> clauses_; // in the order written, duplicates dropped
    std::optional<bool> prereleases_override_;
};

} // namespace actpip::core
