// PEP 508 markers: evaluation as packaging 21.3 does it.
//
// Each comparison `lhs op rhs` takes the environment value of the variable on the left, or,
// when the left side is a string, looks the right side up in the environment (even when it is
// a string too: `"posix" == "os_name"` compares with the value of os_name). Then _eval_op:
// if `op + rhs` is a valid PEP 440 specifier, the result is Specifier.contains(lhs) with the
// specifier's own pre-release policy (so `python_full_version >= "3.8"` is false for 3.11.0rc1
// in 21.3) and with a non-PEP 440 lhs as a LegacyVersion (which only `===` can match);
// otherwise in / not in / < / <= / == / != / >= / > compare Python strings, and ~= or ===
// is an UndefinedComparison. Every comparison is evaluated, left to right, so the first
// error wins even where the result would not depend on it. "and" binds tighter than "or".

#include "actpip/core/marker.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/specifier.hpp"
#include "actpip/core/version.hpp"

#include "pep508_detail.hpp"
#include "version_lexer.hpp"

#include <set>

namespace actpip::core {
namespace {

namespace pep440 = detail::pep440;

// Specifier.prereleases of packaging 21.3 for a specifier without an explicit policy.
bool allows_prereleases(const specifier& s) {
    switch (s.op()) {
    case spec_op::equal:
    case spec_op::greater_equal:
    case spec_op::less_equal:
    case spec_op::compatible:
    case spec_op::arbitrary:
        break;
    default:
        return false;
    }
    std::string_view text = pep440::strip_spaces(s.version_text()).text;
    if (s.op() == spec_op::equal && text.ends_with(".*")) {
        text.remove_suffix(2);
    }
    const auto v = version::parse(text);
    return v && v->is_prerelease();
}

// Specifier(op + rhs).contains(lhs) of packaging 21.3.
bool specifier_contains(const specifier& s, std::string_view lhs) {
    const std::string spec_text(pep440::strip_spaces(s.version_text()).text);
    const auto v = version::parse(lhs);
    if (!v) {
        // A LegacyVersion: never a pre-release, and only _compare_arbitrary accepts it.
        return s.op() == spec_op::arbitrary &&
               pep440::python_lower(lhs) == pep440::python_lower(spec_text);
    }
    if (v->is_prerelease() && !allows_prereleases(s)) {
        return false;
    }
    if (s.op() == spec_op::arbitrary) {
        return pep440::python_lower(v->to_string()) == pep440::python_lower(spec_text);
    }
    return s.contains(*v);
}

result<bool> eval_op(const std::string& lhs, const std::string& op, const std::string& rhs) {
    if (auto spec = specifier::parse(op + rhs)) {
        return specifier_contains(*spec, lhs);
    }
    // Python str comparisons: byte order of UTF-8 is code point order.
    if (op == "in") {
        return rhs.find(lhs) != std::string::npos;
    }
    if (op == "not in") {
        return rhs.find(lhs) == std::string::npos;
    }
    if (op == "<") {
        return lhs < rhs;
    }
    if (op == "<=") {
        return lhs <= rhs;
    }
    if (op == "==") {
        return lhs == rhs;
    }
    if (op == "!=") {
        return lhs != rhs;
    }
    if (op == ">=") {
        return lhs >= rhs;
    }
    if (op == ">") {
        return lhs > rhs;
    }
    return fail(errc::undefined_comparison,
                "undefined comparison '" + op + "' of '" + lhs + "' and '" + rhs + "'");
}

result<std::string> lookup(const marker_environment& env, const std::string& name) {
    const auto it = env.values.find(name);
    if (it == env.values.end()) {
        return fail(errc::undefined_environment_name,
                    "'" + name + "' does not exist in the evaluation environment");
    }
    return it->second;
}

result<bool> eval_item(const marker_item& item, const marker_environment& env) {
    std::string lhs;
    std::string rhs;
    const std::string& key = item.lhs.is_variable ? item.lhs.value : item.rhs.value;
    auto value = lookup(env, key);
    if (!value) {
        return std::unexpected(std::move(value.error()));
    }
    if (item.lhs.is_variable) {
        lhs = std::move(*value);
        rhs = item.rhs.value; // a variable on the right stands for its name
    } else {
        lhs = item.lhs.value;
        rhs = std::move(*value);
    }
    if (env.normalize_extra && key == "extra") {
        lhs = normalize_name(lhs);
        rhs = normalize_name(rhs);
    }
    return eval_op(lhs, item.op, rhs);
}

// _evaluate_markers: any(all(group) for the groups split at "or").
result<bool> eval_node(const marker::node& n, const marker_environment& env) {
    if (n.is_item) {
        return eval_item(n.item, env);
    }
    bool any_group = false;
    bool group = true;
    for (std::size_t i = 0; i < n.elements.size(); ++i) {
        if (i > 0 && n.or_before[i - 1]) {
            any_group = any_group || group;
            group = true;
        }
        auto r = eval_node(n.elements[i], env);
        if (!r) {
            return r;
        }
        group = group && *r;
    }
    return any_group || group;
}

// The strings compared with `extra` anywhere in the tree.
void collect_extra_operands(const marker::node& n, std::set<std::string>& out) {
    if (!n.is_item) {
        for (const auto& e : n.elements) {
            collect_extra_operands(e, out);
        }
        return;
    }
    if (n.item.lhs.is_variable && n.item.lhs.value == "extra") {
        out.insert(n.item.rhs.value);
    } else if (!n.item.lhs.is_variable && n.item.rhs.value == "extra") {
        out.insert(n.item.lhs.value);
    }
}

} // namespace

marker_environment marker_environment::with_extra(std::string_view extra) const {
    marker_environment out = *this;
    out.values.insert_or_assign("extra", std::string(extra));
    out.normalize_extra = true;
    return out;
}

result<bool> marker::evaluate(const marker_environment& env) const {
    if (!root_) {
        return true;
    }
    return eval_node(*root_, env);
}

// Tries `extra` set to every string the marker compares it with, and to one it does not
// mention, with extras compared normalized as with_extra() does: that decides ==, !=, in and
// not in exactly (ordering comparisons of extras are not meaningful, and are only tried at
// those values). Errors count as false.
bool marker::may_hold_for_some_extra(const marker_environment& env) const {
    if (!root_) {
        return true;
    }
    std::set<std::string> candidates;
    collect_extra_operands(*root_, candidates);
    candidates.insert("\x01");
    marker_environment trial = env;
    trial.normalize_extra = true; // as with_extra() sets it
    for (const auto& candidate : candidates) {
        trial.values.insert_or_assign("extra", candidate);
        if (auto r = eval_node(*root_, trial); r && *r) {
            return true;
        }
    }
    return false;
}

} // namespace actpip::core
