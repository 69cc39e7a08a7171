#include "debug_vectors.hpp"
#include "debug_vectors_detail.hpp"
#include "json_writer.hpp"

#include "actpip/core/marker.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/requirement.hpp"
#include "actpip/core/specifier.hpp"
#include "actpip/core/version.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace actpip::cli {

namespace {

using detail::str;
using detail::str_list;
using rapidjson::Value;

std::optional<bool> opt_bool(const Value& obj, const char* key) {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || !it->value.IsBool()) {
        return std::nullopt;
    }
    return it->value.GetBool();
}

std::string_view pre_letter(core::pre_kind k) {
    switch (k) {
    case core::pre_kind::alpha:
        return "a";
    case core::pre_kind::beta:
        return "b";
    case core::pre_kind::rc:
        return "rc";
    }
    return "?";
}

void write_sorted_specifiers(json_writer& w, const core::specifier_set& set) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& c : set.clauses()) {
        std::string op(core::to_string(c.op()));
        std::string v = c.version_text();
        if (c.wildcard() && !v.ends_with(".*")) {
            v += ".*";
        }
        pairs.emplace_back(std::move(op), std::move(v));
    }
    std::sort(pairs.begin(), pairs.end());
    w.begin_array();
    for (const auto& [op, v] : pairs) {
        w.begin_array().string(op).string(v).end_array();
    }
    w.end_array();
}

bool version_parse(const Value& in, json_writer& w) {
    auto v = core::version::parse(str(in, "version"));
    w.begin_object().key("valid").boolean(v.has_value());
    if (v) {
        w.key("normalized").string(v->to_string());
        w.key("public").string(v->public_version());
        w.key("base_version").string(v->base_version());
        w.key("epoch").uint(v->epoch());
        w.key("release").begin_array();
        for (auto n : v->release()) {
            w.uint(n);
        }
        w.end_array();
        w.key("pre");
        if (v->pre()) {
            w.begin_array().string(pre_letter(v->pre()->kind)).uint(v->pre()->number).end_array();
        } else {
            w.null();
        }
        w.key("post");
        v->post() ? w.uint(*v->post()) : w.null();
        w.key("dev");
        v->dev() ? w.uint(*v->dev()) : w.null();
        w.key("local");
        v->has_local() ? w.string(v->local_string()) : w.null();
        w.key("is_prerelease").boolean(v->is_prerelease());
        w.key("is_postrelease").boolean(v->is_postrelease());
        w.key("is_devrelease").boolean(v->is_devrelease());
    }
    w.end_object();
    return true;
}

bool version_compare(const Value& in, json_writer& w) {
    auto a = core::version::parse(str(in, "a"));
    auto b = core::version::parse(str(in, "b"));
    if (!a || !b) {
        return false;
    }
    auto c = *a <=> *b;
    w.begin_object().key("cmp").integer(c < 0 ? -1 : (c > 0 ? 1 : 0)).end_object();
    return true;
}

bool specifier_parse(const Value& in, json_writer& w) {
    auto s = core::specifier_set::parse(str(in, "specifier"));
    w.begin_object().key("valid").boolean(s.has_value());
    if (s) {
        w.key("specifiers");
        write_sorted_specifiers(w, *s);
        w.key("prereleases");
        auto p = s->prereleases();
        p ? w.boolean(*p) : w.null();
    }
    w.end_object();
    return true;
}

bool specifier_contains(const Value& in, json_writer& w) {
    auto s = core::specifier_set::parse(str(in, "specifier"));
    if (!s) {
        // Deliberate divergence from packaging 21.3: specifiers it accepts only as a
        // LegacySpecifier (`<1.2.3+foo`, `>=1.0+foo`) are invalid, as in every newer
        // packaging and in uv, so their containment cases are declined (README lists the
        // divergences).
        return false;
    }
    bool r = s->contains(str(in, "version"), opt_bool(in, "prereleases"));
    w.begin_object().key("result").boolean(r).end_object();
    return true;
}

bool specifier_filter(const Value& in, json_writer& w) {
    auto s = core::specifier_set::parse(str(in, "specifier"));
    if (!s) {
        return false;
    }
    auto kept = s->filter(str_list(in, "versions"), opt_bool(in, "prereleases"));
    w.begin_object().key("result").begin_array();
    for (const auto& v : kept) {
        w.string(v);
    }
    w.end_array().end_object();
    return true;
}

