#include "actpip/core/index_url.hpp"

#include "actpip/core/ascii_text.hpp"
#include <cctype>

#include <cstddef>

namespace actpip::core {

namespace {

constexpr auto trim = trim_ascii;

constexpr auto hex_value = hex_digit_value;

// The path of a merge with an authority-less or authority-ful base (section 5.2.3).
std::string merge_paths(const url_parts& base, std::string_view ref_path) {
    if (base.authority && base.path.empty()) {
        return "/" + std::string(ref_path);
    }
    auto slash = base.path.rfind('/');
    if (slash == std::string::npos) {
        return std::string(ref_path);
    }
    return base.path.substr(0, slash + 1) + std::string(ref_path);
}

} // namespace

std::string url_parts::to_string() const {
    std::string out;
    if (scheme) {
        out += *scheme + ":";
    }
    if (authority) {
        out += "//" + *authority;
    }
    out += path;
    if (query) {
        out += "?" + *query;
    }
    if (fragment) {
        out += "#" + *fragment;
    }
    return out;
}

url_parts split_url(std::string_view ref) {
    url_parts parts;
    // scheme: [^:/?#]+ followed by ':'
    auto stop = ref.find_first_of(":/?#");
    if (stop != std::string_view::npos && stop > 0 && ref[stop] == ':') {
        parts.scheme = std::string(ref.substr(0, stop));
        ref.remove_prefix(stop + 1);
    }
    if (ref.starts_with("//")) {
        ref.remove_prefix(2);
        auto end = ref.find_first_of("/?#");
        parts.authority = std::string(ref.substr(0, end));
        ref.remove_prefix(end == std::string_view::npos ? ref.size() : end);
    }
    auto path_end = ref.find_first_of("?#");
    parts.path = std::string(ref.substr(0, path_end));
    ref.remove_prefix(path_end == std::string_view::npos ? ref.size() : path_end);
    if (ref.starts_with('?')) {
        auto end = ref.find('#');
        parts.query = std::string(ref.substr(1, end == std::string_view::npos ? end : end - 1));
        ref.remove_prefix(end == std::string_view::npos ? ref.size() : end);
    }
    if (ref.starts_with('#')) {
        parts.fragment = std::string(ref.substr(1));
    }
    return parts;
}

std::string remove_dot_segments(std::string_view in) {
    std::string input(in);
    std::string output;
    while (!input.empty()) {
        if (input.starts_with("../")) {
            input.erase(0, 3);
        } else if (input.starts_with("./")) {
            input.erase(0, 2);
        } else if (input.starts_with("/./")) {
            input.erase(0, 2);
        } else if (input == "/.") {
            input = "/";
        } else if (input.starts_with("/../") || input == "/..") {
            input = input.size() == 3 ? std::string("/") : input.substr(3);
            auto slash = output.rfind('/');
            output.erase(slash == std::string::npos ? 0 : slash);
        } else if (input == "." || input == "..") {
            input.clear();
        } else {
            auto next = input.find('/', input.front() == '/' ? 1 : 0);
            output += input.substr(0, next);
            input.erase(0, next == std::string::npos ? input.size() : next);
        }
    }
    return output;
}

result<std::string> resolve_url(std::string_view base_text, std::string_view reference) {
    auto base = split_url(trim(base_text));
    if (!base.scheme) {
        return fail(errc::invalid_requirement, "cannot resolve '" + std::string(reference) +
                                                   "' against '" + std::string(base_text) +
                                                   "': the base URL has no scheme");
    }
    auto ref = split_url(trim(reference));
    url_parts target;
    if (ref.scheme) {
        target = ref;
        target.path = remove_dot_segments(ref.path);
    } else {
        target.scheme = base.scheme;
        if (ref.authority) {
            target.authority = ref.authority;
            target.path = remove_dot_segments(ref.path);
            target.query = ref.query;
        } else {
            target.authority = base.authority;
            if (ref.path.empty()) {
                target.path = base.path;
                target.query = ref.query ? ref.query : base.query;
            } else {
                target.path = ref.path.front() == '/'
                                  ? remove_dot_segments(ref.path)
                                  : remove_dot_segments(merge_paths(base, ref.path));
                target.query = ref.query;
            }
        }
    }
    target.fragment = ref.fragment;
    return target.to_string();
}

std::string_view strip_fragment(std::string_view url) {
    return url.substr(0, url.find('#'));
}

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string url_filename(std::string_view url) {
    auto parts = split_url(url);
    auto slash = parts.path.rfind('/');
    auto last = slash == std::string::npos ? std::string_view(parts.path)
                                           : std::string_view(parts.path).substr(slash + 1);
    return percent_decode(last);
}

std::string file_url(std::string_view absolute_path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "file://";
    for (char ch : absolute_path) {
        auto c = static_cast<unsigned char>(ch);
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string url_without_credentials(std::string_view url) {
    auto sep = url.find("://");
    if (sep == std::string_view::npos) {
        return std::string(url);
    }
    auto start = sep + 3;
    auto end = url.find_first_of("/?#", start);
    auto authority = url.substr(start, (end == std::string_view::npos ? url.size() : end) - start);
    auto at = authority.rfind('@');
    if (at == std::string_view::npos) {
        return std::string(url);
    }
    // pip's ENV_VAR_RE: ${NAME} or ${NAME}:${NAME}, NAME of [A-Za-z0-9_-].
    auto placeholder = [](std::string_view v) {
        if (v.size() < 4 || !v.starts_with("${") || !v.ends_with("}")) {
            return false;
        }
        for (char c : v.substr(2, v.size() - 3)) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    };
    auto userinfo = authority.substr(0, at);
    auto colon = userinfo.find(':');
    if (placeholder(userinfo.substr(0, colon)) &&
        (colon == std::string_view::npos || placeholder(userinfo.substr(colon + 1)))) {
        return std::string(url);
    }
    std::string out(url.substr(0, start));
    out.append(url.substr(start + at + 1));
    return out;
}

std::string project_page_url(std::string_view index, std::string_view name) {
    std::string url(index);
    if (!url.ends_with('/')) {
        url += '/';
    }
    return url.append(name).append("/");
}

} // namespace actpip::core
