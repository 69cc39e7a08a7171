// Generated-input tests for PEP 440 (deterministic seeds): versions are generated as fields,
// spelled in random alternative ways, parsed, and checked against a reference that is written
// directly from packaging 21.3's rules (its _cmpkey tuple, its operator methods) rather than
// from our implementation.

#include "actpip/core/specifier.hpp"
#include "actpip/core/version.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace actpip::core;

// A version as fields; strings in `local` are lower case and hold at least one letter.
struct fields {
    std::uint64_t epoch = 0;
    std::vector<std::uint64_t> release{0};
    std::optional<std::pair<int, std::uint64_t>> pre; // 0 a, 1 b, 2 rc
    std::optional<std::uint64_t> post;
    std::optional<std::uint64_t> dev;
    std::vector<local_segment> local;

    bool is_pre() const { return pre || dev; }
};

// packaging's _cmpkey, transcribed.
struct ref_key {
    std::uint64_t epoch;
    std::vector<std::uint64_t> release; // trailing zeros dropped
    std::pair<int, std::uint64_t> pre;  // -1: dev only (NegativeInfinity), 3: none (Infinity)
    std::pair<int, std::uint64_t> post; // -1: none
    std::pair<int, std::uint64_t> dev;  // 1: none (Infinity)
    int has_local;
    std::vector<std::tuple<int, std::uint64_t, std::string>> local; // strings (0) < numbers (1)
    auto operator<=>(const ref_key&) const = default;
};

ref_key key(const fields& f, bool with_local = true) {
    ref_key k{f.epoch, f.release, {3, 0}, {-1, 0}, {1, 0}, 0, {}};
    while (!k.release.empty() && k.release.back() == 0) {
        k.release.pop_back();
    }
    if (f.pre) {
        k.pre = *f.pre;
    } else if (!f.post && f.dev) {
        k.pre = {-1, 0};
    }
    if (f.post) {
        k.post = {0, *f.post};
    }
    if (f.dev) {
        k.dev = {0, *f.dev};
    }
    if (with_local && !f.local.empty()) {
        k.has_local = 1;
        for (const auto& s : f.local) {
            if (const auto* n = std::get_if<std::uint64_t>(&s)) {
                k.local.emplace_back(1, *n, "");
            } else {
                k.local.emplace_back(0, 0, std::get<std::string>(s));
            }
        }
    }
    return k;
}

bool same_base(const fields& a, const fields& b) {
    fields x{a.epoch, a.release, {}, {}, {}, {}};
    fields y{b.epoch, b.release, {}, {}, {}, {}};
    return key(x) == key(y);
}

std::string canonical(const fields& f, bool with_local = true) {
    std::string out = f.epoch != 0 ? std::to_string(f.epoch) + "!" : "";
    for (std::size_t i = 0; i < f.release.size(); ++i) {
        out += (i ? "." : "") + std::to_string(f.release[i]);
    }
    if (f.pre) {
        out += std::string(f.pre->first == 0   ? "a"
                           : f.pre->first == 1 ? "b"
                                               : "rc") +
               std::to_string(f.pre->second);
    }
    out += f.post ? ".post" + std::to_string(*f.post) : "";
    out += f.dev ? ".dev" + std::to_string(*f.dev) : "";
    if (with_local && !f.local.empty()) {
        for (std::size_t i = 0; i < f.local.size(); ++i) {
            const auto* n = std::get_if<std::uint64_t>(&f.local[i]);
            out += (i ? "." : "+") + (n ? std::to_string(*n) : std::get<std::string>(f.local[i]));
        }
    }
    return out;
}

class gen {
public:
    explicit gen(std::uint64_t seed) : rng_(seed) {}

