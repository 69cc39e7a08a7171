#pragma once
// Placing a file from the unpacked-wheel cache into an environment: by reflink clone, hard
// link, copy or symbolic link. The automatic mode tries clone, then hardlink, then copy, and
// remembers what the filesystem refused so later files do not try again.

#include "actpip/core/error.hpp"
#include "actpip/storage/install_faults.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace actpip::storage {

enum class link_mode { automatic, clone, hardlink, copy, symlink };

std::string_view to_string(link_mode mode);
std::optional<link_mode> parse_link_mode(std::string_view text); // "clone", "hardlink", ...

// One placer per transaction: it remembers which methods failed for lack of support.
class file_placer {
public:
    explicit file_placer(link_mode mode, fault_hook faults = {})
        : mode_(mode), faults_(std::move(faults)) {}

    // Creates `dst` (which must not exist) with the contents and mode of `src`. A requested
    // clone or hardlink that the filesystem cannot do (cross-device, unsupported) falls back
    // to the next method, down to a copy. Returns the method used.
    core::result<link_mode> place(const std::filesystem::path& src,
                                  const std::filesystem::path& dst);

private:
    link_mode mode_;
    fault_hook faults_;
    bool clone_failed_ = false;
    bool hardlink_failed_ = false;
};

// A plain copy, data and permission bits (in-kernel where possible).
core::result<void> copy_file_contents(const std::filesystem::path& src,
                                      const std::filesystem::path& dst, const fault_hook& faults);

} // namespace actpip::storage
