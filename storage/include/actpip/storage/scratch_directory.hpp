#pragma once
// A job's own temporary directory: created under the system's temporary directory, removed
// with everything in it when the owner goes (whatever path the job took to its end).
// Move-only: exactly one owner removes it.

#include "actpip/core/error.hpp"

#include <filesystem>
#include <string_view>

namespace actpip::storage {

class scratch_directory {
public:
    scratch_directory() = default; // none
    // A new directory named "<prefix>XXXXXX" in $TMPDIR (else /tmp).
    static core::result<scratch_directory> create(std::string_view prefix);

    scratch_directory(scratch_directory&& other) noexcept;
    scratch_directory& operator=(scratch_directory&& other) noexcept;
    scratch_directory(const scratch_directory&) = delete;
    scratch_directory& operator=(const scratch_directory&) = delete;
    ~scratch_directory();

    const std::filesystem::path& path() const { return path_; }
    bool empty() const { return path_.empty(); }

private:
    explicit scratch_directory(std::filesystem::path p) : path_(std::move(p)) {}
    void remove() noexcept;
    std::filesystem::path path_;
};

} // namespace actpip::storage