    std::uint64_t below(std::uint64_t n) {
        return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
    }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    template <class T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }

    std::uint64_t number() {
        return chance(0.02) ? std::numeric_limits<std::uint64_t>::max() - below(3) : below(4);
    }

    fields version(bool allow_local = true) {
        fields f;
        f.epoch = chance(0.15) ? 1 + below(2) : 0;
        f.release.assign(1 + below(4), 0);
        for (auto& r : f.release) {
            r = number();
        }
        if (chance(0.35)) {
            f.pre = std::pair<int, std::uint64_t>(static_cast<int>(below(3)), number());
        }
        if (chance(0.3)) {
            f.post = number();
        }
        if (chance(0.3)) {
            f.dev = number();
        }
        if (allow_local && chance(0.25)) {
            for (std::uint64_t i = 0, n = 1 + below(3); i < n; ++i) {
                if (chance(0.5)) {
                    f.local.emplace_back(number());
                } else {
                    f.local.emplace_back(
                        pick(std::vector<std::string>{"abc", "x1", "ubuntu", "z", "a0b"}));
                }
            }
        }
        return f;
    }

    // A random alternative spelling of `f` that PEP 440 normalizes to canonical(f).
    std::string spell(const fields& f) {
        std::string s = pick(std::vector<std::string>{"", "", "", " ", "\t", "\n "});
        s += chance(0.1) ? pick(std::vector<std::string>{"v", "V"}) : "";
        if (f.epoch != 0 || chance(0.1)) {
            s += zeros() + std::to_string(f.epoch) + "!";
        }
        for (std::size_t i = 0; i < f.release.size(); ++i) {
            s += (i ? "." : "") + zeros() + std::to_string(f.release[i]);
        }
        bool pre_number_omitted = false;
        std::string pre_trailing_sep;
        if (f.pre) {
            static const std::vector<std::vector<std::string>> labels{
                {"a", "alpha", "A", "Alpha"},
                {"b", "beta", "B", "BETA"},
                {"rc", "c", "pre", "preview", "RC", "C", "Preview"}};
            pre_trailing_sep = sep();
            s += sep() + pick(labels[static_cast<std::size_t>(f.pre->first)]) + pre_trailing_sep;
            pre_number_omitted = f.pre->second == 0 && chance(0.5);
            s += pre_number_omitted ? "" : zeros() + std::to_string(f.pre->second);
        }
        if (f.post) {
            // "1.0a-1" is a1, not a0.post1: the implicit form needs the pre number written.
            if (*f.post != 0 && chance(0.3) && !(pre_number_omitted && pre_trailing_sep.empty())) {
                s += "-" + std::to_string(*f.post);
            } else {
                s += sep() + pick(std::vector<std::string>{"post", "rev", "r", "POST", "Rev"}) +
                     sep();
                s += *f.post == 0 && chance(0.5) ? "" : zeros() + std::to_string(*f.post);
            }
        }
        if (f.dev) {
            s += sep() + pick(std::vector<std::string>{"dev", "DEV", "Dev"}) + sep();
            s += *f.dev == 0 && chance(0.5) ? "" : zeros() + std::to_string(*f.dev);
        }
        for (std::size_t i = 0; i < f.local.size(); ++i) {
            s += i ? pick(std::vector<std::string>{".", "-", "_"}) : "+";
            if (const auto* n = std::get_if<std::uint64_t>(&f.local[i])) {
                s += zeros() + std::to_string(*n);
            } else {
                std::string t = std::get<std::string>(f.local[i]);
                for (char& c : t) {
                    c = chance(0.3) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                                    : c;
                }
                s += t;
            }
        }
        return s + pick(std::vector<std::string>{"", "", "", " ", "\r\n"});
    }

    std::string garbage() {
        static const std::string alphabet =
            "0123456789.-_!+*abcdeprvstloiwAVPR ~=<>,;\t\x80\xC4\xB0\xFF";
        std::string s;
        for (std::uint64_t i = 0, n = below(16); i < n; ++i) {
            s += alphabet[below(alphabet.size())];
        }
        return s;
    }

private:
    std::string sep() { return pick(std::vector<std::string>{"", "", ".", "-", "_"}); }
    std::string zeros() { return chance(0.1) ? std::string(below(3) + 1, '0') : ""; }

    std::mt19937_64 rng_;
};

