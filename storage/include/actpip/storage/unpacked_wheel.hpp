#pragma once
// A wheel unpacked into a directory (by unpack_wheel, which verified every file against its
// RECORD): what the installer needs to know to place its files.

#include "actpip/core/error.hpp"
#include "actpip/core/version.hpp"
#include "actpip/storage/record.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

// The WHEEL file's fields that matter.
struct wheel_file_info {
    unsigned major = 1;
    unsigned minor = 0;
    bool root_is_purelib = false;
};

// Parses WHEEL; a missing or malformed Wheel-Version or a major version above 1 is an error
// (PEP 427: "a wheel installer should refuse to install a wheel of a greater major version").
core::result<wheel_file_info> parse_wheel_file(std::string_view text, std::string_view source);

struct unpacked_wheel {
    std::filesystem::path root;
    std::string name;         // the Name field of METADATA, as written
    std::string project_name; // normalized
    core::version version;
    std::string dist_info; // "foo-1.0.dist-info"
    std::string data_dir;  // "foo-1.0.data" (may not exist)
    bool root_is_purelib = false;
    std::vector<record_entry> record; // the wheel's RECORD, as written
};

// Reads an unpacked tree: its single top-level *.dist-info, WHEEL, METADATA and RECORD.
core::result<unpacked_wheel> open_unpacked_wheel(const std::filesystem::path& root);

} // namespace actpip::storage
