#include "actpip/storage/zstd_codec.hpp"

#include <zstd.h>

namespace actpip::storage {

core::result<std::string> zstd_compress(std::string_view data, int level) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    auto written = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
    if (ZSTD_isError(written)) {
        return core::fail(core::errc::internal,
                          std::string("zstd compression failed: ") + ZSTD_getErrorName(written));
    }
    out.resize(written);
    return out;
}

core::result<std::string> zstd_decompress(std::string_view frame, std::size_t max_size) {
    auto size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
        return core::fail(core::errc::io, "not a zstd frame with a recorded size");
    }
    if (size > max_size) {
        return core::fail(core::errc::io, "zstd frame would decode to " + std::to_string(size) +
                                              " bytes, more than the limit of " +
                                              std::to_string(max_size));
    }
    std::string out(static_cast<std::size_t>(size), '\0');
    auto got = ZSTD_decompress(out.data(), out.size(), frame.data(), frame.size());
    if (ZSTD_isError(got)) {
        return core::fail(core::errc::io,
                          std::string("zstd decompression failed: ") + ZSTD_getErrorName(got));
    }
    if (got != out.size()) {
        return core::fail(core::errc::io, "zstd frame decoded to fewer bytes than recorded");
    }
    return out;
}

} // namespace actpip::storage