version parsed(const std::string& text) {
    auto v = version::parse(text);
    EXPECT_TRUE(v.has_value()) << text << ": " << v.error().message;
    return v.value_or(version{});
}

TEST(Pep440Property, SpellingsParseToTheirFieldsAndPrintCanonically) {
    gen g(440);
    for (int i = 0; i < 5000; ++i) {
        const fields f = g.version();
        const std::string text = g.spell(f);
        const version v = parsed(text);
        ASSERT_EQ(v.to_string(), canonical(f)) << "spelled as '" << text << "'";
        EXPECT_EQ(v.epoch(), f.epoch);
        EXPECT_EQ(v.release(), f.release);
        EXPECT_EQ(v.pre().has_value(), f.pre.has_value());
        EXPECT_EQ(v.post(), f.post);
        EXPECT_EQ(v.dev(), f.dev);
        EXPECT_EQ(v.local(), f.local);
        EXPECT_EQ(v.public_version(), canonical(f, false));
        // The normal form parses back to the same version and prints the same.
        const version again = parsed(v.to_string());
        EXPECT_EQ(again.to_string(), v.to_string());
        EXPECT_EQ(again <=> v, std::strong_ordering::equal);
    }
}

TEST(Pep440Property, OrderingIsTotalAndAgreesWithPackagingsKey) {
    gen g(7);
    std::vector<std::pair<fields, version>> pool;
    for (int i = 0; i < 400; ++i) {
        fields f = g.version();
        pool.emplace_back(f, parsed(g.spell(f)));
    }
    for (int i = 0; i < 20000; ++i) {
        const auto& [fa, a] = pool[g.below(pool.size())];
        const auto& [fb, b] = pool[g.below(pool.size())];
        const auto& [fc, c] = pool[g.below(pool.size())];
        const auto ab = a <=> b;
        ASSERT_EQ(ab, key(fa) <=> key(fb)) << a.to_string() << " vs " << b.to_string();
        EXPECT_EQ(b <=> a, 0 <=> ab) << "antisymmetry: " << a.to_string() << " " << b.to_string();
        EXPECT_EQ(a == b, ab == 0);
        if (a <= b && b <= c) {
            EXPECT_LE(a, c) << "transitivity: " << a.to_string() << " " << b.to_string() << " "
                            << c.to_string();
        }
        EXPECT_EQ(a <=> a, std::strong_ordering::equal);
    }
    std::vector<version> sorted;
    for (const auto& p : pool) {
        sorted.push_back(p.second);
    }
    std::sort(sorted.begin(), sorted.end());
    EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
}

// One generated clause with the reference predicate from packaging's Specifier methods.
struct clause {
    std::string text;
    spec_op op;
    fields operand;
    bool wildcard = false;

    bool names_prerelease() const {
        const bool inclusive = op == spec_op::equal || op == spec_op::greater_equal ||
                               op == spec_op::less_equal || op == spec_op::compatible ||
                               op == spec_op::arbitrary;
        return inclusive && operand.is_pre();
    }

    // packaging's text-based prefix match, restated on fields for a release-only prefix.
    static bool prefix_match(const fields& c, std::uint64_t epoch,
                             const std::vector<std::uint64_t>& p) {
        if (c.epoch != epoch) {
            return false;
        }
        // "1!1rc3" stays one segment: the split of "1rc3" into "1", "rc3" needs pure digits.
        if (epoch != 0 && c.release.size() == 1 && c.pre) {
            return false;
        }
        if (c.release.size() >= p.size()) {
            return std::equal(p.begin(), p.end(), c.release.begin());
        }
        // A shorter release is padded with zeros, but only when the epoch is not glued to
        // the first segment and no pre/post/dev segment fills the gap first.
        if (epoch != 0 || c.pre || c.post || c.dev) {
            return false;
        }
        std::vector<std::uint64_t> padded = c.release;
        padded.resize(p.size(), 0);
        return padded == p;
    }

