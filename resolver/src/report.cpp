#include "actpip/resolver/report.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace actpip::resolver {

namespace {

std::string package_range(const report_context& ctx, package_id p, const version_set& set,
                          bool simplify) {
    const package_key& key = ctx.packages.key(p);
    const std::string name = key.to_string();
    if (set.is_full()) {
        return name;
    }
    if (simplify) {
        const auto known = ctx.known_versions(key.name);
        std::size_t inside = 0;
        const core::version* only = nullptr;
        for (const auto& v : known) {
            if (set.contains(v)) {
                ++inside;
                only = &v;
            }
        }
        if (!known.empty() && inside == known.size()) {
            return name;
        }
        if (inside == 1) {
            return name + "==" + only->to_string();
        }
    }
    return name + set.to_string();
}

std::string positive(const report_context& ctx, const term& t) {
    return package_range(ctx, t.package, t.set, true);
}

std::string dependency_target(const report_context& ctx, const term& t) {
    return package_range(ctx, t.package, t.set, false);
}

std::string join_and(const std::vector<std::string>& parts, const std::string& word) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += (i + 1 == parts.size()) ? " " + word + " " : ", ";
        }
        out += parts[i];
    }
    return out;
}

std::string describe_derived(const report_context& ctx, const incompatibility& inc) {
    std::vector<const term*> pos;
    std::vector<const term*> neg;
    bool has_root = false;
    for (const auto& t : inc.terms) {
        if (t.package == root_package) {
            has_root = has_root || t.positive;
            continue;
        }
        (t.positive ? pos : neg).push_back(&t);
    }
    if (pos.empty() && neg.empty()) {
        return "your requirements are unsatisfiable";
    }
    std::vector<std::string> ps;
    std::vector<std::string> ns;
    for (const term* t : pos) {
        ps.push_back(positive(ctx, *t));
    }
    for (const term* t : neg) {
        ns.push_back(dependency_target(ctx, *t));
    }
    if (neg.empty()) {
        if (pos.size() == 1) {
            return ps[0] + " cannot be used";
        }
        return join_and(ps, "and") + " cannot be installed together";
    }
    if (pos.empty()) {
        if (has_root) {
            return "you require " + join_and(ns, "and");
        }
        return join_and(ns, "or") + (ns.size() == 1 ? " is required" : " must be installed");
    }
    return join_and(ps, "and") + (pos.size() == 1 ? " depends on " : " together depend on ") +
           join_and(ns, "or");
}

} // namespace

std::string describe(const report_context& ctx, const incompatibility& inc) {
    switch (inc.kind) {
    case incompat_kind::root:
        return "your requirements must be installed";
    case incompat_kind::dependency: {
        if (inc.terms.size() == 1) {
            return positive(ctx, inc.terms[0]) + " depends on another version of itself";
        }
        const term& from = inc.terms[0];
        const term& to = inc.terms[1];
        if (from.package == root_package) {
            return "you require " + dependency_target(ctx, to);
        }
        return positive(ctx, from) + " depends on " + dependency_target(ctx, to);
    }
    case incompat_kind::constraint: {
        const term& t = inc.terms.back();
        return "your constraints allow only " +
               package_range(ctx, t.package, t.set.complement(), false);
    }
    case incompat_kind::no_versions: {
        const term& t = inc.terms[0];
        std::string out = "there is no version of " + dependency_target(ctx, t);
        if (!inc.reason.empty()) {
            out += " (" + inc.reason + ")";
        }
        return out;
    }
    case incompat_kind::unavailable:
        return positive(ctx, inc.terms[0]) + " " + inc.reason;
    case incompat_kind::derived:
        return describe_derived(ctx, inc);
    }
    return {};
}

namespace {

class writer {
public:
    writer(const report_context& ctx, incompat_id root) : ctx_(ctx), root_(root) { count(root); }

