// Line preprocessing, shell-like splitting and path joining for requirements files.

#include "actpip/core/ascii_text.hpp"
#include "requirements_file_detail.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core::detail {
namespace {

constexpr auto trim = trim_ascii;

// The length of the line break at `pos` (0 when there is none), for the breaks Python's
// str.splitlines() knows: \n, \r\n, \r, \v, \f, \x1c-\x1e, and U+0085, U+2028, U+2029 in
// UTF-8.
std::size_t line_break_at(std::string_view text, std::size_t pos) {
    const auto c = static_cast<unsigned char>(text[pos]);
    const auto rest = text.substr(pos);
    switch (c) {
    case '\r':
        return rest.starts_with("\r\n") ? 2 : 1;
    case '\n':
    case '\v':
    case '\f':
    case 0x1c:
    case 0x1d:
    case 0x1e:
        return 1;
    case 0xc2:
        return rest.starts_with("\xc2\x85") ? 2 : 0;
    case 0xe2:
        return (rest.starts_with("\xe2\x80\xa8") || rest.starts_with("\xe2\x80\xa9")) ? 3 : 0;
    default:
        return 0;
    }
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto len = line_break_at(text, pos);
        if (len == 0) {
            ++pos;
            continue;
        }
        lines.push_back(text.substr(start, pos - start));
        pos += len;
        start = pos;
    }
    if (start < text.size()) {
        lines.push_back(text.substr(start));
    }
    return lines;
}

// COMMENT_RE.match: the line is a comment (only whitespace before its '#').
bool is_comment_line(std::string_view line) {
    const auto first = std::find_if_not(line.begin(), line.end(), is_ascii_space);
    return first != line.end() && *first == '#';
}

// COMMENT_RE.sub: cut at the first '#' at the start of the line or after whitespace.
std::string_view strip_comment(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '#' && (i == 0 || is_ascii_space(line[i - 1]))) {
            return line.substr(0, i);
        }
    }
    return line;
}

bool is_env_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string expand_env(std::string_view line, const environment_lookup& env) {
    if (!env) {
        return std::string(line);
    }
    std::string out;
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto start = line.find("${", pos);
        if (start == std::string_view::npos) {
            break;
        }
        auto end = start + 2;
        while (end < line.size() && is_env_name_char(line[end])) {
            ++end;
        }
        out += line.substr(pos, start - pos);
        if (end > start + 2 && end < line.size() && line[end] == '}') {
            const auto name = line.substr(start + 2, end - start - 2);
            const auto value = env(name);
            if (value && !value->empty()) {
                out += *value;
            } else {
                out += line.substr(start, end + 1 - start);
            }
            pos = end + 1;
        } else {
            out += "${";
            pos = start + 2;
        }
    }
    out += line.substr(std::min(pos, line.size()));
    return out;
}

// str.strip("\\")
std::string_view strip_backslashes(std::string_view s) {
    while (!s.empty() && s.front() == '\\') {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == '\\') {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace

std::vector<logical_line> preprocess_requirements_text(std::string_view content,
                                                       const environment_lookup& env) {
    if (content.starts_with("\xEF\xBB\xBF")) {
        content.remove_prefix(3);
    }
    const auto physical = split_lines(content);
    std::vector<logical_line> out;
    const auto emit = [&](std::size_t number, std::string_view joined) {
        const auto text = trim(strip_comment(joined));
        if (!text.empty()) {
            out.push_back({number, expand_env(text, env)});
        }
    };
    std::string pending;
    bool continuing = false;
    std::size_t primary = 0;
    for (std::size_t i = 0; i < physical.size(); ++i) {
        const auto line = physical[i];
        const auto number = i + 1;
        const bool comment = is_comment_line(line);
        if (!line.ends_with('\\') || comment) {
            // A comment line ends a continued line; the space keeps it a comment once joined.
            std::string piece = comment ? " " + std::string(line) : std::string(line);
            if (continuing) {
                pending += piece;
                emit(primary, pending);
                pending.clear();
                continuing = false;
            } else {
                emit(number, piece);
            }
        } else {
            if (!continuing) {
                primary = number;
                continuing = true;
            }
            pending += strip_backslashes(line);
        }
    }
    if (continuing) {
        emit(primary, pending);
    }
    return out;
}

args_and_options break_args_options(std::string_view line) {
    std::size_t pos = 0;
    while (pos <= line.size()) {
        const auto end = std::min(line.find(' ', pos), line.size());
        if (line.substr(pos, end - pos).starts_with('-')) {
            return {std::string(trim(line.substr(0, pos))), std::string(line.substr(pos))};
        }
        pos = end + 1;
    }
    return {std::string(trim(line)), {}};
}

result<std::vector<std::string>> shell_split(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
        } else if (c == '\'') {
            const auto close = text.find('\'', i + 1);
            if (close == std::string_view::npos) {
                return fail(errc::invalid_requirements_file, "no closing quotation");
            }
            word += text.substr(i + 1, close - i - 1);
            in_word = true;
            i = close;
        } else if (c == '"') {
            std::size_t j = i + 1;
            for (; j < text.size() && text[j] != '"'; ++j) {
                if (text[j] == '\\' && j + 1 < text.size() &&
                    (text[j + 1] == '"' || text[j + 1] == '\\')) {
                    ++j;
                }
                word += text[j];
            }
            if (j >= text.size()) {
                return fail(errc::invalid_requirements_file, "no closing quotation");
            }
            in_word = true;
            i = j;
        } else if (c == '\\') {
            if (i + 1 >= text.size()) {
                return fail(errc::invalid_requirements_file, "no escaped character");
            }
            word += text[++i];
            in_word = true;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    return words;
}

bool is_url_reference(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    std::string scheme(text.substr(0, colon));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return scheme == "http" || scheme == "https" || scheme == "file";
}

bool has_scheme(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return false;
    }
    const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!is_alpha(text[0])) {
        return false;
    }
    return std::all_of(
        text.begin(), text.begin() + static_cast<std::ptrdiff_t>(colon), [&](char c) {
            return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
        });
}

