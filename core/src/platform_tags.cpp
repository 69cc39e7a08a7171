#include "actpip/core/platform_tags.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_set>

namespace actpip::core {
namespace {

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(from, start);
        if (at == std::string_view::npos) {
            out += text.substr(start);
            return out;
        }
        out += text.substr(start, at - start);
        out += to;
        start = at + from.size();
    }
}

// packaging's _normalize_string: '.' and '-' become '_'.
std::string normalize_platform(std::string_view text) {
    std::string out(text);
    std::replace(out.begin(), out.end(), '.', '_');
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), value) != set.end();
}

std::string mac_tag(unsigned major, unsigned minor, std::string_view format) {
    std::string out = "macosx_" + std::to_string(major) + '_' + std::to_string(minor) + '_';
    out += format;
    return out;
}

// packaging's _mac_binary_formats.
std::vector<std::string> mac_binary_formats(major_minor version, std::string_view arch) {
    std::vector<std::string> formats{std::string(arch)};
    if (arch == "x86_64") {
        if (version < major_minor{10, 4}) {
            return {};
        }
        formats.insert(formats.end(), {"intel", "fat64", "fat32"});
    } else if (arch == "i386") {
        if (version < major_minor{10, 4}) {
            return {};
        }
        formats.insert(formats.end(), {"intel", "fat32", "fat"});
    } else if (arch == "ppc64") {
        if (version > major_minor{10, 5} || version < major_minor{10, 4}) {
            return {};
        }
        formats.emplace_back("fat64");
    } else if (arch == "ppc") {
        if (version > major_minor{10, 6}) {
            return {};
        }
        formats.insert(formats.end(), {"fat32", "fat"});
    }
    if (is_one_of(arch, {"arm64", "x86_64"})) {
        formats.emplace_back("universal2");
    }
    if (is_one_of(arch, {"x86_64", "i386", "ppc64", "ppc", "intel"})) {
        formats.emplace_back("universal");
    }
    return formats;
}

std::optional<unsigned> parse_ascii_uint(std::string_view text) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

bool is_ascii_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// pip's _mac_platforms: "<name>_<X>_<Y>_<arch>" matched by the greedy (.+)_(\d+)_(\d+)_(.+),
// then every mac_platforms((X, Y), arch) entry under the user's own prefix <name>.
std::vector<std::string> expand_mac_platform(const std::string& value) {
    // Greedy first group: try the split points from the right.
    for (std::size_t name_end = value.size(); name_end-- > 1;) {
        if (value[name_end] != '_') {
            continue;
        }
        const std::string_view rest = std::string_view(value).substr(name_end + 1);
        const auto first = rest.find('_');
        if (first == std::string_view::npos) {
            continue;
        }
        const auto second = rest.find('_', first + 1);
        if (second == std::string_view::npos || second + 1 >= rest.size()) {
            continue;
        }
        const auto major_text = rest.substr(0, first);
        const auto minor_text = rest.substr(first + 1, second - first - 1);
        if (!is_ascii_digits(major_text) || !is_ascii_digits(minor_text)) {
            continue;
        }
        const auto major = parse_ascii_uint(major_text);
        const auto minor = parse_ascii_uint(minor_text);
        // pip would count down from any major; past this it would not finish either.
        if (!major || !minor || *major > 10000) {
            return {value};
        }
        const std::string_view name = std::string_view(value).substr(0, name_end);
        std::vector<std::string> out;
        for (const auto& plat : mac_platforms({*major, *minor}, rest.substr(second + 1))) {
            // "{}_{}".format(name, plat[len("macosx_"):])
            std::string tag(name);
            tag += '_';
            tag += std::string_view(plat).substr(7);
            out.push_back(std::move(tag));
        }
        return out;
    }
    return {value};
}

// pip's _custom_manylinux_platforms.
std::vector<std::string> expand_manylinux_platform(const std::string& value) {
    std::vector<std::string> out{value};
    const auto sep = value.find('_');
    const std::string_view prefix = std::string_view(value).substr(0, sep);
    const std::string suffix = sep == std::string::npos ? "" : value.substr(sep + 1);
    const std::string joiner = sep == std::string::npos ? "" : "_";
    if (prefix == "manylinux2014") {
        if (suffix == "i686" || suffix == "x86_64") {
            out.push_back("manylinux2010" + joiner + suffix);
            out.push_back("manylinux1" + joiner + suffix);
        }
    } else if (prefix == "manylinux2010") {
        out.push_back("manylinux1" + joiner + suffix);
    }
    return out;
}

} // namespace