    std::string run() {
        root_ = simplify(root_);
        const incompatibility& r = at(root_);
        if (r.kind == incompat_kind::derived) {
            visit(root_, false);
        } else {
            lines_.push_back({"Because " + text(root_) + ", your requirements are unsatisfiable.",
                              std::nullopt});
        }
        std::string out;
        for (const auto& [msg, number] : lines_) {
            if (number) {
                out += "(" + std::to_string(*number) + ") ";
            }
            out += msg + "\n";
        }
        return out;
    }

private:
    const report_context& ctx_;
    incompat_id root_;
    std::map<incompat_id, int> derivations_;
    std::map<incompat_id, int> line_numbers_;
    std::vector<std::pair<std::string, std::optional<int>>> lines_;

    const incompatibility& at(incompat_id id) const { return ctx_.incompats[id]; }

    // A derivation that only says "and there are no other versions" restates its other
    // parent; the explanation skips it.
    incompat_id simplify(incompat_id id) const {
        for (;;) {
            const auto& inc = at(id);
            if (inc.kind != incompat_kind::derived) {
                return id;
            }
            const auto& l = at(inc.left);
            const auto& r = at(inc.right);
            const std::string self = describe(ctx_, inc);
            if (l.kind == incompat_kind::no_versions && describe(ctx_, r) == self) {
                id = inc.right;
            } else if (r.kind == incompat_kind::no_versions && describe(ctx_, l) == self) {
                id = inc.left;
            } else {
                return id;
            }
        }
    }
    incompat_id left_of(incompat_id id) const { return simplify(at(id).left); }
    incompat_id right_of(incompat_id id) const { return simplify(at(id).right); }

    // "you require a and b" for two dependencies of the same package.
    std::string and_text(incompat_id a, incompat_id b) const {
        const auto& x = at(a);
        const auto& y = at(b);
        if (x.kind == incompat_kind::dependency && y.kind == incompat_kind::dependency &&
            x.terms.size() == 2 && y.terms.size() == 2 && x.terms[0] == y.terms[0]) {
            const std::string tx = text(a);
            const std::string ty = text(b);
            const std::string verb =
                x.terms[0].package == root_package ? "you require " : " depends on ";
            const auto cut_at = [&](const std::string& t) {
                const auto pos = t.find(verb);
                return pos == std::string::npos ? t : t.substr(pos + verb.size());
            };
            return tx + " and " + cut_at(ty);
        }
        return text(a) + " and " + text(b);
    }
    bool derived(incompat_id id) const { return at(id).kind == incompat_kind::derived; }
    std::string text(incompat_id id) const { return describe(ctx_, at(id)); }

    void count(incompat_id id) {
        auto [it, inserted] = derivations_.try_emplace(id, 1);
        if (!inserted) {
            ++it->second;
            return;
        }
        if (derived(id)) {
            count(left_of(id));
            count(right_of(id));
        }
    }

    std::string line_ref(incompat_id id) const {
        return " (" + std::to_string(line_numbers_.at(id)) + ")";
    }

    void write(incompat_id id, std::string message, bool numbered) {
        if (numbered) {
            const int n = static_cast<int>(line_numbers_.size()) + 1;
            line_numbers_[id] = n;
            lines_.push_back({std::move(message), n});
        } else {
            lines_.push_back({std::move(message), std::nullopt});
        }
    }

    bool single_line(incompat_id id) const {
        return !derived(left_of(id)) && !derived(right_of(id));
    }

    bool collapsible(incompat_id id) const {
        if (derivations_.at(id) > 1) {
            return false;
        }
        const incompat_id l = left_of(id);
        const incompat_id r = right_of(id);
        if (derived(l) == derived(r)) {
            return false;
        }
        const incompat_id complex = derived(l) ? l : r;
        return !line_numbers_.contains(complex);
    }

