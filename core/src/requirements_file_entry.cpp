// Requirement lines: PEP 508 requirements, and wheel files named by path or URL.

#include "actpip/core/ascii_text.hpp"
#include "requirements_file_detail.hpp"

#include "actpip/core/name.hpp"
#include "actpip/core/wheel_filename.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace actpip::core {
namespace detail {
namespace {

constexpr auto trim = trim_ascii;

using spec_type = std::variant<requirement, direct_file>;

char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == suffix;
}

// pip's is_archive_file.
bool is_archive(std::string_view path) {
    static constexpr std::array<std::string_view, 12> extensions{
        ".whl", ".zip",    ".tar.gz", ".tgz", ".tar",    ".tar.bz2",
        ".tbz", ".tar.xz", ".txz",    ".tlz", ".tar.lz", ".tar.lzma"};
    return std::any_of(extensions.begin(), extensions.end(),
                       [&](std::string_view ext) { return ends_with_ci(path, ext); });
}

// pip's _looks_like_path (POSIX).
bool looks_like_path(std::string_view text) {
    return text.find('/') != std::string_view::npos || text.starts_with('.');
}

enum class url_kind { none, plain, vcs };

// pip's is_url: a scheme pip knows, archive or version control.
url_kind classify_url(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return url_kind::none;
    }
    const auto scheme = lower(text.substr(0, colon));
    if (scheme == "http" || scheme == "https" || scheme == "file" || scheme == "ftp") {
        return url_kind::plain;
    }
    for (std::string_view vcs : {"git", "hg", "svn", "bzr"}) {
        if (scheme == vcs || (scheme.starts_with(vcs) && scheme.size() > vcs.size() &&
                              scheme[vcs.size()] == '+' && has_scheme(text))) {
            return url_kind::vcs;
        }
    }
    return url_kind::none;
}

result<std::vector<std::string>> parse_extras(std::string_view text) {
    std::vector<std::string> extras;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = std::min(text.find(',', pos), text.size());
        const auto extra = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (extra.empty() && end == text.size() && extras.empty()) {
            break;
        }
        if (!is_valid_name(extra)) {
            return fail(errc::invalid_requirements_file, "invalid extra " + quoted(extra));
        }
        extras.emplace_back(extra);
    }
    std::sort(extras.begin(), extras.end());
    extras.erase(std::unique(extras.begin(), extras.end()), extras.end());
    return extras;
}

result<spec_type> make_direct_file(std::string_view location, bool is_url,
                                   std::string_view extras_text, std::string_view marker_text) {
    direct_file file;
    file.location = std::string(location);
    file.is_url = is_url;
    if (!extras_text.empty()) {
        auto extras = parse_extras(extras_text);
        if (!extras) {
            return std::unexpected(std::move(extras.error()));
        }
        file.extras = std::move(*extras);
    }
    auto wheel = parse_wheel_filename(file.filename());
    if (!wheel) {
        return fail(errc::invalid_requirements_file, "invalid wheel filename " +
                                                         quoted(file.filename()) + ": " +
                                                         wheel.error().message);
    }
    file.wheel = std::move(*wheel);
    if (const auto m = trim(marker_text); !m.empty()) {
        auto marker = marker::parse(m);
        if (!marker) {
            return fail(errc::invalid_requirements_file,
                        "invalid marker " + quoted(m) + ": " + marker.error().message);
        }
        file.marker = std::move(*marker);
    }
    return file;
}

std::unexpected<error> not_a_wheel(std::string_view location) {
    return fail(errc::invalid_requirements_file,
                quoted(location) + " is not a wheel file; actpip installs wheels only and "
                                   "does not build source archives or directories");
}

// pip's parse_req_from_line, for what actpip can install: PEP 508 requirements and wheel
// files named by path or URL.
} // namespace

result<std::variant<requirement, direct_file>> classify_requirement(std::string_view text) {
    const auto kind = classify_url(text);
    if (kind == url_kind::vcs) {
        return fail(errc::invalid_requirements_file,
                    "version control requirements are not supported: " + quoted(text));
    }
    if (kind == url_kind::plain) {
        const auto sep = text.find("; ");
        const auto location = trim(text.substr(0, sep));
        const auto marker_text =
            sep == std::string_view::npos ? std::string_view{} : text.substr(sep + 2);
        const auto path =
            location.substr(0, std::min(location.find_first_of("?#"), location.size()));
        if (!ends_with_ci(path, ".whl")) {
            return not_a_wheel(location);
        }
        return make_direct_file(location, true, {}, marker_text);
    }
    const auto semicolon = text.find(';');
    const auto name_part = trim(text.substr(0, semicolon));
    const auto marker_text =
        semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
    const auto at = name_part.find('@');
    const bool pep508_url =
        at != std::string_view::npos && !looks_like_path(name_part.substr(0, at));
    if (!pep508_url) {
        auto base = name_part;
        std::string_view extras_text;
        if (const auto open = name_part.find('[');
            name_part.ends_with(']') && open != std::string_view::npos && open > 0) {
            base = name_part.substr(0, open);
            extras_text = name_part.substr(open + 1, name_part.size() - open - 2);
        }
        if (is_archive(base) || looks_like_path(base)) {
            if (!ends_with_ci(base, ".whl")) {
                return not_a_wheel(base);
            }
            return make_direct_file(base, false, extras_text, marker_text);
        }
    }
    auto req = requirement::parse(text);
    if (!req) {
        return fail(errc::invalid_requirements_file,
                    req.error().message.find(quoted(text)) != std::string::npos
                        ? req.error().message
                        : "invalid requirement " + quoted(text) + ": " + req.error().message);
    }
    return spec_type(std::move(*req));
}

} // namespace detail

std::string direct_file::filename() const {
    std::string_view loc = location;
    if (is_url) {
        loc = loc.substr(0, std::min(loc.find_first_of("?#"), loc.size()));
    }
    if (const auto slash = loc.rfind('/'); slash != std::string_view::npos) {
        loc.remove_prefix(slash + 1);
    }
    if (!is_url) {
        return std::string(loc);
    }
    const auto hex = hex_digit_value;
    std::string out;
    for (std::size_t i = 0; i < loc.size(); ++i) {
        if (loc[i] == '%' && i + 2 < loc.size() && hex(loc[i + 1]) >= 0 && hex(loc[i + 2]) >= 0) {
            out += static_cast<char>(hex(loc[i + 1]) * 16 + hex(loc[i + 2]));
            i += 2;
        } else {
            out += loc[i];
        }
    }
    return out;
}

} // namespace actpip::core
