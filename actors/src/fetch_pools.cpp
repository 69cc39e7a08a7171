#include "actpip/actors/fetch_options.hpp"
#include "actpip/actors/protocol/supervision.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

namespace actpip::actors {

namespace {

void announce(const caf::actor& watcher, const host_pool_actor& pool, const std::string& origin) {
    caf::anon_send(watcher, monitor_atom::value, caf::actor_cast<caf::actor>(pool),
                   "the host pool for " + origin);
}

} // namespace

core::result<host_pool_actor> fetch_pools::for_url(const std::string& url) {
    auto u = net::url::parse(url);
    if (!u)
        return std::unexpected(std::move(u.error()));
    auto origin = u->scheme() == "file" ? std::string("file://") : u->origin();
    std::lock_guard lock(mutex_);
    auto it = pools_.find(origin);
    if (it == pools_.end()) {
        it = pools_.emplace(origin, spawn_host_pool(sys_, client_, origin)).first;
        for (const auto& s : subscribers_)
            caf::anon_send(it->second, subscribe_atom::value, s);
        for (const auto& w : watchers_)
            announce(w, it->second, origin);
    }
    return it->second;
}

void fetch_pools::shutdown() {
    std::lock_guard lock(mutex_);
    for (auto& [origin, pool] : pools_)
        caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
    pools_.clear();
    subscribers_.clear();
    watchers_.clear();
}

void fetch_pools::subscribe_all(caf::actor subscriber) {
    std::lock_guard lock(mutex_);
    for (const auto& [origin, pool] : pools_)
        caf::anon_send(pool, subscribe_atom::value, subscriber);
    subscribers_.push_back(std::move(subscriber));
}

void fetch_pools::end_session(const caf::actor& session, const std::string& id) {
    std::lock_guard lock(mutex_);
    std::erase(subscribers_, session);
    std::erase(watchers_, session);
    for (const auto& [origin, pool] : pools_) {
        caf::anon_send(pool, unsubscribe_atom::value, session);
        caf::anon_send(pool, cancel_session_atom::value, id);
    }
}

void fetch_pools::watch_all(caf::actor watcher) {
    std::lock_guard lock(mutex_);
    for (const auto& [origin, pool] : pools_)
        announce(watcher, pool, origin);
    watchers_.push_back(std::move(watcher));
}

} // namespace actpip::actors
