#include "actpip/storage/cache_wheels.hpp"

#include "actpip/storage/cache_entry.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace actpip::storage {

wheel_writer::wheel_writer(cache_layout layout, std::string filename,
                           std::optional<core::hash_digest> expected, atomic_file file,
                           core::hasher sha256, std::optional<core::hasher> declared,
                           file_lock lock)
    : layout_(std::move(layout)), filename_(std::move(filename)), expected_(std::move(expected)),
      file_(std::move(file)), sha256_(std::move(sha256)), declared_(std::move(declared)),
      lock_(std::move(lock)) {}

core::result<wheel_writer> wheel_writer::begin(const cache_layout& layout, std::string filename,
                                               std::optional<core::hash_digest> expected) {
    auto lock = file_lock::acquire(layout.global_lock(), lock_kind::shared);
    if (!lock) {
        return std::unexpected(std::move(lock.error()));
    }
    // The final name is known only at the end: the temporary file sits in wheels/, on the
    // same file system as wheels/<ab>/.
    auto file = atomic_file::create(layout.wheels_dir() / filename, layout.wheels_dir());
    if (!file) {
        return std::unexpected(std::move(file.error()));
    }
    auto sha256 = core::hasher::create(core::hash_algorithm::sha256);
    if (!sha256) {
        return std::unexpected(std::move(sha256.error()));
    }
    std::optional<core::hasher> declared;
    if (expected && expected->algorithm != core::hash_algorithm::sha256) {
        auto h = core::hasher::create(expected->algorithm);
        if (!h) {
            return std::unexpected(std::move(h.error()));
        }
        declared = std::move(*h);
    }
    return wheel_writer(layout, std::move(filename), std::move(expected), std::move(*file),
                        std::move(*sha256), std::move(declared), std::move(*lock));
}

core::result<void> wheel_writer::write(std::span<const std::byte> data) {
    return write(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

core::result<void> wheel_writer::write(std::string_view data) {
    sha256_.update(data);
    if (declared_) {
        declared_->update(data);
    }
    return file_.write(data);
}

core::result<cached_wheel> wheel_writer::commit() {
    auto sha256 = sha256_.finish();
    if (!sha256) {
        abort();
        return std::unexpected(std::move(sha256.error()));
    }
    if (expected_) {
        auto actual = declared_ ? declared_->finish() : core::result<core::hash_digest>(*sha256);
        if (!actual) {
            abort();
            return std::unexpected(std::move(actual.error()));
        }
        if (!(*actual == *expected_)) {
            abort();
            core::error e{core::errc::hash_mismatch, "hash mismatch for " + filename_ +
                                                         ": expected " + expected_->to_string() +
                                                         ", got " + actual->to_string()};
            e.add_hint("the download was deleted; the file on the index may have changed or "
                       "been tampered with");
            return std::unexpected(std::move(e));
        }
    }
    cached_wheel out{layout_.wheel(sha256->hex), sha256->hex, file_.size()};
    // Rehashed before it is unpacked (unpack_options::sha256): no fsync needed.
    auto committed = file_.commit_as(out.path, durability::unsynced);
    lock_.release();
    if (!committed) {
        return std::unexpected(std::move(committed.error()));
    }
    return out;
}

void wheel_writer::abort() {
    file_.abort();
    lock_.release();
}

std::optional<cached_wheel> find_cached_wheel(const cache_layout& layout, std::string_view sha256) {
    if (!is_sha256_hex(sha256)) {
        return std::nullopt;
    }
    auto path = layout.wheel(sha256);
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return std::nullopt;
    }
    return cached_wheel{path, std::string(sha256), size};
}

core::result<bool> verify_cached_wheel(const cached_wheel& wheel) {
    int fd = ::open(wheel.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return core::fail(core::errc::io, "cannot open " + wheel.path.string());
    }
    auto hasher = core::hasher::create(core::hash_algorithm::sha256);
    if (!hasher) {
        ::close(fd);
        return std::unexpected(std::move(hasher.error()));
    }
    char buffer[65536];
    while (true) {
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            ::close(fd);
            return core::fail(core::errc::io, "cannot read " + wheel.path.string());
        }
        if (n == 0) {
            break;
        }
        hasher->update(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    ::close(fd);
    auto digest = hasher->finish();
    if (!digest) {
        return std::unexpected(std::move(digest.error()));
    }
    return digest->hex == wheel.sha256;
}

core::result<void> store_cached_metadata(const cache_layout& layout, std::string_view wheel_sha256,
                                         std::string_view metadata) {
    if (!is_sha256_hex(wheel_sha256)) {
        return core::fail(core::errc::invalid_hash,
                          "not a sha256 hex digest: '" + std::string(wheel_sha256) + "'");
    }
    return write_cache_entry(layout.metadata_entry(wheel_sha256), metadata, layout.global_lock());
}

cached_metadata_lookup load_cached_metadata(const cache_layout& layout,
                                            std::string_view wheel_sha256) {
    if (!is_sha256_hex(wheel_sha256)) {
        return {};
    }
    auto read = read_cache_entry(layout.metadata_entry(wheel_sha256));
    return {std::move(read.content), std::move(read.dropped)};
}

} // namespace actpip::storage