bool marker_evaluate(const Value& in, json_writer& w) {
    auto m = core::marker::parse(str(in, "marker"));
    w.begin_object().key("valid").boolean(m.has_value());
    if (m) {
        core::marker_environment env;
        if (auto it = in.FindMember("environment"); it != in.MemberEnd() && it->value.IsObject()) {
            for (const auto& kv : it->value.GetObject()) {
                if (kv.value.IsString()) {
                    env.values.emplace(kv.name.GetString(), kv.value.GetString());
                }
            }
        }
        auto r = m->evaluate(env);
        w.key("result");
        if (r) {
            w.boolean(*r);
        } else {
            w.string("error").key("error");
            w.string(r.error().code == core::errc::undefined_environment_name
                         ? "UndefinedEnvironmentName"
                         : "UndefinedComparison");
        }
    }
    w.end_object();
    return true;
}

bool requirement_parse(const Value& in, json_writer& w) {
    auto r = core::requirement::parse(str(in, "requirement"));
    w.begin_object().key("valid").boolean(r.has_value());
    if (r) {
        w.key("name").string(r->name);
        auto extras = r->extras;
        std::sort(extras.begin(), extras.end());
        w.key("extras").begin_array();
        for (const auto& e : extras) {
            w.string(e);
        }
        w.end_array();
        w.key("specifiers");
        write_sorted_specifiers(w, r->specifiers);
        w.key("url");
        r->url ? w.string(*r->url) : w.null();
        w.key("marker");
        r->marker ? w.string(r->marker->to_string()) : w.null();
    }
    w.end_object();
    return true;
}

bool canonicalize_name(const Value& in, json_writer& w) {
    w.begin_object().key("result").string(core::normalize_name(str(in, "name"))).end_object();
    return true;
}

using handler = bool (*)(const Value&, json_writer&);

handler find_handler(std::string_view kind) {
    static const std::pair<std::string_view, handler> table[] = {
        {"version_parse", version_parse},
        {"version_compare", version_compare},
        {"specifier_parse", specifier_parse},
        {"specifier_contains", specifier_contains},
        {"specifier_filter", specifier_filter},
        {"marker_evaluate", marker_evaluate},
        {"requirement_parse", requirement_parse},
        {"canonicalize_name", canonicalize_name},
        {"wheel_filename", detail::wheel_filename_vector},
        {"tag_parse", detail::tag_parse_vector},
        {"tag_priority", detail::tag_priority_vector},
    };
    for (const auto& [name, fn] : table) {
        if (name == kind) {
            return fn;
        }
    }
    return nullptr;
}

} // namespace

namespace detail {

std::string str(const Value& obj, const char* key) {
    auto it = obj.FindMember(key);
    return it != obj.MemberEnd() && it->value.IsString()
               ? std::string(it->value.GetString(), it->value.GetStringLength())
               : std::string();
}

std::vector<std::string> str_list(const Value& obj, const char* key) {
    std::vector<std::string> out;
    auto it = obj.FindMember(key);
    if (it != obj.MemberEnd() && it->value.IsArray()) {
        for (const auto& v : it->value.GetArray()) {
            if (v.IsString()) {
                out.emplace_back(v.GetString(), v.GetStringLength());
            }
        }
    }
    return out;
}

} // namespace detail

int run_debug_vectors(std::istream& in, std::ostream& out) {
    std::string line;
    int bad = 0;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        rapidjson::Document req;
        req.Parse(line.c_str(), line.size());
        if (req.HasParseError() || !req.IsObject()) {
            ++bad;
            continue;
        }
        json_writer w;
        w.begin_object().key("id");
        if (auto it = req.FindMember("id"); it != req.MemberEnd()) {
            w.value(it->value);
        } else {
            w.null();
        }
        handler fn = find_handler(str(req, "kind"));
        auto input = req.FindMember("input");
        json_writer body;
        if (fn && input != req.MemberEnd() && input->value.IsObject() && fn(input->value, body)) {
            w.key("output").raw(body.str());
        } else {
            w.key("unsupported").boolean(true);
        }
        w.end_object();
        out << w.str() << '\n';
    }
    out.flush();
    return bad == 0 ? 0 : 1;
}

} // namespace actpip::cli
