#include "actpip/actors/metadata_zip.hpp"

#include "actpip/net/content_decoder.hpp"

#include <algorithm>

namespace actpip::actors {

namespace {

constexpr std::uint32_t eocd_signature = 0x06054b50;
constexpr std::uint32_t central_signature = 0x02014b50;
constexpr std::uint32_t local_signature = 0x04034b50;
constexpr std::uint64_t eocd_size = 22;
constexpr std::uint64_t local_header_size = 30;
// Room for a local extra field longer than the central one.
constexpr std::uint64_t local_extra_slack = 256;

std::uint32_t le(std::string_view s, std::size_t at, int bytes) {
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

core::error zip_error(std::string message) {
    return core::error{core::errc::invalid_metadata, std::move(message)};
}

} // namespace

core::result<zip_entry> find_metadata_entry(std::string_view cd) {
    std::size_t at = 0;
    while (at + 46 <= cd.size() && le(cd, at, 4) == central_signature) {
        zip_entry e;
        e.method = static_cast<std::uint16_t>(le(cd, at + 10, 2));
        e.compressed_size = le(cd, at + 20, 4);
        e.uncompressed_size = le(cd, at + 24, 4);
        auto name_len = le(cd, at + 28, 2);
        e.extra_size = static_cast<std::uint16_t>(le(cd, at + 30, 2));
        auto comment_len = le(cd, at + 32, 2);
        e.local_offset = le(cd, at + 42, 4);
        if (at + 46 + name_len > cd.size())
            break;
        e.name = std::string(cd.substr(at + 46, name_len));
        auto slash = e.name.find('/');
        if (slash != std::string::npos && e.name.find('/', slash + 1) == std::string::npos &&
            e.name.substr(0, slash).ends_with(".dist-info") &&
            e.name.substr(slash + 1) == "METADATA") {
            if (e.compressed_size == 0xffffffff || e.local_offset == 0xffffffff)
                return std::unexpected(zip_error("zip64 archives are not supported"));
            return e;
        }
        at += 46 + name_len + e.extra_size + comment_len;
    }
    return std::unexpected(zip_error("no .dist-info/METADATA in the zip's central directory"));
}

void zip_metadata_reader::add(std::uint64_t offset, std::string data) {
    segments_.push_back({offset, std::move(data)});
}

std::optional<std::string_view> zip_metadata_reader::bytes(std::uint64_t offset,
                                                           std::uint64_t size) const {
    for (const auto& s : segments_)
        if (offset >= s.offset && offset + size <= s.offset + s.data.size())
            return std::string_view(s.data).substr(offset - s.offset, size);
    return std::nullopt;
}

zip_metadata_reader::step zip_metadata_reader::next() {
    if (total_ < eocd_size)
        return zip_error("too short to be a zip file");
    // The end-of-central-directory record: searched backwards through the tail we have
    // (a zip comment pushes it up to 64 KiB from the end).
    std::optional<std::string_view> eocd;
    for (const auto& s : segments_) {
        if (s.offset + s.data.size() != total_ || s.data.size() < eocd_size)
            continue;
        for (auto at = s.data.size() - eocd_size + 1; at-- > 0;) {
            if (le(s.data, at, 4) == eocd_signature) {
                eocd = std::string_view(s.data).substr(at, eocd_size);
                break;
            }
        }
    }
    if (!eocd)
        return zip_error("no end-of-central-directory record in the file's tail");
    std::uint64_t cd_size = le(*eocd, 12, 4);
    std::uint64_t cd_offset = le(*eocd, 16, 4);
    if (cd_offset == 0xffffffff || cd_size == 0xffffffff)
        return zip_error("zip64 archives are not supported");
    if (cd_offset + cd_size > total_)
        return zip_error("the central directory lies outside the file");
    auto cd = bytes(cd_offset, cd_size);
    if (!cd)
        return need_range{cd_offset, cd_offset + cd_size - 1};
    auto entry = find_metadata_entry(*cd);
    if (!entry)
        return std::move(entry.error());
    auto span = local_header_size + entry->name.size() + entry->extra_size + local_extra_slack +
                entry->compressed_size;
    auto header = bytes(entry->local_offset, local_header_size);
    if (!header) {
        auto last = std::min(total_ - 1, entry->local_offset + span - 1);
        return need_range{entry->local_offset, last};
    }
    if (le(*header, 0, 4) != local_signature)
        return zip_error("bad local header for " + entry->name);
    auto data_at =
        entry->local_offset + local_header_size + le(*header, 26, 2) + le(*header, 28, 2);
    auto data = bytes(data_at, entry->compressed_size);
    if (!data)
        return zip_error("the local header of " + entry->name + " is longer than expected");
    if (entry->method == 0)
        return std::string(*data);
    if (entry->method != 8)
        return zip_error("unsupported compression method " + std::to_string(entry->method) +
                         " for " + entry->name);
    std::string out;
    net::content_decoder inflate(net::content_decoder::encoding::deflate);
    auto w = inflate.write(*data, [&](std::string_view piece) -> core::result<void> {
        out.append(piece);
        if (out.size() > entry->uncompressed_size)
            return core::fail(core::errc::invalid_metadata, "METADATA longer than declared");
        return {};
    });
    if (!w)
        return std::move(w.error()).add_context("while inflating " + entry->name);
    if (auto f = inflate.finish(); !f)
        return std::move(f.error()).add_context("while inflating " + entry->name);
    return out;
}

} // namespace actpip::actors
