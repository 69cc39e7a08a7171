#pragma once
// Platform tags as packaging 21.3 derives them (PEP 600 manylinux, PEP 656 musllinux, macOS,
// linux_<arch>), pip 23.2.1's expansion of --platform values, and the whole ordered tag list
// of an interpreter described by a plain struct (what pip's get_supported() returns). Pure:
// the caller finds out the glibc version, the architecture and so on.

#include "actpip/core/tags.hpp"

#include <compare>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

// A glibc, musl or macOS version.
struct major_minor {
    unsigned major = 0;
    unsigned minor = 0;
    friend auto operator<=>(const major_minor&, const major_minor&) = default;
};

// PEP 600 tags for "linux_<arch>" on glibc `glibc`, best first: manylinux_<X>_<Y>_<arch>
// from the glibc minor down to 2_5 (x86_64, i686) or 2_17 (other architectures), each legacy
// alias (manylinux2014 = 2_17, manylinux2010 = 2_12, manylinux1 = 2_5) right after its
// manylinux_2_Y, as packaging's _manylinux.platform_tags. Only the architectures packaging
// accepts get any: x86_64, i686, aarch64, armv7l, ppc64, ppc64le, s390x (packaging also
// checks that an i686 or armv7l interpreter binary really is one; that is the caller's job).
// Past glibc 2, every older major is assumed to have ended at minor 50, as packaging does.
std::vector<std::string> manylinux_platforms(std::string_view arch, major_minor glibc);

// PEP 656 tags: musllinux_<X>_<Y>_<arch> from the musl minor down to 0.
std::vector<std::string> musllinux_platforms(std::string_view arch, major_minor musl);

// packaging's _linux_platforms: manylinux (with a glibc), musllinux (with a musl), then
// linux_<arch>.
std::vector<std::string> linux_platforms(std::string_view arch, std::optional<major_minor> glibc,
                                         std::optional<major_minor> musl);

// packaging.tags.mac_platforms(version, arch): macosx_<X>_<Y>_<format> for every binary
// format (arm64, x86_64, intel, fat64, universal2, ...) and older release that runs there.
std::vector<std::string> mac_platforms(major_minor macos, std::string_view arch);

// pip's _expand_allowed_platforms for --platform values: "macosx_10_9_x86_64" becomes every
// macOS platform that version runs, "manylinux2014_x86_64" adds manylinux2010 and manylinux1
// (x86_64 and i686 only), "manylinux2010_*" adds manylinux1; duplicates are dropped.
// (pip does not expand manylinux_X_Y values.)
std::vector<std::string> expand_platforms(std::span<const std::string> platforms);

// sys.implementation.name to its PEP 425 abbreviation: cpython -> cp, pypy -> pp,
// ironpython -> ip, jython -> jy, python -> py; other names unchanged.
std::string interpreter_short_name(std::string_view implementation_name);

enum class os_kind {
    linux_family, // manylinux/musllinux/linux_<arch>
    macos,        // macosx_*
    other,        // the one `platform` given (win_amd64, ...)
};

// Everything tag selection needs to know about a target interpreter.
struct interpreter_info {
    std::string implementation = "cp"; // short name (cp, pp, ...), see interpreter_short_name
    python_version version{3, 12};
    // ABI tags, best first: {"cp312"}, {"pypy39_pp73"}. Empty for CPython means
    // cpython_abis(version) (as pip computes them when --abi is not given).
    std::vector<std::string> abis;
    os_kind os = os_kind::linux_family;
    std::string arch = "x86_64";      // linux_family and macos: x86_64, aarch64, arm64, ...
    std::optional<major_minor> glibc; // linux_family: the C library, when glibc
    std::optional<major_minor> musl;  // linux_family: the C library, when musl
    major_minor macos{11, 0};         // macos
    std::string platform;             // other: sysconfig.get_platform(), e.g. "win-amd64"
};

// The platform tags of `info`, best first ('.' and '-' in `platform` become '_').
std::vector<std::string> platform_tags(const interpreter_info& info);

// The interpreter's supported tags, best first, exactly as pip 23.2.1's get_supported():
// cpython_tags (implementation "cp") or generic_tags(<impl><nodot>) (others), followed by
// compatible_tags(version, <impl><nodot>, platforms). `platforms`, when not empty, replaces
// the machine's platforms after expand_platforms (pip's --platform).
// Unlike packaging's sys_tags(), <impl><nodot>-none-any is included (pip passes the
// interpreter) and PyPy gets pp<XY>-none-any rather than pp3-none-any.
std::vector<tag> supported_tags(const interpreter_info& info,
                                std::span<const std::string> platforms = {});

} // namespace actpip::core
