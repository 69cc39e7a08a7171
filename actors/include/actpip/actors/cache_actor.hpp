#pragma once
// The cache actor: the only actor that touches the disk cache (HTTP entries, metadata by
// wheel hash, wheels by sha256). It runs detached (its own thread), so the blocking storage
// calls never hold a scheduler thread that carries network actors. Its vocabulary is
// protocol/cache.hpp; the caching decision (RFC 9111) is made here with the current time.

#include "actpip/actors/protocol/cache.hpp"

#include <caf/actor_system.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace actpip::actors {

// Seconds since the epoch (the clock of the cache's freshness decisions).
std::int64_t cache_now();

// The hex of the first "sha256:<hex>" in `hashes`; empty when there is none.
std::string sha256_of(const std::vector<std::string>& hashes);

// A detached actor serving the cache at `root`; it holds `keep_alive` (what `root` lives in)
// until it ends.
cache_actor spawn_cache_actor(caf::actor_system& sys, std::filesystem::path root,
                              std::shared_ptr<const void> keep_alive = {});

} // namespace actpip::actors
