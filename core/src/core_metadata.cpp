#include "actpip/core/core_metadata.hpp"
#include "actpip/core/ascii_text.hpp"

#include "actpip/core/name.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace actpip::core {
namespace {

constexpr auto trim = trim_ascii;

struct raw_field {
    std::string name;  // as written
    std::string value; // compat32 style: continuation lines joined with '\n', kept verbatim
};

struct raw_message {
    std::vector<raw_field> fields;
    std::string body;
    std::vector<std::string> warnings;
};

char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

// Python's email header name: printable ASCII except ':' (and space, which is not in range).
bool is_header_name_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x21 && u <= 0x7e && c != ':';
}

// Splits on \r\n, \r or \n like Python's email parser. `next` is set to the offset of the
// line after the one returned.
std::string_view next_line(std::string_view text, std::size_t pos, std::size_t& next) {
    const auto end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
        next = text.size();
        return text.substr(pos);
    }
    next = end + 1;
    if (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') {
        next = end + 2;
    }
    return text.substr(pos, end - pos);
}

raw_message read_message(std::string_view text) {
    raw_message msg;
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    std::size_t pos = 0;
    std::size_t line_number = 0;
    while (pos < text.size()) {
        std::size_t next = 0;
        const auto line = next_line(text, pos, next);
        ++line_number;
        if (line.empty()) { // the header/body separator
            pos = next;
            break;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (msg.fields.empty()) {
                msg.warnings.push_back("line " + std::to_string(line_number) +
                                       " continues a header but no header precedes it");
            } else {
                msg.fields.back().value += '\n';
                msg.fields.back().value += line;
            }
            pos = next;
            continue;
        }
        const auto colon = line.find(':');
        const bool is_header =
            colon != std::string_view::npos && colon > 0 &&
            std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                        is_header_name_char);
        if (!is_header) {
            // As Python's parser does: a line that is not a header ends the headers and
            // starts the body.
            msg.warnings.push_back("line " + std::to_string(line_number) +
                                   " is not a header; it and what follows are read as the body");
            break;
        }
        auto value = line.substr(colon + 1);
        value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
        msg.fields.push_back({std::string(line.substr(0, colon)), std::string(value)});
        pos = next;
    }
    if (pos < text.size()) {
        msg.body = std::string(text.substr(pos));
    }
    return msg;
}

// RFC 822 unfolding for typed fields: continuation lines joined by one space, trimmed.
std::string unfold(std::string_view raw) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        const auto end = std::min(raw.find('\n', pos), raw.size());
        const auto piece = trim(raw.substr(pos, end - pos));
        if (!piece.empty()) {
            if (!out.empty()) {
                out += ' ';
            }
            out += piece;
        }
        pos = end + 1;
    }
    return out;
}

// The Description field's own escaping: continuation lines start with 8 spaces (setuptools)
// or 7 spaces and `|` (distutils, and the Metadata 2.1 text).
std::string unescape_description(std::string_view raw) {
    std::string out;
    std::size_t pos = 0;
    bool first = true;
    while (pos <= raw.size()) {
        const auto end = std::min(raw.find('\n', pos), raw.size());
        auto line = raw.substr(pos, end - pos);
        if (first) {
            line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
        } else {
            out += '\n';
            if (line.starts_with("       |")) {
                line.remove_prefix(8);
            } else if (line.starts_with('\t')) {
                line.remove_prefix(1);
            } else {
                line.remove_prefix(
                    std::min({line.find_first_not_of(' '), line.size(), std::size_t{8}}));
            }
        }
        out += line;
        first = false;
        pos = end + 1;
    }
    return out;
}

std::string quoted(std::string_view value) {
    std::string out = "'";
    out += value;
    out += '\'';
    return out;
}

// "invalid Version '1.0x': <reason>", without repeating the value when the reason names it.
std::string explain(std::string_view what, std::string_view value, const std::string& reason) {
    if (reason.find(quoted(value)) != std::string::npos) {
        return std::string(what) + ": " + reason;
    }
    return std::string(what) + " " + quoted(value) + ": " + reason;
}

std::unexpected<error> metadata_error(std::string_view source, std::string message) {
    return fail(errc::invalid_metadata, std::string(source) + ": " + std::move(message));
}