std::string normalize_path(std::string_view path) {
    const bool absolute = path.starts_with('/');
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const auto end = std::min(path.find('/', pos), path.size());
        const auto part = path.substr(pos, end - pos);
        pos = end + 1;
        if (part.empty() || part == ".") {
            continue;
        }
        if (part == ".." && !parts.empty() && parts.back() != "..") {
            parts.pop_back();
        } else if (part != ".." || !absolute) {
            parts.push_back(part);
        }
    }
    std::string out = absolute ? "/" : "";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += '/';
        }
        out += parts[i];
    }
    return out.empty() ? "." : out;
}

namespace {

// RFC 3986 remove_dot_segments for a URL path that starts with '/'.
std::string remove_dot_segments(std::string_view path) {
    std::string out = normalize_path(path);
    if (path.ends_with('/') && out != "/") {
        out += '/';
    }
    return out;
}

std::string url_join(std::string_view base, std::string_view reference) {
    if (has_scheme(reference)) {
        return std::string(reference);
    }
    const auto colon = base.find(':');
    const auto scheme = base.substr(0, colon);
    auto rest = base.substr(colon + 1);
    rest = rest.substr(0, std::min(rest.find_first_of("?#"), rest.size()));
    std::string_view authority;
    std::string_view path = rest;
    if (rest.starts_with("//")) {
        const auto slash = std::min(rest.find('/', 2), rest.size());
        authority = rest.substr(0, slash);
        path = rest.substr(slash);
    }
    std::string prefix = std::string(scheme) + ":" + std::string(authority);
    if (reference.starts_with("//")) {
        return std::string(scheme) + ":" + std::string(reference);
    }
    const auto split = std::min(reference.find_first_of("?#"), reference.size());
    const auto ref_path = reference.substr(0, split);
    const auto ref_tail = reference.substr(split);
    if (ref_path.empty()) {
        return prefix + std::string(path) + std::string(ref_tail);
    }
    if (ref_path.starts_with('/')) {
        return prefix + remove_dot_segments(ref_path) + std::string(ref_tail);
    }
    const auto last_slash = path.rfind('/');
    std::string merged = last_slash == std::string_view::npos
                             ? "/" + std::string(ref_path)
                             : std::string(path.substr(0, last_slash + 1)) + std::string(ref_path);
    return prefix + remove_dot_segments(merged) + std::string(ref_tail);
}

} // namespace

std::string join_reference(std::string_view including, std::string_view reference) {
    if (is_url_reference(including)) {
        return url_join(including, reference);
    }
    if (is_url_reference(reference) || has_scheme(reference)) {
        return std::string(reference);
    }
    if (reference.starts_with('/')) {
        return normalize_path(reference);
    }
    const auto slash = including.rfind('/');
    if (slash == std::string_view::npos) {
        return normalize_path(reference);
    }
    return normalize_path(std::string(including.substr(0, slash + 1)) + std::string(reference));
}

} // namespace actpip::core::detail
