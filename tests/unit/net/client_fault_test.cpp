// The client against the fault-injecting server: resets, stalls, retries, redirects, short
// and oversize bodies, bad certificates, trusted hosts, credentials, proxies (with
// Proxy-Authorization), connect timeouts, cancellation, IPv6 loopback.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>

#include "actpip/net/client.hpp"
#include "server_client_test.hpp"
#include "support/fault_server.hpp"
#include "support/process.hpp"

namespace {

using namespace actpip;

class fault_client : public test::server_client_test {
protected:
    client_options options() const override {
        auto o = server_client_test::options();
        o.retry.max_attempts = 3;
        o.read_timeout = std::chrono::milliseconds(500);
        return o;
    }
    url fault(const std::string& path, const std::string& userinfo = "") const {
        return url::parse("http://" + userinfo +
                          "127.0.0.1:" + std::to_string(servers_->fault.port) + path)
            .value();
    }
    std::string describe(const core::result<net::response>& r) {
        return r ? "HTTP " + std::to_string(r->status) : r.error().describe();
    }
};

TEST_F(fault_client, reset_mid_body_fails_after_retries_naming_the_url) {
    auto c = make(options());
    auto r = c->fetch(request::get(fault("/reset", "me:secret@")));
    ASSERT_FALSE(r);
    auto text = r.error().describe();
    EXPECT_NE(text.find("/reset"), std::string::npos) << text;
    EXPECT_NE(text.find("me:****@"), std::string::npos) << text;
    EXPECT_EQ(text.find("secret"), std::string::npos) << text;
    EXPECT_NE(text.find("after 3 attempts"), std::string::npos) << text;
    EXPECT_NE(text.find("1000 of 100000 bytes"), std::string::npos) << text;
}

TEST_F(fault_client, stalled_body_times_out) {
    auto o = options();
    o.retry.max_attempts = 1;
    auto c = make(o);
    auto start = std::chrono::steady_clock::now();
    auto r = c->fetch(request::get(fault("/stall")));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("timed out"), std::string::npos) << r.error().describe();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
    r = c->fetch(request::get(fault("/stall-head")));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("timed out"), std::string::npos) << r.error().describe();
}

TEST_F(fault_client, retries_503_then_succeeds) {
    auto c = make(options());
    auto r = c->fetch(request::get(fault("/flaky/a/2")));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, "recovered");
    EXPECT_EQ(r->attempts, 3);
    auto gives_up = c->fetch(request::get(fault("/flaky/b/5")));
    ASSERT_FALSE(gives_up);
    EXPECT_NE(gives_up.error().describe().find("HTTP 503"), std::string::npos);
}

TEST_F(fault_client, post_is_not_retried) {
    auto c = make(options());
    auto req = request::get(fault("/flaky/post/1"));
    req.method = "POST";
    req.body = "x";
    auto r = c->fetch(req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().describe().find("attempts"), std::string::npos);
}

TEST_F(fault_client, honours_retry_after) {
    auto c = make(options());
    auto start = std::chrono::steady_clock::now();
    auto r = c->fetch(request::get(fault("/429/k")));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "thanks");
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
}

TEST_F(fault_client, redirect_loop_stops_at_the_hop_limit) {
    auto c = make(options());
    auto req = request::get(fault("/loop"));
    req.max_redirects = 5;
    auto r = c->fetch(req);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("too many redirects"), std::string::npos);
}

TEST_F(fault_client, redirects_keep_credentials_on_the_same_origin_only) {
    auto c = make(options());
    auto same = c->fetch(request::get(fault("/redirect?to=/auth", "u:p@")));
    ASSERT_TRUE(same) << describe(same);
    EXPECT_EQ(same->body, "Basic dTpw|-");
    EXPECT_EQ(same->redirects, 1);
    EXPECT_EQ(same->final_url, fault("/auth"));
    // localhost vs 127.0.0.1: another origin.
    std::string other = "http://localhost:" + std::to_string(servers_->fault.port) + "/auth";
    auto cross = c->fetch(request::get(fault("/redirect?to=" + other, "u:p@")));
    ASSERT_TRUE(cross) << describe(cross);
    EXPECT_EQ(cross->body, "none|-");
}

TEST_F(fault_client, netrc_credentials_per_host) {
    auto o = options();
    o.credentials = net::netrc::parse("machine 127.0.0.1 login alice password wonder");
    auto c = make(o);
    auto r = c->fetch(request::get(fault("/auth")));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "Basic YWxpY2U6d29uZGVy|-");
    auto explicit_creds = c->fetch(request::get(fault("/auth", "bob:x@")));
    ASSERT_TRUE(explicit_creds);
    EXPECT_EQ(explicit_creds->body, "Basic Ym9iOng=|-");
}

