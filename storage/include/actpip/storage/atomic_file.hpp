#pragma once
// Files that appear whole or not at all: written to a temporary file in the destination's
// directory (or another directory on the same file system), flushed with fsync, then
// renamed over the destination, and the directory synced. A crash before the rename leaves
// only a temporary file (named ".tmp-*", removed by `cache prune`), never a partial entry.
// Files are created 0600 (the cache is the only writer: its entries may be private pages).
// `unsynced` skips both fsyncs: for files whose reader checks them anyway (cache entries
// carry a checksum, cached wheels are rehashed before they are unpacked), so that a power
// loss can cost such a file but never pass it off as good, and no write waits on the disk.
// Blocking calls: not for network threads.

#include "actpip/core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace actpip::storage {

// The prefix of every temporary file name.
inline constexpr std::string_view temporary_prefix = ".tmp-";
bool is_temporary_name(std::string_view filename);

enum class durability { synced, unsynced };

class atomic_file {
public:
    // Creates the temporary file (and the missing directories) in `temp_dir`, by default
    // the target's directory. `temp_dir` must be on the target's file system.
    static core::result<atomic_file> create(std::filesystem::path target,
                                            std::filesystem::path temp_dir = {});

    atomic_file(atomic_file&& other) noexcept;
    atomic_file& operator=(atomic_file&& other) noexcept;
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;
    // Removes the temporary file unless committed.
    ~atomic_file();

    core::result<void> write(std::string_view data);
    core::result<void> write(std::span<const std::byte> data);
    // fsync, rename over the target (replacing it), fsync the directory.
    core::result<void> commit(durability d = durability::synced);
    // Commits under another name (decided after writing, e.g. a content hash).
    core::result<void> commit_as(std::filesystem::path target, durability d = durability::synced);
    // Removes the temporary file; later writes and commits fail.
    void abort();

    const std::filesystem::path& target() const { return target_; }
    const std::filesystem::path& temp_path() const { return temp_; }
    std::uint64_t size() const { return size_; }

private:
    atomic_file(int fd, std::filesystem::path target, std::filesystem::path temp)
        : fd_(fd), target_(std::move(target)), temp_(std::move(temp)) {}
    void close_fd();

    int fd_ = -1;
    std::filesystem::path target_;
    std::filesystem::path temp_;
    std::uint64_t size_ = 0;
};

// The whole of `data` into `target`, atomically.
core::result<void> write_file_atomically(const std::filesystem::path& target, std::string_view data,
                                         durability d = durability::synced);

// The whole file; errc::not_found when it does not exist.
core::result<std::string> read_whole_file(const std::filesystem::path& path);

} // namespace actpip::storage
