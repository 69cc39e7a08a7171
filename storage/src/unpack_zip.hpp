#pragma once
// A read-only view of a zip archive over libzip: the member list with what the installer
// checks (name, sizes, Unix mode), and streamed reads of members.

#include "actpip/core/error.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct zip;

namespace actpip::storage::detail {

struct zip_member {
    std::uint64_t index = 0;
    std::string name;
    std::uint64_t size = 0; // as the directory claims: never trusted alone
    std::uint64_t compressed_size = 0;
    bool executable = false; // any x bit in the Unix mode
    bool special = false;    // a symlink, device, FIFO or socket by its Unix mode
};

class zip_archive {
public:
    static core::result<zip_archive> open(const std::filesystem::path& path);

    zip_archive(zip_archive&&) noexcept = default;
    zip_archive& operator=(zip_archive&&) noexcept = default;
    ~zip_archive();

    const std::vector<zip_member>& members() const { return members_; }

    // Streams a member's bytes to `sink`; stops at the sink's first error. CRC and size
    // mismatches are errors.
    core::result<void> read(const zip_member& member,
                            const std::function<core::result<void>(std::string_view)>& sink);

    // A whole member by name, refusing more than `max_size` bytes.
    core::result<std::string> read_small(std::string_view name, std::uint64_t max_size);

private:
    struct closer {
        void operator()(::zip* z) const;
    };
    zip_archive(std::unique_ptr<::zip, closer> handle, std::filesystem::path path)
        : zip_(std::move(handle)), path_(std::move(path)) {}

    std::unique_ptr<::zip, closer> zip_;
    std::filesystem::path path_;
    std::vector<zip_member> members_;
};

} // namespace actpip::storage::detail
