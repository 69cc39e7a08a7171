#include "actpip/actors/fetch_options.hpp"

#include <caf/send.hpp>

namespace actpip::actors {

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
    }
    return it->second;
}

void fetch_pools::shutdown() {
    std::lock_guard lock(mutex_);
    for (auto& [origin, pool] : pools_)
        caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
    pools_.clear();
    subscribers_.clear();
}

void fetch_pools::subscribe_all(caf::actor subscriber) {
    std::lock_guard lock(mutex_);
    for (const auto& [origin, pool] : pools_)
        caf::anon_send(pool, subscribe_atom::value, subscriber);
    subscribers_.push_back(std::move(subscriber));
}

} // namespace actpip::actors
