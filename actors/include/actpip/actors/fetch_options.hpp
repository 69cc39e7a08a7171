#pragma once
// What the fetch actors are configured with: the sources, the target and the HTTP client,
// and the registry of host pools they share (one host pool per origin in the process).

#include "actpip/actors/host_pool.hpp"
#include "actpip/core/candidate_selector.hpp"
#include "actpip/core/index_merge.hpp"
#include "actpip/core/marker.hpp"
#include "actpip/storage/http_cache_policy.hpp"

#include <caf/actor_system.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace actpip::actors {

struct fetch_options {
    std::vector<std::string> index_urls; // --index-url then each --extra-index-url
    std::vector<std::string> find_links; // HTML pages listing files
    core::index_strategy strategy = core::index_strategy::first_index;
    core::selection_policy policy;        // the target's tags, Python version, --pre, formats
    core::marker_environment environment; // the target's markers (crawl filtering)
    bool crawl = true;                    // index -> metadata -> index prefetches
    // The disk cache (index pages, metadata by wheel hash, wheels): its root, or none
    // (--no-cache). normal: fresh pages cost no request, stale ones a conditional one;
    // refresh: revalidate everything; offline: never the network, a miss is an error.
    std::optional<std::filesystem::path> cache_dir;
    storage::cache_mode cache_mode = storage::cache_mode::normal;
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

private:
    caf::actor_system& sys_;
    std::shared_ptr<net::client> client_;
    std::mutex mutex_;
    std::map<std::string, host_pool_actor> pools_;
    std::vector<caf::actor> subscribers_;
    std::vector<caf::actor> watchers_;
};

} // namespace actpip::actors