    void visit(incompat_id id, bool conclusion) {
        const bool numbered = conclusion || derivations_.at(id) > 1;
        const std::string conjunction = (conclusion || id == root_) ? "So," : "And";
        const std::string self = text(id);
        const incompat_id left = left_of(id);
        const incompat_id right = right_of(id);
        if (derived(left) && derived(right)) {
            const bool left_line = line_numbers_.contains(left);
            const bool right_line = line_numbers_.contains(right);
            if (left_line && right_line) {
                write(id,
                      "Because " + text(left) + line_ref(left) + " and " + text(right) +
                          line_ref(right) + ", " + self + ".",
                      numbered);
            } else if (left_line || right_line) {
                const incompat_id with = left_line ? left : right;
                const incompat_id without = left_line ? right : left;
                visit(without, false);
                write(id,
                      conjunction + " because " + text(with) + line_ref(with) + ", " + self + ".",
                      numbered);
            } else if (single_line(left) || single_line(right)) {
                const incompat_id first = single_line(right) ? left : right;
                const incompat_id second = single_line(right) ? right : left;
                visit(first, false);
                visit(second, false);
                write(id, "Thus, " + self + ".", numbered);
            } else {
                visit(left, true);
                lines_.push_back({"", std::nullopt});
                visit(right, false);
                write(id,
                      conjunction + " because " + text(left) + line_ref(left) + ", " + self + ".",
                      numbered);
            }
            return;
        }
        if (derived(left) || derived(right)) {
            const incompat_id d = derived(left) ? left : right;
            const incompat_id ext = derived(left) ? right : left;
            if (line_numbers_.contains(d)) {
                write(id,
                      "Because " + text(ext) + " and " + text(d) + line_ref(d) + ", " + self + ".",
                      numbered);
            } else if (collapsible(d)) {
                const incompat_id dl = left_of(d);
                const incompat_id dr = right_of(d);
                const incompat_id collapsed_derived = derived(dl) ? dl : dr;
                const incompat_id collapsed_ext = derived(dl) ? dr : dl;
                visit(collapsed_derived, false);
                write(id,
                      conjunction + " because " + and_text(collapsed_ext, ext) + ", " + self + ".",
                      numbered);
            } else {
                visit(d, false);
                write(id, conjunction + " because " + text(ext) + ", " + self + ".", numbered);
            }
            return;
        }
        write(id, "Because " + and_text(left, right) + ", " + self + ".", numbered);
    }
};

void collect(const report_context& ctx, incompat_id id, std::set<incompat_id>& seen,
             std::vector<incompat_id>& leaves) {
    if (!seen.insert(id).second) {
        return;
    }
    const auto& inc = ctx.incompats[id];
    if (inc.kind == incompat_kind::derived) {
        collect(ctx, inc.left, seen, leaves);
        collect(ctx, inc.right, seen, leaves);
    } else {
        leaves.push_back(id);
    }
}

} // namespace

std::string explain(const report_context& ctx, incompat_id root) {
    return writer(ctx, root).run();
}

std::vector<std::string> hints(const report_context& ctx, incompat_id root, bool pre_allowed) {
    std::set<incompat_id> seen;
    std::vector<incompat_id> leaves;
    collect(ctx, root, seen, leaves);
    std::vector<std::string> out;
    for (incompat_id id : leaves) {
        const auto& inc = ctx.incompats[id];
        if (inc.kind != incompat_kind::no_versions || inc.reason.empty()) {
            continue;
        }
        const std::string name = ctx.packages.key(inc.terms[0].package).name;
        std::string h;
        if (inc.reason.find("pre-release") != std::string::npos && !pre_allowed) {
            h = "pre-releases of " + name + " match; use --pre to allow them";
        } else if (inc.reason.find("yanked") != std::string::npos) {
            h = "only yanked versions of " + name + " match; pin one with == to use it";
        }
        if (!h.empty() && std::find(out.begin(), out.end(), h) == out.end()) {
            out.push_back(std::move(h));
        }
    }
    return out;
}

} // namespace actpip::resolver
