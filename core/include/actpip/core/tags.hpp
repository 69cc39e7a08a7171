#pragma once
// PEP 425 compatibility tags: the tag triple, expansion of compressed tag sets, the ordered
// tag lists an interpreter supports (as packaging 21.3's cpython_tags, generic_tags and
// compatible_tags build them) and a ranker that finds a wheel's best tag in such a list.
// Platform tags (manylinux, musllinux, macOS) and a whole interpreter's list are in
// platform_tags.hpp.

#include "actpip/core/error.hpp"

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace actpip::core {

// One {interpreter}-{abi}-{platform} triple, lower-cased as packaging.tags.Tag does (ASCII
// letters only: packaging lower-cases with str.lower(), which also maps non-ASCII letters).
struct tag {
    std::string interpreter;
    std::string abi;
    std::string platform;

    tag() = default;
    // Lower-cases each part.
    tag(std::string_view interp, std::string_view abi_tag, std::string_view plat);

    std::string to_string() const; // "cp311-cp311-manylinux_2_17_x86_64"

    friend auto operator<=>(const tag&, const tag&) = default;
    friend bool operator==(const tag&, const tag&) = default;
};

// "py2.py3-none-any" -> py2-none-any, py3-none-any: exactly two '-' are required, then each
// part is split on '.' and the cross product taken, as packaging.tags.parse_tag does,
// empty pieces included ("py3.-none-any" also gives "-none-any"). Duplicates are dropped;
// the order is interpreter-major in order of appearance (packaging returns a set).
result<std::vector<tag>> parse_tag(std::string_view text);

// A Python version as packaging's tag functions take it: a major and, usually, a minor.
struct python_version {
    unsigned major = 3;
    std::optional<unsigned> minor;

    std::string nodot() const; // "311", or "3" without a minor
    friend auto operator<=>(const python_version&, const python_version&) = default;
};

// packaging.tags.cpython_tags(python_version, abis, platforms) with explicit arguments:
// cp<XY>-<abi>-<platform> for each abi (an "abi3" and a "none" in `abis` are removed, the
// first of each only, and given their own places), cp<XY>-abi3-* when abi3 applies (3.2+),
// cp<XY>-none-*, then cp<X><Y-1 down to 2>-abi3-*. Platforms in the given order; an empty
// `platforms` yields only what needs no platform, i.e. nothing (packaging would substitute
// the running machine's platforms).
std::vector<tag> cpython_tags(const python_version& python, std::span<const std::string> abis,
                              std::span<const std::string> platforms);

// packaging.tags.generic_tags(interpreter, abis, platforms): <interpreter>-<abi>-<platform>
// for each abi, with "none" appended when `abis` lacks it.
std::vector<tag> generic_tags(std::string_view interpreter, std::span<const std::string> abis,
                              std::span<const std::string> platforms);

// packaging.tags.compatible_tags(python_version, interpreter, platforms): py<XY>/py<X>/
// py<X><Y-1..0>-none-<platform>, then <interpreter>-none-any when `interpreter` is not
// empty, then the py versions again with "any".
std::vector<tag> compatible_tags(const python_version& python, std::string_view interpreter,
                                 std::span<const std::string> platforms);

// The ABI tags of a CPython build, best first (packaging's _cpython_abis): "cp311",
// "cp37m" (pymalloc before 3.8), "cp27mu" (wide unicode before 3.3), "cp311d" followed by
// "cp311" for a debug build from 3.8 on. Empty without a minor version.
struct cpython_build {
    bool debug = false;
    bool pymalloc = true;     // only matters before 3.8
    bool wide_unicode = true; // only matters before 3.3
};
std::vector<std::string> cpython_abis(const python_version& python, cpython_build build = {});

} // namespace actpip::core

template <>
struct std::hash<actpip::core::tag> {
    std::size_t operator()(const actpip::core::tag& t) const noexcept;
};

namespace actpip::core {

// Priorities of an interpreter's supported tags: the index of a tag's first occurrence in
// the list, lower is better. A wheel's rank is the best rank of its tags, as pip's
// Wheel.support_index_min; nullopt means the wheel is not compatible.
class tag_ranker {
public:
    tag_ranker() = default;
    explicit tag_ranker(std::span<const tag> supported);

    std::optional<std::size_t> rank(const tag& t) const;
    std::optional<std::size_t> best_rank(std::span<const tag> wheel_tags) const;
    bool is_compatible(std::span<const tag> wheel_tags) const {
        return best_rank(wheel_tags).has_value();
    }
    std::size_t size() const { return ranks_.size(); } // distinct tags

private:
    std::unordered_map<tag, std::size_t> ranks_;
};

} // namespace actpip::core
