#include "actpip/storage/cache_entry.hpp"

#include "actpip/core/hash.hpp"
#include "actpip/storage/atomic_file.hpp"
#include "actpip/storage/file_lock.hpp"
#include "actpip/storage/zstd_codec.hpp"

#include <cstdint>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage {

namespace {

constexpr std::string_view magic = "actpipC1";

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        out += static_cast<char>((v >> (8 * i)) & 0xFF);
    }
}

std::uint64_t get_u64(std::string_view in) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) {
        v = (v << 8) | static_cast<unsigned char>(in[static_cast<std::size_t>(i)]);
    }
    return v;
}

std::string raw_sha256(std::string_view data) {
    auto digest = core::hash_bytes(core::hash_algorithm::sha256, data);
    std::string raw;
    if (!digest) {
        return raw;
    }
    for (std::size_t i = 0; i + 1 < digest->hex.size(); i += 2) {
        raw += static_cast<char>(std::stoi(digest->hex.substr(i, 2), nullptr, 16));
    }
    return raw;
}

std::unexpected<core::error> corrupt(std::string why) {
    return core::fail(core::errc::io, std::move(why));
}

} // namespace

core::result<std::string> encode_cache_entry(std::string_view content) {
    auto payload = zstd_compress(content);
    if (!payload) {
        return payload;
    }
    std::string out;
    out.reserve(cache_entry_header_size + payload->size());
    out += magic;
    put_u64(out, payload->size());
    out += raw_sha256(*payload);
    out += *payload;
    return out;
}

core::result<std::string> decode_cache_entry(std::string_view file) {
    if (file.size() < cache_entry_header_size) {
        return corrupt("truncated header (" + std::to_string(file.size()) + " bytes)");
    }
    if (file.substr(0, 8) != magic) {
        return corrupt("not an actpip cache entry (bad magic)");
    }
    auto length = get_u64(file.substr(8, 8));
    auto payload = file.substr(cache_entry_header_size);
    if (payload.size() != length) {
        return corrupt("payload is " + std::to_string(payload.size()) + " bytes, the header says " +
                       std::to_string(length));
    }
    if (!core::constant_time_equal(raw_sha256(payload), file.substr(16, 32))) {
        return corrupt("checksum mismatch");
    }
    return zstd_decompress(payload);
}

cache_read read_cache_entry(const std::filesystem::path& path) {
    cache_read out;
    struct stat before {};
    if (::stat(path.c_str(), &before) != 0) {
        return out;
    }
    auto bytes = read_whole_file(path);
    if (!bytes) {
        if (bytes.error().code != core::errc::not_found) {
            out.dropped = std::move(bytes.error());
        }
        return out;
    }
    auto content = decode_cache_entry(*bytes);
    if (content) {
        out.content = std::move(*content);
        return out;
    }
    // Remove it unless another process has just replaced it with a new entry.
    struct stat now {};
    if (::stat(path.c_str(), &now) == 0 && now.st_ino == before.st_ino &&
        now.st_dev == before.st_dev) {
        ::unlink(path.c_str());
    }
    content.error().message =
        "dropped corrupt cache entry " + path.string() + ": " + content.error().message;
    out.dropped = std::move(content.error());
    return out;
}

core::result<void> write_cache_entry(const std::filesystem::path& path, std::string_view content,
                                     const std::filesystem::path& global_lock) {
    auto encoded = encode_cache_entry(content);
    if (!encoded) {
        return std::unexpected(std::move(encoded.error()));
    }
    std::optional<file_lock> lock;
    if (!global_lock.empty()) {
        auto acquired = file_lock::acquire(global_lock, lock_kind::shared);
        if (!acquired) {
            return std::unexpected(std::move(acquired.error()));
        }
        lock = std::move(*acquired);
    }
    return write_file_atomically(path, *encoded, durability::unsynced); // checksummed
}

} // namespace actpip::storage