TEST_F(fault_client, a_kept_alive_connection_closed_by_the_server_is_replaced_silently) {
    auto o = options();
    o.retry.max_attempts = 1; // the stale-connection retry is not a counted retry
    auto c = make(o);
    auto first = c->fetch(request::get(fault("/ok-then-close")));
    ASSERT_TRUE(first) << describe(first);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    auto second = c->fetch(request::get(fault("/ok")));
    ASSERT_TRUE(second) << describe(second);
    EXPECT_EQ(second->body, "hello");
    EXPECT_FALSE(second->connection_reused);
    EXPECT_EQ(second->attempts, 1);
}

TEST_F(fault_client, short_body_is_an_error) {
    auto c = make(options());
    auto r = c->fetch(request::get(fault("/short")));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("50 of 100 bytes"), std::string::npos)
        << r.error().describe();
}

TEST_F(fault_client, oversize_body_is_refused) {
    auto c = make(options());
    auto req = request::get(fault("/big"));
    req.body_limit = 1 << 20;
    auto r = c->fetch(req);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("exceeds the limit"), std::string::npos);
    req.body_limit = 8 << 20;
    r = c->fetch(req);
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body.size(), 5u << 20);
}

TEST_F(fault_client, chunked_and_etag) {
    auto c = make(options());
    auto r = c->fetch(request::get(fault("/chunked")));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body.size(), 500u);
    auto req = request::get(fault("/etag"));
    req.if_none_match = "\"v1\"";
    r = c->fetch(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 304u);
}

TEST_F(fault_client, wrong_host_certificate_fails) {
    auto c = make(options());
    auto u = url::parse("https://localhost:" + std::to_string(servers_->wrong_host.port) + "/ok");
    auto r = c->fetch(request::get(*u));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("hostname mismatch"), std::string::npos)
        << r.error().describe();
}

TEST_F(fault_client, self_signed_certificate_fails_unless_trusted) {
    auto u = url::parse("https://127.0.0.1:" + std::to_string(servers_->self_signed.port) + "/ok");
    auto c = make(options());
    auto r = c->fetch(request::get(*u));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("self-signed"), std::string::npos) << r.error().describe();
    auto o = options();
    o.tls.trusted_hosts = {"127.0.0.1:" + std::to_string(servers_->self_signed.port)};
    auto trusting = make(o);
    r = trusting->fetch(request::get(*u));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "hello");
}

TEST_F(fault_client, trusted_host_relaxes_tls_for_that_host_name_only) {
    // Two names for the same servers: `localhost` trusted, `127.0.0.1` not. One server's
    // certificate is self-signed, the other's is signed by the CA for wrong.example.
    auto o = options();
    o.tls.trusted_hosts = {"localhost"};
    auto c = make(o);
    for (auto port : {servers_->self_signed.port, servers_->wrong_host.port}) {
        auto p = std::to_string(port);
        auto trusted = c->fetch(request::get(url::parse("https://localhost:" + p + "/ok").value()));
        ASSERT_TRUE(trusted) << describe(trusted);
        EXPECT_EQ(trusted->body, "hello");
        auto other = c->fetch(request::get(url::parse("https://127.0.0.1:" + p + "/ok").value()));
        ASSERT_FALSE(other) << "127.0.0.1 is not trusted (port " << p << ")";
        EXPECT_NE(other.error().describe().find("certificate verification failed"),
                  std::string::npos)
            << other.error().describe();
    }
    // Trusting 127.0.0.1 on another port does not trust this one.
    o.tls.trusted_hosts = {"127.0.0.1:1"};
    auto elsewhere = make(o);
    auto r = elsewhere->fetch(request::get(
        url::parse("https://127.0.0.1:" + std::to_string(servers_->self_signed.port) + "/ok")
            .value()));
    EXPECT_FALSE(r);
}

// A listening socket with backlog 0 whose accept queue is full: Linux drops further SYNs, so
// a connect neither succeeds nor is refused (loopback only).
class unanswered_port {
public:
    unanswered_port() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
            ::listen(listener_, 0) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            return;
        port = ntohs(a.sin_port);
        // Fill the queue: the first connection completes (and is never accepted).
        int filler = ::socket(AF_INET, SOCK_STREAM, 0);
        if (filler >= 0 && ::connect(filler, reinterpret_cast<sockaddr*>(&a), len) == 0)
            fillers_.push_back(filler);
        else
            port = 0;
    }
    ~unanswered_port() {
        for (int f : fillers_)
            ::close(f);
        if (listener_ >= 0)
            ::close(listener_);
    }
    std::uint16_t port = 0;

