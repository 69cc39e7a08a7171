#include "actpip/storage/cache_maintenance.hpp"
#include "actpip/storage/cache_wheels.hpp"
#include "actpip/storage/http_cache.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sys/wait.h>
#include <unistd.h>

namespace actpip::storage {
namespace {

std::string sha256_of(std::string_view data) {
    return core::hash_bytes(core::hash_algorithm::sha256, data)->hex;
}

std::vector<std::filesystem::path> temporaries(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (is_temporary_name(e.path().filename().string())) {
            out.push_back(e.path());
        }
    }
    return out;
}

TEST(CacheWheels, StreamsVerifiesAndStoresBySha256) {
    test::temp_dir dir;
    cache_layout layout(dir.path());
    std::string wheel(1 << 20, '\0');
    for (std::size_t i = 0; i < wheel.size(); ++i) {
        wheel[i] = static_cast<char>(i * 7 % 251);
    }
    auto sha = sha256_of(wheel);
    auto writer = wheel_writer::begin(layout, "demo-1.0-py3-none-any.whl",
                                      *core::hash_digest::make(core::hash_algorithm::sha256, sha));
    ASSERT_TRUE(writer) << writer.error().describe();
    for (std::size_t off = 0; off < wheel.size(); off += 65536) {
        ASSERT_TRUE(writer->write(std::string_view(wheel).substr(off, 65536)));
    }
    EXPECT_FALSE(find_cached_wheel(layout, sha)); // not visible before commit
    auto stored = writer->commit();
    ASSERT_TRUE(stored) << stored.error().describe();
    EXPECT_EQ(stored->sha256, sha);
    EXPECT_EQ(stored->size, wheel.size());
    EXPECT_EQ(stored->path, layout.wheel(sha));
    auto found = find_cached_wheel(layout, sha);
    ASSERT_TRUE(found);
    EXPECT_TRUE(*verify_cached_wheel(*found));
    EXPECT_TRUE(temporaries(dir.path()).empty());

    // A declared sha512 is checked too; no declared hash is fine as well.
    auto sha512 = core::hash_bytes(core::hash_algorithm::sha512, "small")->hex;
    auto w2 = wheel_writer::begin(layout, "small.whl",
                                  *core::hash_digest::make(core::hash_algorithm::sha512, sha512));
    ASSERT_TRUE(w2->write("small"));
    ASSERT_TRUE(w2->commit());
    auto w3 = wheel_writer::begin(layout, "nohash.whl", std::nullopt);
    ASSERT_TRUE(w3->write("nohash"));
    EXPECT_EQ(w3->commit()->sha256, sha256_of("nohash"));
}

TEST(CacheWheels, HashMismatchDeletesThePartialFile) {
    test::temp_dir dir;
    cache_layout layout(dir.path());
    auto expected = std::string(64, 'f');
    auto writer =
        wheel_writer::begin(layout, "evil-1.0-py3-none-any.whl",
                            *core::hash_digest::make(core::hash_algorithm::sha256, expected));
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write("tampered bytes"));
    EXPECT_EQ(temporaries(dir.path()).size(), 1u);
    auto r = writer->commit();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::errc::hash_mismatch);
    EXPECT_EQ(r.error().message, "hash mismatch for evil-1.0-py3-none-any.whl: expected sha256:" +
                                     expected + ", got sha256:" + sha256_of("tampered bytes"));
    EXPECT_TRUE(temporaries(dir.path()).empty());
    EXPECT_FALSE(find_cached_wheel(layout, sha256_of("tampered bytes")));
}

TEST(CacheWheels, MetadataByWheelHash) {
    test::temp_dir dir;
    cache_layout layout(dir.path());
    auto key = sha256_of("wheel");
    EXPECT_FALSE(load_cached_metadata(layout, key).metadata);
    ASSERT_TRUE(store_cached_metadata(layout, key, "Metadata-Version: 2.1\nName: demo\n"));
    EXPECT_EQ(load_cached_metadata(layout, key).metadata, "Metadata-Version: 2.1\nName: demo\n");
    EXPECT_FALSE(store_cached_metadata(layout, "not-a-hash", "x"));
}

TEST(AtomicFile, ACrashBeforeTheRenameLeavesNoVisibleEntry) {
    test::temp_dir dir;
    auto target = dir.path() / "v1" / "http" / "ab" / "entry";
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        auto file = atomic_file::create(target);
        bool ok = file && file->write("partial content");
        ::_exit(ok ? 0 : 1); // dies without commit or cleanup, as a crash would
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_FALSE(std::filesystem::exists(target));
    EXPECT_EQ(temporaries(dir.path()).size(), 1u); // prune's job

    // In-process: an abandoned writer removes its temporary file.
    {
        auto file = atomic_file::create(target);
        ASSERT_TRUE(file->write("x"));
    }
    EXPECT_FALSE(std::filesystem::exists(target));
    ASSERT_TRUE(write_file_atomically(target, "whole"));
    EXPECT_EQ(*read_whole_file(target), "whole");
    ASSERT_TRUE(write_file_atomically(target, "replaced"));
    EXPECT_EQ(*read_whole_file(target), "replaced");
}

