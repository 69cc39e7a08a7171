#include "actpip/core/tags.hpp"

#include <algorithm>
#include <unordered_set>

namespace actpip::core {
namespace {

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

// str.split(sep): empty pieces kept, never fewer than one piece.
std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(sep, start);
        if (at == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, at - start));
        start = at + 1;
    }
}

std::string nodot(unsigned major, unsigned minor) {
    return std::to_string(major) + std::to_string(minor);
}

bool abi3_applies(const python_version& py) {
    return py.minor.has_value() && (py.major > 3 || (py.major == 3 && *py.minor >= 2));
}

// packaging's _py_interpreter_range: py<XY>, py<X>, py<X><Y-1> ... py<X>0.
std::vector<std::string> py_interpreter_range(const python_version& py) {
    std::vector<std::string> out;
    if (py.minor) {
        out.push_back("py" + py.nodot());
    }
    out.push_back("py" + std::to_string(py.major));
    if (py.minor) {
        for (unsigned minor = *py.minor; minor-- > 0;) {
            out.push_back("py" + nodot(py.major, minor));
        }
    }
    return out;
}

void remove_first(std::vector<std::string>& list, std::string_view value) {
    const auto it = std::find(list.begin(), list.end(), value);
    if (it != list.end()) {
        list.erase(it);
    }
}

} // namespace

tag::tag(std::string_view interp, std::string_view abi_tag, std::string_view plat)
    : interpreter(ascii_lower(interp)), abi(ascii_lower(abi_tag)), platform(ascii_lower(plat)) {}

std::string tag::to_string() const {
    std::string out;
    out.reserve(interpreter.size() + abi.size() + platform.size() + 2);
    out += interpreter;
    out += '-';
    out += abi;
    out += '-';
    out += platform;
    return out;
}

result<std::vector<tag>> parse_tag(std::string_view text) {
    const auto parts = split(text, '-');
    if (parts.size() != 3) {
        const auto pos = parts.size() < 3 ? std::string_view::npos
                                          : parts[0].size() + parts[1].size() + parts[2].size() + 2;
        return std::unexpected(parse_error(errc::invalid_tag, "compatibility tag", text, pos,
                                           "expected exactly three '-'-separated parts"));
    }
    std::vector<tag> tags;
    std::unordered_set<tag> seen;
    for (const auto interp : split(parts[0], '.')) {
        for (const auto abi : split(parts[1], '.')) {
            for (const auto plat : split(parts[2], '.')) {
                tag t(interp, abi, plat);
                if (seen.insert(t).second) {
                    tags.push_back(std::move(t));
                }
            }
        }
    }
    return tags;
}

std::string python_version::nodot() const {
    return minor ? core::nodot(major, *minor) : std::to_string(major);
}

std::vector<tag> cpython_tags(const python_version& python, std::span<const std::string> abis,
                              std::span<const std::string> platforms) {
    const std::string interpreter = "cp" + python.nodot();
    std::vector<std::string> own_abis(abis.begin(), abis.end());
    remove_first(own_abis, "abi3");
    remove_first(own_abis, "none");

    std::vector<tag> out;
    for (const auto& abi : own_abis) {
        for (const auto& plat : platforms) {
            out.emplace_back(interpreter, abi, plat);
        }
    }
    if (abi3_applies(python)) {
        for (const auto& plat : platforms) {
            out.emplace_back(interpreter, "abi3", plat);
        }
    }
    for (const auto& plat : platforms) {
        out.emplace_back(interpreter, "none", plat);
    }
    if (abi3_applies(python)) {
        for (auto minor = static_cast<long long>(*python.minor) - 1; minor > 1; --minor) {
            const std::string older = "cp" + nodot(python.major, static_cast<unsigned>(minor));
            for (const auto& plat : platforms) {
                out.emplace_back(older, "abi3", plat);
            }
        }
    }
    return out;
}

std::vector<tag> generic_tags(std::string_view interpreter, std::span<const std::string> abis,
                              std::span<const std::string> platforms) {
    std::vector<std::string> all_abis(abis.begin(), abis.end());
    if (std::find(all_abis.begin(), all_abis.end(), "none") == all_abis.end()) {
        all_abis.emplace_back("none");
    }
    std::vector<tag> out;
    for (const auto& abi : all_abis) {
        for (const auto& plat : platforms) {
            out.emplace_back(interpreter, abi, plat);
        }
    }
    return out;
}

std::vector<tag> compatible_tags(const python_version& python, std::string_view interpreter,
                                 std::span<const std::string> platforms) {
    const auto versions = py_interpreter_range(python);
    std::vector<tag> out;
    for (const auto& v : versions) {
        for (const auto& plat : platforms) {
            out.emplace_back(v, "none", plat);
        }
    }
    if (!interpreter.empty()) {
        out.emplace_back(interpreter, "none", "any");
    }
    for (const auto& v : versions) {
        out.emplace_back(v, "none", "any");
    }
    return out;
}

std::vector<std::string> cpython_abis(const python_version& python, cpython_build build) {
    if (!python.minor) {
        return {};
    }
    const std::string base = "cp" + python.nodot();
    const bool before_38 = python.major < 3 || (python.major == 3 && *python.minor < 8);
    const bool before_33 = python.major < 3 || (python.major == 3 && *python.minor < 3);
    std::string first = base;
    if (build.debug) {
        first += 'd';
    }
    std::vector<std::string> out;
    if (before_38) {
        if (build.pymalloc) {
            first += 'm';
        }
        if (before_33 && build.wide_unicode) {
            first += 'u';
        }
    } else if (build.debug) {
        out.push_back(base);
    }
    out.insert(out.begin(), first);
    return out;
}

tag_ranker::tag_ranker(std::span<const tag> supported) {
    ranks_.reserve(supported.size());
    for (std::size_t i = 0; i < supported.size(); ++i) {
        ranks_.try_emplace(supported[i], i);
    }
}

std::optional<std::size_t> tag_ranker::rank(const tag& t) const {
    const auto it = ranks_.find(t);
    if (it == ranks_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::size_t> tag_ranker::best_rank(std::span<const tag> wheel_tags) const {
    std::optional<std::size_t> best;
    for (const auto& t : wheel_tags) {
        const auto r = rank(t);
        if (r && (!best || *r < *best)) {
            best = r;
        }
    }
    return best;
}

} // namespace actpip::core

std::size_t std::hash<actpip::core::tag>::operator()(const actpip::core::tag& t) const noexcept {
    const std::hash<std::string> h;
    std::size_t seed = h(t.interpreter);
    for (const auto* part : {&t.abi, &t.platform}) {
        seed ^= h(*part) + 0x9e3779b97f4a7c15ULL + (seed << 6U) + (seed >> 2U);
    }
    return seed;
}