result<metadata_version_number> parse_metadata_version(std::string_view text) {
    metadata_version_number v;
    const auto dot = text.find('.');
    const auto is_number = [](std::string_view s) {
        return !s.empty() && s.size() <= 4 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (dot == std::string_view::npos || !is_number(text.substr(0, dot)) ||
        !is_number(text.substr(dot + 1))) {
        return fail(errc::invalid_metadata, "expected <major>.<minor>");
    }
    const auto to_number = [](std::string_view s) {
        unsigned n = 0;
        std::from_chars(s.data(), s.data() + s.size(), n);
        return n;
    };
    v.major = to_number(text.substr(0, dot));
    v.minor = to_number(text.substr(dot + 1));
    return v;
}

enum class field_kind {
    metadata_version,
    name,
    version,
    requires_dist,
    requires_python,
    provides_extra,
    dynamic,
    description,
    other,
};

field_kind kind_of(std::string_view name) {
    static constexpr std::pair<std::string_view, field_kind> known[] = {
        {"metadata-version", field_kind::metadata_version},
        {"name", field_kind::name},
        {"version", field_kind::version},
        {"requires-dist", field_kind::requires_dist},
        {"requires-python", field_kind::requires_python},
        {"provides-extra", field_kind::provides_extra},
        {"dynamic", field_kind::dynamic},
        {"description", field_kind::description},
    };
    for (const auto& [n, k] : known) {
        if (iequals(n, name)) {
            return k;
        }
    }
    return field_kind::other;
}

// Single-use fields: a repeat with the same value is tolerated, a different one is an error.
result<void> set_single(std::optional<std::string>& slot, std::string_view field, std::string value,
                        std::string_view source) {
    if (slot && *slot != value) {
        return metadata_error(source, "field " + std::string(field) +
                                          " appears more than once with different values (" +
                                          quoted(*slot) + " and " + quoted(value) + ")");
    }
    slot = std::move(value);
    return {};
}

struct collected_fields {
    std::optional<std::string> metadata_version;
    std::optional<std::string> name;
    std::optional<std::string> version;
    std::optional<std::string> requires_python;
    std::optional<std::string> description_header;
};

result<void> apply_fields(const raw_message& msg, std::string_view source, core_metadata& md,
                          collected_fields& c) {
    for (const auto& field : msg.fields) {
        const auto kind = kind_of(field.name);
        result<void> ok;
        switch (kind) {
        case field_kind::metadata_version:
            ok = set_single(c.metadata_version, "Metadata-Version", unfold(field.value), source);
            break;
        case field_kind::name:
            ok = set_single(c.name, "Name", unfold(field.value), source);
            break;
        case field_kind::version:
            ok = set_single(c.version, "Version", unfold(field.value), source);
            break;
        case field_kind::requires_python:
            ok = set_single(c.requires_python, "Requires-Python", unfold(field.value), source);
            break;
        case field_kind::requires_dist: {
            const auto value = unfold(field.value);
            auto req = requirement::parse(value);
            if (!req) {
                return metadata_error(source,
                                      explain("invalid Requires-Dist", value, req.error().message));
            }
            md.requires_dist.push_back(std::move(*req));
            break;
        }
        case field_kind::provides_extra: {
            auto value = unfold(field.value);
            if (!is_valid_name(value)) {
                md.warnings.push_back("Provides-Extra " + quoted(value) +
                                      " is not a valid extra name");
            }
            auto normalized = normalize_name(value);
            const bool seen =
                std::any_of(md.provides_extra.begin(), md.provides_extra.end(),
                            [&](const provided_extra& e) { return e.normalized == normalized; });
            if (!seen) {
                md.provides_extra.push_back({std::move(value), std::move(normalized)});
            }
            break;
        }
        case field_kind::dynamic: {
            auto value = unfold(field.value);
            if (iequals(value, "name") || iequals(value, "version") ||
                iequals(value, "metadata-version")) {
                md.warnings.push_back("Dynamic lists " + quoted(value) +
                                      ", which may not be dynamic");
            }
            md.dynamic.push_back(std::move(value));
            break;
        }
        case field_kind::description:
            if (!c.description_header) {
                c.description_header = unescape_description(field.value);
            }
            md.other_fields.emplace_back(field.name, field.value);
            break;
        case field_kind::other:
            md.other_fields.emplace_back(field.name, field.value);
            break;
        }
        if (!ok) {
            return std::unexpected(std::move(ok.error()));
        }
    }
    return {};
}

result<void> apply_required(const collected_fields& c, std::string_view source, core_metadata& md) {
    if (!c.metadata_version) {
        return metadata_error(source, "missing required field Metadata-Version");
    }
    auto mv = parse_metadata_version(*c.metadata_version);
    if (!mv) {
        return metadata_error(source, "invalid Metadata-Version " + quoted(*c.metadata_version) +
                                          ": " + mv.error().message);
    }
    if (mv->major < 1 || mv->major > 2) {
        return metadata_error(source, "unsupported Metadata-Version " +
                                          quoted(*c.metadata_version) +
                                          ": only 1.0 to 2.4 are understood");
    }
    if (*mv > metadata_version_number{2, 4}) {
        md.warnings.push_back("Metadata-Version " + *c.metadata_version +
                              " is newer than 2.4; fields added later are kept raw");
    }
    md.metadata_version_text = *c.metadata_version;
    md.metadata_version = *mv;

    if (!c.name || c.name->empty()) {
        return metadata_error(source, "missing required field Name");
    }
    if (!is_valid_name(*c.name)) {
        return metadata_error(source, "invalid Name " + quoted(*c.name) +
                                          ": a name is ASCII letters, digits, '.', '-' and "
                                          "'_', starting and ending with a letter or digit");
    }
    md.name = *c.name;

    if (!c.version || c.version->empty()) {
        return metadata_error(source, "missing required field Version");
    }
    auto v = version::parse(*c.version);
    if (!v) {
        return metadata_error(source, explain("invalid Version", *c.version, v.error().message));
    }
    md.version = std::move(*v);
    return {};
}

} // namespace