private:
    int listener_ = -1;
    std::vector<int> fillers_;
};

TEST_F(fault_client, connect_timeout_names_the_url) {
    unanswered_port blackhole;
    ASSERT_NE(blackhole.port, 0) << "cannot set up a full listen queue on 127.0.0.1";
    auto o = options();
    o.connect_timeout = std::chrono::milliseconds(300);
    o.retry.max_attempts = 2;
    auto c = make(o);
    auto target = "http://u:secret@127.0.0.1:" + std::to_string(blackhole.port) + "/simple/";
    auto start = std::chrono::steady_clock::now();
    auto r = c->fetch(request::get(url::parse(target).value()));
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r) << "connected to a port whose listen queue is full";
    auto text = r.error().describe();
    EXPECT_NE(text.find("timed out connecting to 127.0.0.1 port " + std::to_string(blackhole.port) +
                        " (after 300 ms)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("127.0.0.1:" + std::to_string(blackhole.port) + "/simple/"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("secret"), std::string::npos) << text;
    EXPECT_NE(text.find("after 2 attempts"), std::string::npos) << text;
    EXPECT_GE(took, std::chrono::milliseconds(550));
    EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(fault_client, cancel_drops_queued_requests_before_they_are_sent) {
    auto o = options();
    o.connections_per_host = 1;
    auto c = make(o);
    test::fault_server s; // fresh counters
    ASSERT_TRUE(s.start(servers_->certs));
    auto base = "http://127.0.0.1:" + std::to_string(s.port);
    std::promise<core::result<net::response>> slow, kept, dropped;
    std::atomic<int> finished{0};
    int slow_rank = 0, dropped_rank = 0;
    c->async_fetch(request::get(url::parse(base + "/slow").value()),
                   [&](core::result<net::response> r) {
                       slow_rank = ++finished;
                       slow.set_value(std::move(r));
                   });
    auto flag = net::make_cancel_flag();
    auto queued = request::get(url::parse(base + "/ok?dropped").value(), net::priority::prefetch);
    queued.cancel = flag;
    c->async_fetch(queued, [&](core::result<net::response> r) {
        dropped_rank = ++finished;
        dropped.set_value(std::move(r));
    });
    c->async_fetch(request::get(url::parse(base + "/ok?kept").value(), net::priority::prefetch),
                   [&](core::result<net::response> r) { kept.set_value(std::move(r)); });
    // Both prefetches wait behind /slow on the single connection before the cancel.
    auto origin = url::parse(base).value();
    for (int i = 0; i < 200 && c->stats(origin).waiting < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(c->stats(origin).waiting, 2u);
    c->cancel(flag);
    auto dr = dropped.get_future().get();
    ASSERT_FALSE(dr);
    EXPECT_NE(dr.error().describe().find("cancelled"), std::string::npos) << dr.error().describe();
    EXPECT_NE(dr.error().describe().find("/ok?dropped"), std::string::npos);
    auto sr = slow.get_future().get();
    ASSERT_TRUE(sr) << describe(sr);
    EXPECT_LT(dropped_rank, slow_rank) << "the cancelled request waited for the connection";
    auto kr = kept.get_future().get();
    ASSERT_TRUE(kr) << describe(kr);
    // /slow, /ok?kept and this one: the cancelled request never reached the server.
    auto stats = c->fetch(request::get(url::parse(base + "/stats").value()));
    ASSERT_TRUE(stats);
    EXPECT_NE(stats->body.find("\"requests\": 3,"), std::string::npos) << stats->body;
    // A flag already set: failed at once.
    auto late = request::get(url::parse(base + "/ok").value());
    late.cancel = flag;
    EXPECT_FALSE(c->fetch(late));
    s.stop();
}

bool ipv6_loopback_available() {
    int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

TEST_F(fault_client, ipv6_loopback_plain_and_tls) {
    if (!ipv6_loopback_available())
        GTEST_SKIP() << "SKIPPED LOUDLY: no IPv6 on the loopback interface (cannot bind ::1)";
    test::fault_server plain;
    ASSERT_TRUE(plain.start(servers_->certs, {}, {"--bind", "::1"}));
    test::fault_server tls;
    ASSERT_TRUE(tls.start(servers_->certs, "server", {"--bind", "::1"}));
    auto c = make(options());
    auto r = c->fetch(
        request::get(url::parse("http://[::1]:" + std::to_string(plain.port) + "/auth").value()));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "none|-");
    // The certificate names IP ::1: verified against the literal, no SNI.
    auto u = url::parse("https://u:p@[::1]:" + std::to_string(tls.port) + "/auth").value();
    r = c->fetch(request::get(u));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "Basic dTpw|-");
    EXPECT_EQ(r->final_url.host(), "::1");
    plain.stop();
    tls.stop();
}

TEST_F(fault_client, plain_http_needs_a_trusted_or_loopback_host) {
    auto c = make(options());
    auto r = c->fetch(request::get(url::parse("http://example.invalid/simple/").value()));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("refusing plain HTTP"), std::string::npos);
    ASSERT_FALSE(r.error().hints.empty());
}

TEST_F(fault_client, connection_refused_is_retried_then_reported) {
    auto c = make(options());
    auto port = test::free_port();
    auto r = c->fetch(
        request::get(url::parse("http://127.0.0.1:" + std::to_string(port) + "/").value()));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("cannot connect"), std::string::npos)
        << r.error().describe();
    EXPECT_NE(r.error().describe().find("after 3 attempts"), std::string::npos);
}

