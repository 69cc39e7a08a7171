#pragma once
// Reads a wheel's METADATA member out of byte ranges of its zip: the end-of-central-directory
// record in the file's tail, the central directory, then the member's local header and data.
// Pure (no CAF, no I/O): the metadata actor feeds it the ranges it asks for. Zip64 archives
// and compression methods other than stored and deflate are errors (the caller falls back
// to reading the whole file, where the same reader runs over one range).

#include "actpip/core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace actpip::actors {

struct zip_entry {
    std::string name;
    std::uint16_t method = 0;
    std::uint64_t compressed_size = 0;
    std::uint64_t uncompressed_size = 0;
    std::uint64_t local_offset = 0;
    std::uint16_t extra_size = 0; // in the central directory (the local one may differ)
};

// The "<name>.dist-info/METADATA" entry at the top level of the archive.
core::result<zip_entry> find_metadata_entry(std::string_view central_directory);

class zip_metadata_reader {
public:
    struct need_range {
        std::uint64_t first = 0;
        std::uint64_t last = 0; // inclusive
    };
    // The member's text, a range to fetch next, or why ranges cannot do it.
    using step = std::variant<std::string, need_range, core::error>;

    explicit zip_metadata_reader(std::uint64_t total_size) : total_(total_size) {}

    std::uint64_t total_size() const { return total_; }
    // Bytes [offset, offset + data.size()) of the file.
    void add(std::uint64_t offset, std::string data);
    step next();

private:
    std::optional<std::string_view> bytes(std::uint64_t offset, std::uint64_t size) const;

    struct segment {
        std::uint64_t offset;
        std::string data;
    };
    std::uint64_t total_;
    std::vector<segment> segments_;
};

} // namespace actpip::actors
