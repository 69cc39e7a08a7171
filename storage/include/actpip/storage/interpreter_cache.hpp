#pragma once
// Interpreter facts cached on disk, so an install does not run the interpreter every time.
// An entry is keyed by the interpreter's path (as given, made absolute: a virtual
// environment's python and the system python it links to are different environments) and
// the size and modification time of the file it resolves to; a changed interpreter misses.
// The entry holds the probe's raw output, parsed again on each load.

#include "actpip/core/error.hpp"
#include "actpip/storage/interpreter.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace actpip::storage {

struct interpreter_key {
    std::string path;          // absolute
    std::int64_t mtime_ns = 0; // of the file the path resolves to
    std::uint64_t size = 0;
    friend bool operator==(const interpreter_key&, const interpreter_key&) = default;
};

// `python` searched on PATH when it has no '/', then stat()ed.
core::result<interpreter_key> interpreter_key_for(const std::string& python);

// The text of a cache entry, and back: nullopt when `text` is not an entry for `key`
// (another interpreter, a changed one, or damaged).
std::string serialize_interpreter_entry(const interpreter_key& key, std::string_view probe_json);
std::optional<std::string> parse_interpreter_entry(std::string_view text,
                                                   const interpreter_key& key);

// The entry's file name under the cache directory (one file per interpreter path).
std::filesystem::path interpreter_entry_path(const std::filesystem::path& cache_dir,
                                             const interpreter_key& key);

// probe_interpreter with the cache in `cache_dir` (created when missing). A cache that
// cannot be read or written is not an error: the interpreter is probed.
core::result<interpreter_info> probe_interpreter_cached(const std::string& python,
                                                        const std::filesystem::path& cache_dir);

} // namespace actpip::storage
