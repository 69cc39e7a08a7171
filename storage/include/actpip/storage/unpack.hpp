#pragma once
// Unpacking a wheel, verified: every member is checked against the wheel's RECORD while it
// is written, and the tree appears at its destination (by one rename) only when the whole
// wheel has passed. What is rejected, with nothing left behind: a member RECORD does not
// list or whose hash or size differs, a path that is absolute or climbs out with "..", a
// symbolic link or other special member, a zip bomb (total size, member count or compression
// ratio above the limits), WHEEL's Wheel-Version major above 1, and a .dist-info directory
// whose name or version does not match the wheel's filename.

#include "actpip/core/error.hpp"
#include "actpip/storage/install_faults.hpp"
#include "actpip/storage/unpacked_wheel.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace actpip::storage {

struct unpack_limits {
    std::uint64_t max_total_size = 8ull << 30; // uncompressed bytes of all members together
    std::uint64_t max_members = 200000;
    // A member that inflates past `ratio_floor` bytes may not exceed `max_ratio` times its
    // compressed size (legitimate wheels stay far below; bombs reach 1000:1).
    std::uint64_t max_ratio = 250;
    std::uint64_t ratio_floor = 4u << 20;
};

struct unpack_options {
    unpack_limits limits;
    // The wheel's filename when `wheel` is stored under another name (a cache key).
    std::string filename;
    // When set (hex): the wheel must have this sha256, checked before it is unpacked; a
    // cached wheel that does not (written unsynced, then a power loss) is removed.
    std::string sha256;
    fault_hook faults;
};

// Unpacks `wheel` into `dest` (e.g. <cache>/unpacked/<sha256>) through a temporary sibling
// directory renamed into place. When `dest` already holds an unpacked tree (another process
// won the race, or an earlier run), that tree is used and the wheel is not read again.
core::result<unpacked_wheel> unpack_wheel(const std::filesystem::path& wheel,
                                          const std::filesystem::path& dest,
                                          const unpack_options& options = {});

// Whether a zip member name is safe to create under a directory: relative, no "..", "." or
// empty components, no backslashes or NUL. A trailing '/' (a directory member) is allowed.
bool is_safe_member_name(std::string_view name);

} // namespace actpip::storage
