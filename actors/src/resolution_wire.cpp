#include "actpip/actors/resolution_wire.hpp"

#include "actpip/core/name.hpp"

#include <algorithm>
#include <utility>

namespace actpip::actors {

namespace {

wire_unavailable to_wire(const resolver::unavailable& u) {
    return {u.kind, u.message};
}

resolver::unavailable from_wire(const wire_unavailable& u) {
    // A kind from a newer peer that this build does not know is "other".
    auto kind = static_cast<int>(u.kind) <= static_cast<int>(resolver::unavailable_kind::other)
                    ? u.kind
                    : resolver::unavailable_kind::other;
    return {kind, u.message};
}

std::optional<std::string> opt_url(const std::string& url) {
    return url.empty() ? std::nullopt : std::optional<std::string>(url);
}

resolver::unavailable bad_text(resolver::unavailable_kind kind, const std::string& what,
                               const core::error& e) {
    return {kind, what + ": " + e.describe()};
}

} // namespace

versions_query to_query(const resolver::versions_request& r, bool prefetch) {
    return {r.name, r.url.value_or(""), prefetch, {}};
}

metadata_query to_query(const resolver::metadata_request& r, bool prefetch) {
    return {r.name, r.version.to_string(), r.url.value_or(""), prefetch, {}};
}

versions_answer to_wire(const resolver::versions_response& r) {
    versions_answer a;
    a.name = r.name;
    a.url = r.url.value_or("");
    if (auto* why = std::get_if<resolver::unavailable>(&r.result)) {
        a.available = false;
        a.missing = to_wire(*why);
        return a;
    }
    for (const auto& c : std::get<std::vector<resolver::candidate>>(r.result)) {
        wire_candidate w;
        w.version = c.version.to_string();
        if (c.requires_python) {
            w.requires_python = c.requires_python->to_string();
        }
        w.yanked = c.yanked;
        w.yank_reason = c.yank_reason;
        if (c.unusable) {
            w.usable = false;
            w.unusable = to_wire(*c.unusable);
        }
        a.candidates.push_back(std::move(w));
    }
    return a;
}

metadata_answer to_wire(const resolver::metadata_response& r) {
    metadata_answer a;
    a.name = r.name;
    a.version = r.version.to_string();
    a.url = r.url.value_or("");
    if (auto* why = std::get_if<resolver::unavailable>(&r.result)) {
        a.available = false;
        a.missing = to_wire(*why);
        return a;
    }
    const auto& m = std::get<resolver::dist_metadata>(r.result);
    for (const auto& req : m.requires_dist) {
        a.requires_dist.push_back(req.to_string());
    }
    if (m.requires_python) {
        a.requires_python = m.requires_python->to_string();
    }
    a.provides_extra = m.provides_extra;
    return a;
}

resolver::versions_response from_wire(const versions_answer& a) {
    resolver::versions_response r{a.name, opt_url(a.url), resolver::unavailable{}};
    if (!a.available) {
        r.result = from_wire(a.missing);
        return r;
    }
    std::vector<resolver::candidate> candidates;
    for (const auto& w : a.candidates) {
        auto v = core::version::parse(w.version);
        if (!v) {
            r.result = bad_text(resolver::unavailable_kind::other,
                                "the index lists a bad version of " + a.name, v.error());
            return r;
        }
        resolver::candidate c{*v, std::nullopt, w.yanked, w.yank_reason, std::nullopt};
        if (!w.requires_python.empty()) {
            auto rp = core::specifier_set::parse(w.requires_python);
            if (!rp) {
                // pip ignores an unparsable Requires-Python on an index page; so do we.
                rp = core::specifier_set{};
            }
            c.requires_python = std::move(*rp);
        }
        if (!w.usable) {
            c.unusable = from_wire(w.unusable);
        }
        candidates.push_back(std::move(c));
    }
    r.result = std::move(candidates);
    return r;
}

resolver::metadata_response from_wire(const metadata_answer& a) {
    auto v = core::version::parse(a.version);
    resolver::metadata_response r{a.name, v.value_or(core::version{}), opt_url(a.url),
                                  resolver::unavailable{}};
    if (!v) {
        r.result = bad_text(resolver::unavailable_kind::invalid_metadata,
                            "metadata of " + a.name + " names a bad version", v.error());
        return r;
    }
    if (!a.available) {
        r.result = from_wire(a.missing);
        return r;
    }
    resolver::dist_metadata m;
    for (const auto& line : a.requires_dist) {
        auto req = core::requirement::parse(line);
        if (!req) {
            r.result = bad_text(resolver::unavailable_kind::invalid_metadata,
                                a.name + " " + a.version + " has a bad Requires-Dist", req.error());
            return r;
        }
        m.requires_dist.push_back(std::move(*req));
    }
    if (!a.requires_python.empty()) {
        auto rp = core::specifier_set::parse(a.requires_python);
        if (!rp) {
            r.result =
                bad_text(resolver::unavailable_kind::invalid_metadata,
                         a.name + " " + a.version + " has a bad Requires-Python", rp.error());
            return r;
        }
        m.requires_python = std::move(*rp);
    }
    m.provides_extra = a.provides_extra;
    r.result = std::move(m);
    return r;
}

resolution_outcome to_outcome(const resolver::solution& s) {
    resolution_outcome o;
    o.ok = true;
    for (const auto& p : s.pins) {
        resolved_pin pin;
        pin.name = p.name;
        pin.version = p.version.to_string();
        pin.extras = p.extras;
        pin.url = p.url.value_or("");
        pin.installed = p.installed;
        o.pins.push_back(std::move(pin));
    }
    o.steps = s.stats.steps;
    o.decisions = s.stats.decisions;
    o.conflicts = s.stats.conflicts;
    return o;
}

resolution_outcome to_outcome(const resolver::failure& f) {
    resolution_outcome o;
    o.explanation = f.explanation;
    o.hints = f.hints;
    o.steps = f.stats.steps;
    o.decisions = f.stats.decisions;
    o.conflicts = f.stats.conflicts;
    return o;
}

std::string pin_key(const std::string& name, const std::string& version) {
    auto v = core::version::parse(version);
    return core::normalize_name(name) + "==" + (v ? v->to_string() : version);
}

void answer_log::add(const versions_answer& a) {
    for (const auto& w : a.warnings)
        if (std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end())
            warnings_.push_back(w);
    for (const auto& c : a.candidates)
        if (c.yanked)
            yanked_.insert(pin_key(a.name, c.version));
}

void answer_log::add(const metadata_answer& a) {
    if (a.available)
        metadata_.insert_or_assign(pin_key(a.name, a.version), a);
}

void answer_log::annotate(resolution_outcome& outcome) const {
    outcome.warnings = warnings_;
    for (auto& pin : outcome.pins) {
        auto key = pin_key(pin.name, pin.version);
        pin.yanked = yanked_.contains(key);
        if (auto it = metadata_.find(key); it != metadata_.end()) {
            pin.requires_dist = it->second.requires_dist;
            pin.requires_python = it->second.requires_python;
            pin.provides_extra = it->second.provides_extra;
        }
    }
}

} // namespace actpip::actors