    bool matches(const fields& c) const {
        const fields& x = operand;
        switch (op) {
        case spec_op::equal:
        case spec_op::not_equal: {
            const bool eq =
                wildcard ? prefix_match(c, x.epoch, x.release) : key(c, !x.local.empty()) == key(x);
            return eq == (op == spec_op::equal);
        }
        case spec_op::compatible: {
            const std::vector<std::uint64_t> p(x.release.begin(), x.release.end() - 1);
            return key(c, false) >= key(x) && prefix_match(c, x.epoch, p);
        }
        case spec_op::less_equal:
            return key(c, false) <= key(x);
        case spec_op::greater_equal:
            return key(c, false) >= key(x);
        case spec_op::less:
            return key(c) < key(x) && !(!x.is_pre() && c.is_pre() && same_base(c, x));
        case spec_op::greater:
            return key(c) > key(x) && !(!x.post && c.post && same_base(c, x)) &&
                   !(!c.local.empty() && same_base(c, x));
        case spec_op::arbitrary:
            return canonical(c) == canonical(x);
        }
        return false;
    }
};

clause make_clause(gen& g) {
    static const std::vector<spec_op> ops{
        spec_op::compatible,    spec_op::equal, spec_op::not_equal, spec_op::less_equal,
        spec_op::greater_equal, spec_op::less,  spec_op::greater,   spec_op::arbitrary};
    clause c;
    c.op = g.pick(ops);
    const bool equality = c.op == spec_op::equal || c.op == spec_op::not_equal;
    c.operand = g.version(equality);
    c.wildcard = equality && g.chance(0.4);
    std::string operand;
    if (c.wildcard) {
        c.operand = fields{g.chance(0.2) ? 1U : 0U, c.operand.release, {}, {}, {}, {}};
        operand = canonical(c.operand) + ".*";
    } else if (c.op == spec_op::compatible) {
        if (c.operand.release.size() < 2) {
            c.operand.release.push_back(g.below(3));
        }
        operand = canonical(c.operand); // ~= derives its prefix from the text
    } else if (c.op == spec_op::arbitrary) {
        operand = canonical(c.operand);
    } else {
        operand = g.spell(c.operand);
        operand.erase(0, operand.find_first_not_of(" \t\r\n"));
        operand.erase(operand.find_last_not_of(" \t\r\n") + 1);
    }
    c.text = std::string(g.chance(0.2) ? " " : "") + std::string(to_string(c.op)) +
             (g.chance(0.2) ? " " : "") + operand;
    return c;
}

// A candidate near the operand of a clause, to land on the boundaries.
fields near(gen& g, const fields& x) {
    fields f = x;
    f.local.clear();
    if (g.chance(0.5)) {
        auto& r = f.release[g.below(f.release.size())];
        r = g.chance(0.5) ? r + 1 : (r > 0 ? r - 1 : 0);
    }
    if (g.chance(0.3)) {
        f.release.push_back(g.below(2));
    } else if (g.chance(0.2) && f.release.size() > 1) {
        f.release.pop_back();
    }
    const fields extra = g.version();
    if (g.chance(0.4)) {
        f.pre = extra.pre;
    }
    if (g.chance(0.4)) {
        f.post = extra.post;
    }
    if (g.chance(0.4)) {
        f.dev = extra.dev;
    }
    if (g.chance(0.3)) {
        f.local = extra.local;
    }
    return f;
}

