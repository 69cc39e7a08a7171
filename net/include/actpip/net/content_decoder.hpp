#pragma once
// Streaming decoder for Content-Encoding gzip and deflate (zlib's inflate; "deflate" is
// accepted both zlib-wrapped, as RFC 9110 says, and raw, as some servers send it).

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "actpip/core/error.hpp"

namespace actpip::net {

class content_decoder {
public:
    enum class encoding { identity, gzip, deflate };
    // From a Content-Encoding value; empty for one we cannot decode ("br", "gzip, br").
    static std::optional<encoding> from_header(std::string_view value);

    explicit content_decoder(encoding e);
    ~content_decoder();
    content_decoder(const content_decoder&) = delete;
    content_decoder& operator=(const content_decoder&) = delete;

    using output = std::function<core::result<void>(std::string_view)>;
    // Feeds compressed bytes; decoded bytes go to `out` in pieces.
    core::result<void> write(std::string_view in, const output& out);
    // Checks that the stream ended properly (gzip trailer and CRC included).
    core::result<void> finish();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace actpip::net
