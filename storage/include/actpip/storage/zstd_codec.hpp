#pragma once
// zstd compression of whole buffers (cache bodies are small: index pages, metadata).

#include "actpip/core/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace actpip::storage {

// One zstd frame with the content size recorded.
core::result<std::string> zstd_compress(std::string_view data, int level = 3);

// Decodes one frame written by zstd_compress. A frame that is damaged, does not record its
// size, or would decode to more than `max_size` bytes is an error.
core::result<std::string> zstd_decompress(std::string_view frame,
                                          std::size_t max_size = std::size_t{1} << 30);

} // namespace actpip::storage
