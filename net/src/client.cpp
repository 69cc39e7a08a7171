#include "actpip/net/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>

#include <future>
#include <map>
#include <thread>

#include "connection_pool.hpp"
#include "fetch.hpp"

namespace actpip::net {

namespace asio = boost::asio;

namespace {

core::result<void> configure_tls(asio::ssl::context& ctx, const tls_options& o) {
    boost::system::error_code ec;
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1,
                    ec);
    if (o.ca_bundle) {
        ctx.load_verify_file(*o.ca_bundle, ec);
        if (ec)
            return core::fail(core::errc::network,
                              "cannot load CA bundle " + *o.ca_bundle + ": " + ec.message());
    } else {
        ctx.set_default_verify_paths(ec);
        if (ec)
            return core::fail(core::errc::network,
                              "cannot load the system trust store: " + ec.message());
    }
    if (o.client_cert) {
        ctx.use_certificate_chain_file(*o.client_cert, ec);
        if (!ec)
            ctx.use_private_key_file(o.client_key.value_or(*o.client_cert), asio::ssl::context::pem,
                                     ec);
        if (ec)
            return core::fail(core::errc::network, "cannot load client certificate " +
                                                       *o.client_cert + ": " + ec.message());
    }
    SSL_CTX_set_session_cache_mode(ctx.native_handle(), SSL_SESS_CACHE_CLIENT);
    return {};
}

bool trusted(const tls_options& o, const url& u) {
    for (const auto& t : o.trusted_hosts) {
        if (t == u.host() || t == u.authority() ||
            t == u.host() + ":" + std::to_string(u.effective_port()) ||
            (u.is_ipv6() && t == "[" + u.host() + "]"))
            return true;
    }
    return false;
}

} // namespace

core::result<client_options> client_options::from_environment(const env_lookup& env,
                                                              std::optional<std::string> cert,
                                                              bool read_netrc) {
    client_options o;
    if (cert)
        o.tls.ca_bundle = std::move(cert);
    else if (auto f = env("SSL_CERT_FILE"))
        o.tls.ca_bundle = *f;
    else if (auto r = env("REQUESTS_CA_BUNDLE"))
        o.tls.ca_bundle = *r;
    o.proxies = proxy_settings::from_environment(env);
    if (read_netrc) {
        std::optional<std::string> path = env("NETRC");
        if (!path) {
            if (auto home = env("HOME"))
                path = *home + "/.netrc";
        }
        if (path) {
            auto n = netrc::load(*path);
            if (!n)
                return std::unexpected(std::move(n.error()));
            o.credentials = std::move(*n);
        }
    }
    return o;
}

struct client::impl {
    client_options options;
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    asio::ssl::context tls{asio::ssl::context::tls_client};
    retry_policy retry;
    std::map<std::string, std::shared_ptr<detail::connection_pool>> pools;
    std::thread thread;

    explicit impl(client_options o) : options(std::move(o)), retry(options.retry) {}

    ~impl() {
        work.reset();
        ioc.stop();
        if (thread.joinable()) {
            if (thread.get_id() == std::this_thread::get_id())
                thread.detach(); // destroyed from its own handler: cannot join itself
            else
                thread.join();
        }
        pools.clear();
    }

    core::result<std::shared_ptr<detail::connection_pool>> pool_for(const url& u) {
        bool https = u.scheme() == "https";
        if (!https && u.scheme() != "http")
            return core::fail(core::errc::unsupported,
                              "unsupported URL scheme '" + u.scheme() + "'");
        bool is_trusted = trusted(options.tls, u);
        if (!https && options.require_secure_origin && !u.is_loopback() && !is_trusted) {
            core::error e{core::errc::network,
                          "refusing plain HTTP to " + u.host() + ": not a trusted host"};
            e.add_hint("use https://, or --trusted-host " + u.host() + " to allow it");
            return std::unexpected(std::move(e));
        }
        auto proxy = options.proxies.proxy_for(u);
        std::string key = u.origin();
        if (proxy)
            key += " via " + proxy->origin();
        auto it = pools.find(key);
        if (it != pools.end())
            return it->second;
        detail::connection_target t;
        t.host = u.host();
        t.port = u.effective_port();
        t.tls = https;
        t.verify = !is_trusted;
        t.proxy = proxy;
        if (proxy && proxy->has_credentials() && https)
            t.proxy_authorization = detail::basic_authorization(*proxy);
        t.connect_timeout = options.connect_timeout;
        t.read_timeout = options.read_timeout;
        auto pool = std::make_shared<detail::connection_pool>(ioc.get_executor(), u.origin(),
                                                              std::move(t), &tls, options);
        pools.emplace(key, pool);
        return pool;
    }

    detail::fetch_env env() {
        return detail::fetch_env{ioc.get_executor(), options, retry,
                                 [this](const url& u) { return pool_for(u); }};
    }
};

namespace {

detail::task<void> run_one(client::impl& c, request req, client::handler done) {
    auto env = c.env();
    auto r = co_await detail::run_fetch(env, std::move(req));
    done(std::move(r));
}

} // namespace

client::client(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

client::~client() {
    // The last reference can go in a completion handler, on the io thread itself: that thread
    // cannot join itself, and the handler's coroutine still uses the io_context once the
    // handler returns. Another thread takes the client down (stop, join, free) instead.
    if (impl_ && impl_->thread.get_id() == std::this_thread::get_id())
        std::thread([p = std::move(impl_)]() mutable { p.reset(); }).detach();
}

core::result<std::unique_ptr<client>> client::create(client_options options) {
    auto p = std::make_unique<impl>(std::move(options));
    if (auto r = configure_tls(p->tls, p->options.tls); !r)
        return std::unexpected(std::move(r.error()));
    auto* raw = p.get();
    p->thread = std::thread([raw] { raw->ioc.run(); });
    return std::unique_ptr<client>(new client(std::move(p)));
}

void client::async_fetch(request req, handler done) {
    auto* p = impl_.get();
    asio::co_spawn(p->ioc, run_one(*p, std::move(req), std::move(done)), [](std::exception_ptr) {});
}

core::result<response> client::fetch(request req) {
    std::promise<core::result<response>> promise;
    auto future = promise.get_future();
    async_fetch(std::move(req),
                [&promise](core::result<response> r) { promise.set_value(std::move(r)); });
    return future.get();
}

void client::cancel(const cancel_flag& flag) {
    if (!flag)
        return;
    flag->store(true);
    auto* p = impl_.get();
    asio::post(p->ioc, [p] {
        for (auto& [key, pool] : p->pools)
            pool->drop_cancelled();
    });
}

void client::preconnect(const url& origin, std::size_t count, bool on_first_use) {
    auto* p = impl_.get();
    asio::post(p->ioc, [p, origin, count, on_first_use] {
        if (auto pool = p->pool_for(origin)) {
            if (on_first_use)
                (*pool)->preconnect_on_first_use(count);
            else
                (*pool)->preconnect(count);
        }
    });
}

pool_stats client::stats(const url& origin) {
    std::promise<pool_stats> promise;
    auto* p = impl_.get();
    asio::post(p->ioc, [&] {
        auto pool = p->pool_for(origin);
        promise.set_value(pool ? (*pool)->stats() : pool_stats{});
    });
    return promise.get_future().get();
}

const client_options& client::options() const {
    return impl_->options;
}

} // namespace actpip::net
