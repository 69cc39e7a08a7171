#include "actpip/storage/target_tags.hpp"

#include <charconv>
#include <string_view>

namespace actpip::storage {

namespace {

std::optional<core::major_minor> parse_major_minor(std::string_view text) {
    core::major_minor mm{};
    auto dot = text.find('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    auto a = std::from_chars(text.data(), text.data() + dot, mm.major);
    auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), mm.minor);
    if (a.ec != std::errc{} || b.ec != std::errc{}) {
        return std::nullopt;
    }
    return mm;
}

// The ABI tag of a non-CPython interpreter from its SOABI, as packaging's _generic_abi:
// "pypy39-pp73-x86_64-linux-gnu" -> "pypy39_pp73".
std::string generic_abi(std::string_view soabi) {
    auto first = soabi.substr(0, soabi.find('-'));
    if (first.starts_with("pypy") && first.size() < soabi.size()) {
        auto rest = soabi.substr(first.size() + 1);
        return std::string(first) + "_" + std::string(rest.substr(0, rest.find('-')));
    }
    return std::string(first);
}

} // namespace

core::interpreter_info tag_facts(const interpreter_info& info) {
    core::interpreter_info out;
    out.implementation = core::interpreter_short_name(info.implementation);
    out.version = core::python_version{static_cast<unsigned>(info.version.at(0)),
                                       static_cast<unsigned>(info.version.at(1))};
    if (info.implementation != "cpython" && !info.soabi.empty()) {
        out.abis.push_back(generic_abi(info.soabi));
    }
    std::string_view platform = info.platform;
    if (platform.starts_with("linux-")) {
        out.os = core::os_kind::linux_family;
        out.arch = std::string(platform.substr(6));
        std::string_view libc = info.libc;
        if (libc.starts_with("glibc ")) {
            out.glibc = parse_major_minor(libc.substr(6));
        } else if (libc.starts_with("musl ")) {
            out.musl = parse_major_minor(libc.substr(5));
        }
    } else if (platform.starts_with("macosx-")) {
        out.os = core::os_kind::macos;
        auto rest = platform.substr(7);
        auto dash = rest.find('-');
        if (auto v = parse_major_minor(rest.substr(0, dash))) {
            out.macos = *v;
        }
        out.arch = dash == std::string_view::npos ? "" : std::string(rest.substr(dash + 1));
    } else {
        out.os = core::os_kind::other;
        out.platform = info.platform;
    }
    return out;
}

} // namespace actpip::storage
