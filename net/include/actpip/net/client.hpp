#pragma once
// The HTTP(S) client: asynchronous fetches on its own Asio thread, keep-alive pools per
// origin with a connection bound and priorities, redirects, retries, decoding, TLS, proxies
// and file:// URLs behind one non-template interface. No Beast or Asio in this header.

#include <functional>
#include <memory>

#include "actpip/core/error.hpp"
#include "actpip/net/client_options.hpp"
#include "actpip/net/request.hpp"
#include "actpip/net/response.hpp"

namespace actpip::net {

struct pool_stats {
    std::size_t open = 0; // connections open or opening
    std::size_t idle = 0;
    std::size_t waiting = 0;  // requests queued for a connection
    std::uint64_t opened = 0; // connections opened in all
    std::uint64_t tls_resumed = 0;
};

class client {
public:
    // Fails when the TLS configuration cannot be loaded (a missing CA bundle, a bad key).
    static core::result<std::unique_ptr<client>> create(client_options options);
    ~client(); // stops the thread; handlers of unfinished requests are dropped, not called
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    using handler = std::function<void(core::result<response>)>;
    // Thread-safe. `done` runs exactly once on the client's thread (unless the client is
    // destroyed first). Errors name the URL with credentials masked, and the cause.
    void async_fetch(request req, handler done);

    // Blocking convenience for tools and tests; never call it from the client's thread.
    core::result<response> fetch(request req);

    // Sets `flag` and, on the client's thread, fails every request carrying it that is still
    // queued for a connection (or waiting to retry): its handler gets a "cancelled" error and
    // nothing is sent. Requests already on the wire are not interrupted.
    void cancel(const cancel_flag& flag);

    // Opens up to `count` connections to `origin`'s host ahead of need (rule 3); with
    // `on_first_use`, only when the first request to it comes (the cache may answer all).
    void preconnect(const url& origin, std::size_t count, bool on_first_use = false);

    // A snapshot of the pool of `origin` (scheme, host, port), taken on the client's thread.
    pool_stats stats(const url& origin);

    const client_options& options() const;

    struct impl;

private:
    explicit client(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

} // namespace actpip::net