TEST(Pep440Property, SpecifierSetContainmentAgreesWithTheReference) {
    gen g(2024);
    int contained = 0;
    for (int i = 0; i < 2000; ++i) {
        std::vector<clause> clauses;
        std::string text;
        for (std::uint64_t n = g.below(4), k = 0; k < n; ++k) {
            clause c = make_clause(g);
            // packaging keeps one of ~=1.0 and ~=1.0.0 (equal canonical forms, different
            // prefixes), and likewise for ===; one of each keeps the reference simple.
            const bool text_dependent = c.op == spec_op::compatible || c.op == spec_op::arbitrary;
            if (text_dependent && std::any_of(clauses.begin(), clauses.end(),
                                              [&](const clause& o) { return o.op == c.op; })) {
                continue;
            }
            text += (clauses.empty() ? "" : ",") + c.text;
            clauses.push_back(std::move(c));
        }
        const auto set = specifier_set::parse(text);
        ASSERT_TRUE(set.has_value()) << text << ": " << set.error().describe();
        const bool names_pre = std::any_of(clauses.begin(), clauses.end(),
                                           [](const clause& c) { return c.names_prerelease(); });
        EXPECT_EQ(set->prereleases(),
                  clauses.empty() ? std::nullopt : std::optional<bool>(names_pre))
            << text;
        for (int j = 0; j < 8; ++j) {
            const fields c = clauses.empty() || g.chance(0.3)
                                 ? g.version()
                                 : near(g, clauses[g.below(clauses.size())].operand);
            for (const std::optional<bool> allow :
                 {std::optional<bool>{}, std::optional<bool>{true}, std::optional<bool>{false}}) {
                const std::optional<bool> policy = allow ? allow : set->prereleases();
                const bool expected = (policy.value_or(false) || !c.is_pre()) &&
                                      std::all_of(clauses.begin(), clauses.end(),
                                                  [&](const clause& k) { return k.matches(c); });
                const std::string candidate = g.spell(c);
                ASSERT_EQ(set->contains(candidate, allow), expected)
                    << "'" << text << "' contains '" << candidate << "' (prereleases "
                    << (allow ? (*allow ? "true" : "false") : "none") << ")";
                contained += expected ? 1 : 0;
            }
        }
    }
    EXPECT_GT(contained, 3000); // the generator reaches both answers
}

TEST(Pep440Property, FilterKeepsOrderAndMatchesContains) {
    gen g(99);
    for (int i = 0; i < 1000; ++i) {
        std::string text;
        for (std::uint64_t n = 1 + g.below(3), k = 0; k < n; ++k) {
            text += (k ? "," : "") + make_clause(g).text;
        }
        const specifier_set set = specifier_set::parse(text).value();
        std::vector<std::string> versions;
        for (std::uint64_t n = g.below(8), k = 0; k < n; ++k) {
            versions.push_back(canonical(g.version()));
        }
        for (const std::optional<bool> allow :
             {std::optional<bool>{}, std::optional<bool>{true}, std::optional<bool>{false}}) {
            std::vector<std::string> expected;
            const bool allowed = allow ? *allow : set.prereleases().value_or(false);
            std::copy_if(versions.begin(), versions.end(), std::back_inserter(expected),
                         [&](const std::string& v) { return set.contains(v, allowed); });
            EXPECT_EQ(set.filter(versions, allow), expected) << text;
        }
    }
}

TEST(Pep440Property, GarbageIsRejectedWithoutCrashing) {
    gen g(13);
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text = g.garbage();
        if (i % 2 == 1) { // a valid spelling with a few bytes changed
            text = g.spell(g.version());
            for (std::uint64_t k = 0, n = 1 + g.below(2); k < n && !text.empty(); ++k) {
                text[g.below(text.size())] = g.garbage().append("x")[0];
            }
        }
        if (auto v = version::parse(text)) {
            ++accepted;
            const std::string normal = v->to_string();
            if (normal.find('\xCC') == std::string::npos) { // see VersionUnicode
                EXPECT_EQ(parsed(normal), *v) << text;
            }
        } else {
            const std::string& m = v.error().message;
            EXPECT_EQ(m.rfind("invalid version '" + text + "': ", 0), 0U) << m;
        }
        if (auto s = specifier::parse(text)) {
            EXPECT_EQ(specifier::parse(s->to_string()).value(), *s) << text;
        } else {
            EXPECT_EQ(s.error().code, errc::invalid_specifier);
        }
        if (auto set = specifier_set::parse(text)) {
            EXPECT_EQ(specifier_set::parse(set->to_string()).value(), *set) << text;
        }
    }
    EXPECT_GT(accepted, 100);
}

} // namespace