std::vector<std::string> manylinux_platforms(std::string_view arch, major_minor glibc) {
    if (!is_one_of(arch, {"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x"})) {
        return {};
    }
    // The newest glibc 2 minor that is too old: 2.4 for x86, else 2.16.
    const long long too_old_minor = is_one_of(arch, {"x86_64", "i686"}) ? 4 : 16;
    const std::string linux_tag = "linux_" + std::string(arch);
    std::vector<major_minor> maxima{glibc};
    for (auto m = static_cast<long long>(glibc.major) - 1; m > 1; --m) {
        maxima.push_back({static_cast<unsigned>(m), 50});
    }
    std::vector<std::string> out;
    for (const auto& max : maxima) {
        const long long min_minor = max.major == 2 ? too_old_minor : -1;
        for (auto minor = static_cast<long long>(max.minor); minor > min_minor; --minor) {
            const major_minor v{max.major, static_cast<unsigned>(minor)};
            out.push_back(replace_all(linux_tag, "linux",
                                      "manylinux_" + std::to_string(v.major) + '_' +
                                          std::to_string(v.minor)));
            if (v.major == 2 && v.minor == 17) {
                out.push_back(replace_all(linux_tag, "linux", "manylinux2014"));
            } else if (v.major == 2 && v.minor == 12) {
                out.push_back(replace_all(linux_tag, "linux", "manylinux2010"));
            } else if (v.major == 2 && v.minor == 5) {
                out.push_back(replace_all(linux_tag, "linux", "manylinux1"));
            }
        }
    }
    return out;
}

std::vector<std::string> musllinux_platforms(std::string_view arch, major_minor musl) {
    std::vector<std::string> out;
    for (auto minor = static_cast<long long>(musl.minor); minor >= 0; --minor) {
        std::string tag = "musllinux_" + std::to_string(musl.major) + '_' + std::to_string(minor);
        tag += '_';
        tag += arch;
        out.push_back(std::move(tag));
    }
    return out;
}

std::vector<std::string> linux_platforms(std::string_view arch, std::optional<major_minor> glibc,
                                         std::optional<major_minor> musl) {
    std::vector<std::string> out;
    if (glibc) {
        out = manylinux_platforms(arch, *glibc);
    }
    if (musl) {
        auto more = musllinux_platforms(arch, *musl);
        out.insert(out.end(), more.begin(), more.end());
    }
    out.push_back("linux_" + std::string(arch));
    return out;
}

std::vector<std::string> mac_platforms(major_minor macos, std::string_view arch) {
    std::vector<std::string> out;
    const auto add_formats = [&](unsigned major, unsigned minor) {
        for (const auto& format : mac_binary_formats({major, minor}, arch)) {
            out.push_back(mac_tag(major, minor, format));
        }
    };
    if (macos >= major_minor{10, 0} && macos < major_minor{11, 0}) {
        // Before macOS 11 each yearly release bumped the minor version.
        for (auto minor = static_cast<long long>(macos.minor); minor >= 0; --minor) {
            add_formats(10, static_cast<unsigned>(minor));
        }
    }
    if (macos >= major_minor{11, 0}) {
        for (auto major = static_cast<long long>(macos.major); major > 10; --major) {
            add_formats(static_cast<unsigned>(major), 0);
        }
        // x86_64 runs binaries of earlier releases; arm64 only their universal2 builds.
        for (unsigned minor = 16; minor > 3; --minor) {
            if (arch == "x86_64") {
                add_formats(10, minor);
            } else {
                out.push_back(mac_tag(10, minor, "universal2"));
            }
        }
    }
    return out;
}

std::vector<std::string> expand_platforms(std::span<const std::string> platforms) {
    std::unordered_set<std::string> seen;
    std::vector<std::string> out;
    for (const auto& p : platforms) {
        if (seen.contains(p)) {
            continue;
        }
        std::vector<std::string> expanded;
        const std::string_view prefix = std::string_view(p).substr(0, p.find('_'));
        if (p.starts_with("macosx")) {
            expanded = expand_mac_platform(p);
        } else if (prefix == "manylinux2014" || prefix == "manylinux2010") {
            expanded = expand_manylinux_platform(p);
        } else {
            expanded = {p};
        }
        // pip filters against `seen` before adding, so duplicates within one expansion stay.
        std::vector<std::string> additions;
        for (auto& e : expanded) {
            if (!seen.contains(e)) {
                additions.push_back(std::move(e));
            }
        }
        seen.insert(additions.begin(), additions.end());
        out.insert(out.end(), additions.begin(), additions.end());
    }
    return out;
}

std::string interpreter_short_name(std::string_view implementation_name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> names{{
        {"python", "py"},
        {"cpython", "cp"},
        {"pypy", "pp"},
        {"ironpython", "ip"},
        {"jython", "jy"},
    }};
    for (const auto& [name, short_name] : names) {
        if (name == implementation_name) {
            return std::string(short_name);
        }
    }
    return std::string(implementation_name);
}

std::vector<std::string> platform_tags(const interpreter_info& info) {
    switch (info.os) {
    case os_kind::linux_family:
        return linux_platforms(normalize_platform(info.arch), info.glibc, info.musl);
    case os_kind::macos:
        return mac_platforms(info.macos, info.arch);
    case os_kind::other:
        break;
    }
    if (info.platform.empty()) {
        return {};
    }
    return {normalize_platform(info.platform)};
}

std::vector<tag> supported_tags(const interpreter_info& info,
                                std::span<const std::string> platforms) {
    const std::string interpreter = info.implementation + info.version.nodot();
    const auto plats = platforms.empty() ? platform_tags(info) : expand_platforms(platforms);
    std::vector<tag> out;
    if (info.implementation == "cp") {
        const auto abis = info.abis.empty() ? cpython_abis(info.version) : info.abis;
        out = cpython_tags(info.version, abis, plats);
    } else {
        out = generic_tags(interpreter, info.abis, plats);
    }
    auto more = compatible_tags(info.version, interpreter, plats);
    out.insert(out.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
    return out;
}

} // namespace actpip::core
