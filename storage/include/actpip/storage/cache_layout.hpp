#pragma once
// Where the cache lives and how it is laid out. The root comes from --cache-dir, else
// $ACTPIP_CACHE_DIR, else $XDG_CACHE_HOME/actpip, else $HOME/.cache/actpip; --no-cache turns
// it off. The environment is a parameter so that nothing here reads the process's own.
//
// <root>/v1/http/<ab>/<sha256 of the URL>    HTTP responses (cache_entry format, zstd)
// <root>/v1/metadata/<ab>/<wheel sha256>     core metadata by wheel hash (cache_entry format)
// <root>/v1/wheels/<ab>/<sha256>             wheels, content-addressed, stored as they are
// <root>/v1/unpacked/<sha256>/               unpacked wheel trees (the installer's)
// <root>/v1/locks/<ab>.lock                  per-key lock stripes (never deleted)
// <root>/.lock-v1                            shared by writers, exclusive for clean/prune
// "<ab>" is the first two hex digits of the key; temporary files start with ".tmp-".

#include "actpip/core/error.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace actpip::storage {

// Looks up an environment variable; nullopt when unset.
using environment_lookup = std::function<std::optional<std::string>(std::string_view)>;

// The process's environment (getenv), for the command line.
environment_lookup process_environment();

struct cache_settings {
    std::optional<std::filesystem::path> cache_dir; // --cache-dir
    bool no_cache = false;                          // --no-cache
};

// The cache root, absolute; nullopt with --no-cache. Empty variables count as unset, and a
// relative $XDG_CACHE_HOME is ignored (the XDG rule). An error when nothing gives a root.
core::result<std::optional<std::filesystem::path>>
resolve_cache_root(const cache_settings& settings, const environment_lookup& env);

class cache_layout {
public:
    static constexpr std::string_view version = "v1";

    explicit cache_layout(std::filesystem::path root) : root_(std::move(root)) {}

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path versioned() const { return root_ / version; }
    std::filesystem::path http_dir() const { return versioned() / "http"; }
    std::filesystem::path metadata_dir() const { return versioned() / "metadata"; }
    std::filesystem::path wheels_dir() const { return versioned() / "wheels"; }
    std::filesystem::path unpacked_dir() const { return versioned() / "unpacked"; }
    std::filesystem::path locks_dir() const { return versioned() / "locks"; }
    std::filesystem::path resolutions_dir() const { return versioned() / "resolutions"; }
    std::filesystem::path global_lock() const;

    std::filesystem::path http_entry(std::string_view url) const;
    std::filesystem::path metadata_entry(std::string_view wheel_sha256) const;
    std::filesystem::path wheel(std::string_view sha256) const;
    std::filesystem::path unpacked(std::string_view sha256) const;
    // The lock stripe for a key (hex digest): one of 256 lock files.
    std::filesystem::path lock_for(std::string_view key) const;

    // The sha256 hex of a URL, the key of its HTTP entry.
    static std::string url_key(std::string_view url);

private:
    std::filesystem::path root_;
};

// A lower-case hex sha256 digest (64 characters)?
bool is_sha256_hex(std::string_view text);

} // namespace actpip::storage
