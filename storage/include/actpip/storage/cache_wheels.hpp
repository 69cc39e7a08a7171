#pragma once
// Wheels in the cache, addressed by their sha256 (<root>/v1/wheels/<ab>/<sha256>) and stored
// as they are (so they can be opened as zip files in place). A download streams into a
// wheel_writer, which hashes while it writes; commit() checks the hash the index declared
// and only then renames the file into place. A mismatch deletes the partial file and names
// the file, the expected and the actual hash. Blocking: not for network threads.

#include "actpip/core/error.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/storage/atomic_file.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/file_lock.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace actpip::storage {

struct cached_wheel {
    std::filesystem::path path;
    std::string sha256; // hex
    std::uint64_t size = 0;
};

class wheel_writer {
public:
    // `filename` is for messages; `expected` is the hash the index gave (any algorithm),
    // checked at commit. The cache's shared lock is held until commit or abort.
    static core::result<wheel_writer> begin(const cache_layout& layout, std::string filename,
                                            std::optional<core::hash_digest> expected);

    core::result<void> write(std::string_view data);
    core::result<void> write(std::span<const std::byte> data);
    // Verifies and moves the wheel into place. On a mismatch the partial file is deleted
    // and the error (errc::hash_mismatch) names the file and both hashes.
    core::result<cached_wheel> commit();
    void abort();

    std::uint64_t bytes_written() const { return file_.size(); }

private:
    wheel_writer(cache_layout layout, std::string filename,
                 std::optional<core::hash_digest> expected, atomic_file file, core::hasher sha256,
                 std::optional<core::hasher> declared, file_lock lock);

    cache_layout layout_;
    std::string filename_;
    std::optional<core::hash_digest> expected_;
    atomic_file file_;
    core::hasher sha256_;
    std::optional<core::hasher> declared_; // when `expected` is not sha256
    file_lock lock_;
};

// The wheel with this sha256, if stored (its size read from the file system; the content
// is trusted as written by wheel_writer; verify_cached_wheel rehashes it).
std::optional<cached_wheel> find_cached_wheel(const cache_layout& layout, std::string_view sha256);

// Whether the stored file still has the sha256 its name says.
core::result<bool> verify_cached_wheel(const cached_wheel& wheel);

// Core metadata (a METADATA file's text) keyed by the wheel's sha256, in the cache_entry
// format. A corrupt entry is dropped and reported through `dropped`.
core::result<void> store_cached_metadata(const cache_layout& layout, std::string_view wheel_sha256,
                                         std::string_view metadata);
struct cached_metadata_lookup {
    std::optional<std::string> metadata;
    std::optional<core::error> dropped;
};
cached_metadata_lookup load_cached_metadata(const cache_layout& layout,
                                            std::string_view wheel_sha256);

} // namespace actpip::storage
