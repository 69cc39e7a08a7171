#pragma once
// The keep-alive connections to one origin: at most `limit` open, idle ones reused (most
// recently used first), requests waiting for a connection served by priority, then age.
// Lives on the client's single Asio thread; no locking.

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "actpip/net/client.hpp"
#include "connection.hpp"

namespace actpip::net::detail {

class connection_pool : public std::enable_shared_from_this<connection_pool> {
public:
    connection_pool(boost::asio::any_io_executor ex, std::string origin, connection_target target,
                    boost::asio::ssl::context* ctx, const client_options& options);
    ~connection_pool();

    struct lease {
        std::unique_ptr<connection> conn;
        bool reused = false;
    };
    // `cancelled` (may be null) is checked first and watched while queued: see drop_cancelled.
    task<outcome<lease>> acquire(priority p, const std::atomic<bool>* cancelled = nullptr);
    // Returns a connection: kept when reusable, else closed (and a waiter may open one).
    void release(std::unique_ptr<connection> conn);
    // Opens connections until `count` are open (or the limit is reached), ahead of need.
    void preconnect(std::size_t count);
    // The same, but only when the first request comes (a run that the cache answers opens
    // none).
    void preconnect_on_first_use(std::size_t count);
    // Fails the queued requests whose cancel flag is set ("cancelled", not retried).
    void drop_cancelled();
    pool_stats stats() const;
    const std::string& origin() const { return origin_; }

private:
    struct waiter;
    task<outcome<lease>> open_new();
    task<void> preconnect_one();
    void hand_off_slot();
    waiter* pop_best_waiter();
    void drop_expired_idle();
    void emit(event_kind kind, std::string detail = {});

    boost::asio::any_io_executor ex_;
    std::string origin_;
    connection_target target_;
    boost::asio::ssl::context* ctx_;
    const client_options& options_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::vector<waiter*> waiters_;
    std::size_t open_ = 0;
    std::size_t deferred_preconnect_ = 0;
    std::uint64_t seq_ = 0;
    std::uint64_t opened_ = 0;
    std::uint64_t resumed_ = 0;
    tls_session session_;
};

} // namespace actpip::net::detail
