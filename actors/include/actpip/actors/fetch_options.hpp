#pragma once
// What the fetch actors of a process are configured with (the cache; everything that depends
// on a job travels in its requests as a fetch_target), and the registry of host pools they
// share (one host pool per origin).

#include "actpip/actors/host_pool.hpp"

#include <caf/actor_system.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace actpip::actors {

struct fetch_service_options {
    // The disk cache (index pages, metadata by wheel hash, wheels): its root, or none.
    std::optional<std::filesystem::path> cache_dir;
    // What the cache directory lives in (a job's scratch directory with --no-cache), held by
    // the cache actor so that it is removed only once nothing writes there any more.
    std::shared_ptr<const void> cache_keep_alive;
};

// Host pools by origin, spawned on first use and shared by every fetch actor. Thread-safe:
// actors on different scheduler threads look pools up here.
class fetch_pools {
public:
    fetch_pools(caf::actor_system& sys, std::shared_ptr<net::client> client)
        : sys_(sys), client_(std::move(client)) {}

    // The pool serving `url` (file:// URLs share one pool); an error for an invalid URL.
    core::result<host_pool_actor> for_url(const std::string& url);
    // Stops every pool (they keep the client alive).
    void shutdown();
    // `subscriber` gets the http_event messages of every pool, present and future (progress
    // and retries for the session's reporter).
    void subscribe_all(caf::actor subscriber);
    // `watcher` gets (monitor, pool, "the host pool for <origin>") for every pool, present
    // and future, so that it can monitor the pools its requests depend on.
    void watch_all(caf::actor watcher);
    // A session ended: its subscriptions and watch go, and its queued prefetch and bulk
    // requests are dropped (the pools' cancel_session).
    void end_session(const caf::actor& session, const std::string& id);
    // The HTTP client the pools share (to open connections ahead of need).
    const std::shared_ptr<net::client>& client() const { return client_; }

private:
    caf::actor_system& sys_;
    std::shared_ptr<net::client> client_;
    std::mutex mutex_;
    std::map<std::string, host_pool_actor> pools_;
    std::vector<caf::actor> subscribers_;
    std::vector<caf::actor> watchers_;
};

} // namespace actpip::actors
