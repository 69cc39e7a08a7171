// The client against the fault-injecting server: resets, stalls, retries, redirects, short
// and oversize bodies, bad certificates, credentials, proxies.
#include <gtest/gtest.h>

#include "actpip/net/client.hpp"
#include "net/environment.hpp"

namespace {

using namespace actpip;
using net::client;
using net::client_options;
using net::request;
using net::url;

class fault_client : public testing::Test {
protected:
    void SetUp() override {
        std::string why;
        servers_ = test::shared_servers(&why);
        ASSERT_NE(servers_, nullptr) << why;
    }
    client_options options() const {
        client_options o;
        o.tls.ca_bundle = servers_->ca();
        o.retry.base_delay = std::chrono::milliseconds(5);
        o.retry.max_attempts = 3;
        o.read_timeout = std::chrono::milliseconds(500);
        return o;
    }
    std::unique_ptr<client> make(client_options o) {
        auto c = client::create(std::move(o));
        EXPECT_TRUE(c) << c.error().describe();
        return c ? std::move(*c) : nullptr;
    }
    url fault(const std::string& path, const std::string& userinfo = "") const {
        return url::parse("http://" + userinfo +
                          "127.0.0.1:" + std::to_string(servers_->fault.port) + path)
            .value();
    }
    std::string describe(const core::result<net::response>& r) {
        return r ? "HTTP " + std::to_string(r->status) : r.error().describe();
    }
    test::net_servers* servers_ = nullptr;
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