TEST(FileLock, ExcludesOtherHolders) {
    test::temp_dir dir;
    auto path = dir.path() / "locks" / "x.lock";
    auto shared1 = file_lock::acquire(path, lock_kind::shared);
    ASSERT_TRUE(shared1);
    auto shared2 = file_lock::try_acquire(path, lock_kind::shared);
    ASSERT_TRUE(shared2 && *shared2);
    EXPECT_FALSE(*file_lock::try_acquire(path, lock_kind::exclusive));
    shared1->release();
    shared2->reset();
    auto exclusive = file_lock::try_acquire(path, lock_kind::exclusive);
    ASSERT_TRUE(exclusive && *exclusive);
    pid_t pid = ::fork();
    if (pid == 0) {
        auto other = file_lock::try_acquire(path, lock_kind::shared);
        ::_exit(other && !*other ? 0 : 1); // busy in another process too
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(CacheMaintenance, InfoCleanAndPrune) {
    test::temp_dir dir;
    cache_layout layout(dir.path() / "cache");
    EXPECT_EQ(measure_cache(layout)->total().files, 0u); // no root yet

    http_cache http{layout};
    http_cache_entry page;
    page.url = "https://i/simple/a/";
    page.body = "<html></html>";
    ASSERT_TRUE(http.store(page));
    page.url = "https://i/simple/b/";
    ASSERT_TRUE(http.store(page));
    auto w = wheel_writer::begin(layout, "a.whl", std::nullopt);
    ASSERT_TRUE(w->write("wheel bytes"));
    auto wheel = *w->commit();
    ASSERT_TRUE(store_cached_metadata(layout, wheel.sha256, "Name: a\n"));
    std::filesystem::create_directories(layout.unpacked(wheel.sha256));
    ASSERT_TRUE(write_file_atomically(layout.unpacked(wheel.sha256) / "a.py", "pass\n"));
    auto orphan = layout.unpacked(std::string(64, '0'));
    ASSERT_TRUE(write_file_atomically(orphan / "b.py", "pass\n"));
    { // a crashed writer's leftover
        auto leftover = atomic_file::create(layout.wheels_dir() / "x.whl", layout.wheels_dir());
        ASSERT_TRUE(leftover->write("partial"));
        std::filesystem::copy_file(leftover->temp_path(), layout.wheels_dir() / ".tmp-crashed");
    }
    ASSERT_TRUE(write_file_atomically(layout.root() / "v0" / "old", "old layout"));
    auto corrupt = layout.http_entry("https://i/simple/b/");
    ASSERT_TRUE(write_file_atomically(corrupt, "garbage"));

    auto usage = measure_cache(layout);
    ASSERT_TRUE(usage);
    EXPECT_EQ((*usage)[cache_kind::http].files, 2u);
    EXPECT_EQ((*usage)[cache_kind::wheels].files, 1u);
    EXPECT_EQ((*usage)[cache_kind::wheels].bytes, 11u);
    EXPECT_EQ((*usage)[cache_kind::metadata].files, 1u);
    EXPECT_EQ((*usage)[cache_kind::unpacked].files, 2u);
    EXPECT_EQ((*usage)[cache_kind::temporary].files, 1u);
    EXPECT_EQ((*usage)[cache_kind::other].files, 1u);

    auto pruned = prune_cache(layout, {std::chrono::seconds(0), true});
    ASSERT_TRUE(pruned) << pruned.error().describe();
    auto removed = [&](const std::filesystem::path& p) {
        return std::ranges::find(pruned->removed, p.string()) != pruned->removed.end();
    };
    EXPECT_TRUE(removed(corrupt));
    EXPECT_TRUE(removed(orphan));
    EXPECT_TRUE(removed(layout.wheels_dir() / ".tmp-crashed"));
    EXPECT_TRUE(removed(layout.root() / "v0"));
    EXPECT_EQ(pruned->removed.size(), 4u);
    EXPECT_TRUE(http.load("https://i/simple/a/").entry);
    EXPECT_TRUE(find_cached_wheel(layout, wheel.sha256));
    EXPECT_TRUE(std::filesystem::exists(layout.unpacked(wheel.sha256) / "a.py"));

    auto cleaned = clean_cache(layout);
    ASSERT_TRUE(cleaned);
    EXPECT_EQ(cleaned->files, 4u); // http a, wheel, metadata, unpacked a.py
    EXPECT_EQ(measure_cache(layout)->total().files, 0u);
    EXPECT_FALSE(http.load("https://i/simple/a/").entry);
}

} // namespace
} // namespace actpip::storage