result<core_metadata> core_metadata::parse(std::string_view text, std::string_view source) {
    auto msg = read_message(text);
    core_metadata md;
    for (auto& w : msg.warnings) {
        md.warnings.push_back(std::string(source) + ": " + std::move(w));
    }
    collected_fields c;
    if (auto ok = apply_fields(msg, source, md, c); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = apply_required(c, source, md); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (c.requires_python) {
        auto spec = specifier_set::parse(*c.requires_python);
        if (spec) {
            md.requires_python = std::move(*spec);
        } else {
            md.warnings.push_back(
                std::string(source) + ": ignored " +
                explain("invalid Requires-Python", *c.requires_python, spec.error().message));
        }
    }
    if (!msg.body.empty()) {
        if (c.description_header && !trim(*c.description_header).empty()) {
            md.warnings.push_back(std::string(source) +
                                  ": both a Description field and a body; the body is used");
        }
        md.description = std::move(msg.body);
    } else if (c.description_header) {
        md.description = std::move(c.description_header);
    }
    return md;
}

std::string core_metadata::normalized_name() const {
    return normalize_name(name);
}

bool core_metadata::provides(std::string_view extra) const {
    const auto wanted = normalize_name(extra);
    return std::any_of(provides_extra.begin(), provides_extra.end(),
                       [&](const provided_extra& e) { return e.normalized == wanted; });
}

std::vector<std::string> core_metadata::get_all(std::string_view field) const {
    std::vector<std::string> out;
    for (const auto& [name, value] : other_fields) {
        if (iequals(name, field)) {
            out.push_back(value);
        }
    }
    return out;
}

std::optional<std::string> core_metadata::get(std::string_view field) const {
    for (const auto& [name, value] : other_fields) {
        if (iequals(name, field)) {
            return value;
        }
    }
    return std::nullopt;
}

applicable_dependencies dependencies_for(const core_metadata& metadata,
                                         const marker_environment& env,
                                         const std::vector<std::string>& extras) {
    applicable_dependencies out;
    std::vector<std::string> chosen{""};
    for (const auto& extra : extras) {
        auto normalized = normalize_name(extra);
        if (std::find(chosen.begin(), chosen.end(), normalized) != chosen.end()) {
            continue;
        }
        if (metadata.provides(normalized)) {
            chosen.push_back(std::move(normalized));
        } else if (std::none_of(
                       out.unknown_extras.begin(), out.unknown_extras.end(),
                       [&](const std::string& e) { return normalize_name(e) == normalized; })) {
            out.unknown_extras.push_back(extra);
        }
    }
    std::vector<marker_environment> envs;
    envs.reserve(chosen.size());
    for (const auto& extra : chosen) {
        envs.push_back(env.with_extra(extra));
    }
    for (const auto& req : metadata.requires_dist) {
        const bool applies =
            !req.marker || std::any_of(envs.begin(), envs.end(), [&](const marker_environment& e) {
                return req.applies_to(e);
            });
        if (applies) {
            out.requirements.push_back(req);
        }
    }
    return out;
}

} // namespace actpip::core