TEST_F(fault_client, https_through_a_connect_proxy) {
    auto o = options();
    o.proxies.https_proxy = fault("/", "pu:pp@");
    o.proxies.http_proxy = fault("/", "pu:pp@");
    auto c = make(o);
    auto https =
        url::parse("https://localhost:" + std::to_string(servers_->nginx.https_port) + "/small.txt")
            .value();
    auto r = c->fetch(request::get(https));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "hello from nginx\n");
    // Plain HTTP goes through the proxy in absolute form, with Proxy-Authorization.
    auto target =
        url::parse("http://localhost:" + std::to_string(servers_->fault.port) + "/auth").value();
    r = c->fetch(request::get(target));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "none|Basic cHU6cHA=");
    // NO_PROXY bypasses it.
    o.proxies.no_proxy = {"localhost"};
    auto direct = make(o);
    r = direct->fetch(request::get(target));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "none|-");
}

TEST_F(fault_client, connect_proxy_needs_the_credentials_of_the_proxy_url) {
    auto https =
        url::parse("https://localhost:" + std::to_string(servers_->nginx.https_port) + "/small.txt")
            .value();
    auto through = [&](const std::string& userinfo) {
        auto o = options();
        o.proxies.https_proxy = fault("/", userinfo);
        auto c = make(o);
        return c->fetch(request::get(https));
    };
    // The fault proxy answers 407 unless Proxy-Authorization is "Basic pu:pp".
    auto good = through("pu:pp@");
    ASSERT_TRUE(good) << describe(good);
    EXPECT_EQ(good->body, "hello from nginx\n");
    auto none = through("");
    ASSERT_FALSE(none);
    auto text = none.error().describe();
    EXPECT_NE(text.find("requires authentication (HTTP 407)"), std::string::npos) << text;
    EXPECT_NE(text.find("small.txt"), std::string::npos) << text;
    EXPECT_EQ(text.find("attempts"), std::string::npos) << "a 407 is not retried: " << text;
    auto wrong = through("pu:wrongsecret@");
    ASSERT_FALSE(wrong);
    text = wrong.error().describe();
    EXPECT_NE(text.find("rejected the credentials"), std::string::npos) << text;
    EXPECT_NE(text.find("pu:****@127.0.0.1"), std::string::npos) << text;
    EXPECT_EQ(text.find("wrongsecret"), std::string::npos) << text;
}

TEST_F(fault_client, many_parallel_requests_open_at_most_the_pool_bound) {
    auto o = options();
    o.connections_per_host = 6;
    auto c = make(o);
    // A fresh server so its counters start at zero.
    test::fault_server s;
    ASSERT_TRUE(s.start(servers_->certs));
    std::atomic<int> ok{0};
    std::atomic<int> done{0};
    auto base = "http://127.0.0.1:" + std::to_string(s.port);
    for (int i = 0; i < 100; ++i)
        c->async_fetch(request::get(url::parse(base + "/slow").value()),
                       [&](core::result<net::response> r) {
                           ok += r && r->body == "slow";
                           ++done;
                       });
    for (int i = 0; i < 1000 && done < 100; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(ok.load(), 100);
    auto stats = c->fetch(request::get(url::parse(base + "/stats").value()));
    ASSERT_TRUE(stats);
    EXPECT_NE(stats->body.find("\"connections\": 6,"), std::string::npos) << stats->body;
    s.stop();
}

} // namespace
