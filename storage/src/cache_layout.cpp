#include "actpip/storage/cache_layout.hpp"

#include "actpip/core/hash.hpp"

#include <cstdlib>

namespace actpip::storage {

namespace {

std::filesystem::path sharded(const std::filesystem::path& dir, std::string_view key) {
    std::string k(key);
    return dir / (k.size() >= 2 ? k.substr(0, 2) : std::string("__")) / k;
}

} // namespace

environment_lookup process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (!value) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

core::result<std::optional<std::filesystem::path>>
resolve_cache_root(const cache_settings& settings, const environment_lookup& env) {
    if (settings.no_cache) {
        return std::optional<std::filesystem::path>();
    }
    auto get = [&](std::string_view name) -> std::optional<std::string> {
        auto value = env ? env(name) : std::nullopt;
        if (value && value->empty()) {
            return std::nullopt;
        }
        return value;
    };
    std::filesystem::path root;
    if (settings.cache_dir && !settings.cache_dir->empty()) {
        root = *settings.cache_dir;
    } else if (auto dir = get("ACTPIP_CACHE_DIR")) {
        root = *dir;
    } else if (auto xdg = get("XDG_CACHE_HOME"); xdg && xdg->front() == '/') {
        root = std::filesystem::path(*xdg) / "actpip";
    } else if (auto home = get("HOME")) {
        root = std::filesystem::path(*home) / ".cache" / "actpip";
    } else {
        core::error e{core::errc::not_found,
                      "no cache directory: neither ACTPIP_CACHE_DIR, XDG_CACHE_HOME nor HOME is "
                      "set"};
        e.add_hint("pass --cache-dir DIR, or --no-cache");
        return std::unexpected(std::move(e));
    }
    std::error_code ec;
    auto absolute = std::filesystem::absolute(root, ec);
    if (ec) {
        return core::fail(core::errc::io, "cannot make the cache directory " + root.string() +
                                              " absolute: " + ec.message());
    }
    return std::optional<std::filesystem::path>(absolute.lexically_normal());
}

std::filesystem::path cache_layout::global_lock() const {
    return root_ / (".lock-" + std::string(version));
}

std::filesystem::path cache_layout::http_entry(std::string_view url) const {
    return sharded(http_dir(), url_key(url));
}

std::filesystem::path cache_layout::metadata_entry(std::string_view wheel_sha256) const {
    return sharded(metadata_dir(), wheel_sha256);
}

std::filesystem::path cache_layout::wheel(std::string_view sha256) const {
    return sharded(wheels_dir(), sha256);
}

std::filesystem::path cache_layout::unpacked(std::string_view sha256) const {
    return unpacked_dir() / std::string(sha256);
}

std::filesystem::path cache_layout::lock_for(std::string_view key) const {
    std::string stripe = key.size() >= 2 ? std::string(key.substr(0, 2)) : std::string("__");
    return locks_dir() / (stripe + ".lock");
}

std::string cache_layout::url_key(std::string_view url) {
    auto digest = core::hash_bytes(core::hash_algorithm::sha256, url);
    return digest ? digest->hex : std::string(64, '0');
}

bool is_sha256_hex(std::string_view text) {
    if (text.size() != 64) {
        return false;
    }
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

} // namespace actpip::storage
