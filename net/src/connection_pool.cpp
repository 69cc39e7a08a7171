#include "connection_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <utility>

namespace actpip::net::detail {

namespace asio = boost::asio;

struct connection_pool::waiter {
    priority prio;
    std::uint64_t seq;
    asio::steady_timer timer;
    std::unique_ptr<connection> granted;
    bool may_open = false;
    const std::atomic<bool>* cancelled = nullptr;
    bool dropped = false;
};

namespace {

failure cancelled_failure() {
    return failure{core::error{core::errc::network, "cancelled before it was sent"}, false};
}

} // namespace

connection_pool::connection_pool(asio::any_io_executor ex, std::string origin,
                                 connection_target target, asio::ssl::context* ctx,
                                 const client_options& options)
    : ex_(std::move(ex)), origin_(std::move(origin)), target_(std::move(target)), ctx_(ctx),
      options_(options) {}

connection_pool::~connection_pool() = default;

void connection_pool::emit(event_kind kind, std::string detail) {
    if (!options_.on_event)
        return;
    event e{kind, origin_, {}, 0, std::nullopt, 0, std::move(detail)};
    options_.on_event(e);
}

void connection_pool::drop_expired_idle() {
    auto now = std::chrono::steady_clock::now();
    auto expired = [&](const std::unique_ptr<connection>& c) {
        return now - c->last_used > options_.idle_timeout;
    };
    for (auto& c : idle_) {
        if (expired(c)) {
            c->close();
            --open_;
            emit(event_kind::connection_closed, "idle");
        }
    }
    std::erase_if(idle_, expired);
}

task<outcome<connection_pool::lease>> connection_pool::acquire(priority p,
                                                               const std::atomic<bool>* cancelled) {
    if (cancelled && cancelled->load())
        co_return std::unexpected(cancelled_failure());
    if (auto n = std::exchange(deferred_preconnect_, 0); n > 1)
        preconnect(n - 1); // this request opens the n-th
    drop_expired_idle();
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        co_return lease{std::move(conn), true};
    }
    if (open_ < std::max<std::size_t>(1, options_.connections_per_host)) {
        ++open_;
        co_return co_await open_new();
    }
    waiter w{p, seq_++, asio::steady_timer(ex_), nullptr, false, cancelled, false};
    w.timer.expires_at(asio::steady_timer::time_point::max());
    waiters_.push_back(&w);
    boost::system::error_code ec;
    co_await w.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::erase(waiters_, &w);
    if (w.granted)
        co_return lease{std::move(w.granted), true};
    if (w.may_open)
        co_return co_await open_new();
    if (w.dropped)
        co_return std::unexpected(cancelled_failure());
    co_return std::unexpected(
        failure{core::error{core::errc::network, "the client is shutting down"}, false});
}

task<outcome<connection_pool::lease>> connection_pool::open_new() {
    auto self = shared_from_this();
    auto conn = std::make_unique<connection>(ex_, target_, ctx_);
    conn->id = ++opened_;
    // (GCC 12: no temporaries with destructors inside a co_await expression.)
    if (options_.tls.session_resumption)
        conn->resume_from(session_);
    auto r = co_await conn->open();
    if (!r) {
        --open_;
        hand_off_slot();
        co_return std::unexpected(std::move(r.error()));
    }
    if (conn->tls_resumed())
        ++resumed_;
    emit(event_kind::connection_opened, conn->tls_resumed() ? "tls resumed" : "");
    conn->last_used = std::chrono::steady_clock::now();
    co_return lease{std::move(conn), false};
}

connection_pool::waiter* connection_pool::pop_best_waiter() {
    auto live = [](waiter* w) { return !w->granted && !w->may_open && !w->dropped; };
    waiter* best = nullptr;
    for (auto* w : waiters_) {
        if (!live(w))
            continue;
        if (!best || w->prio < best->prio || (w->prio == best->prio && w->seq < best->seq))
            best = w;
    }
    return best;
}

void connection_pool::hand_off_slot() {
    if (open_ >= std::max<std::size_t>(1, options_.connections_per_host))
        return;
    if (auto* w = pop_best_waiter()) {
        w->may_open = true;
        ++open_;
        w->timer.cancel();
    }
}

void connection_pool::release(std::unique_ptr<connection> conn) {
    conn->last_used = std::chrono::steady_clock::now();
    if (conn->reusable()) {
        if (target_.tls && options_.tls.session_resumption) {
            if (auto s = conn->session())
                session_ = std::move(s);
        }
        if (auto* w = pop_best_waiter()) {
            w->granted = std::move(conn);
            w->timer.cancel();
            return;
        }
        idle_.push_back(std::move(conn));
        return;
    }
    conn->close();
    --open_;
    emit(event_kind::connection_closed);
    hand_off_slot();
}

task<void> connection_pool::preconnect_one() {
    auto self = shared_from_this();
    auto r = co_await open_new();
    if (r)
        release(std::move(r->conn));
}

void connection_pool::preconnect(std::size_t count) {
    auto limit = std::max<std::size_t>(1, options_.connections_per_host);
    while (open_ < std::min(count, limit)) {
        ++open_;
        asio::co_spawn(ex_, preconnect_one(), asio::detached);
    }
}

void connection_pool::preconnect_on_first_use(std::size_t count) {
    if (open_ == 0 && opened_ == 0)
        deferred_preconnect_ = std::max(deferred_preconnect_, count);
}

void connection_pool::drop_cancelled() {
    for (auto* w : waiters_) {
        if (!w->granted && !w->may_open && !w->dropped && w->cancelled && w->cancelled->load()) {
            w->dropped = true;
            w->timer.cancel();
        }
    }
}

pool_stats connection_pool::stats() const {
    return pool_stats{open_, idle_.size(), waiters_.size(), opened_, resumed_};
}

} // namespace actpip::net::detail
