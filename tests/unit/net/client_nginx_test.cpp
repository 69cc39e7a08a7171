// The client against a real nginx on loopback: HTTP and HTTPS, gzip, keep-alive reuse checked
// in nginx's access log, the per-host connection bound, Range, conditional requests, TLS
// session resumption, streaming to a sink.
#include <gtest/gtest.h>

#include <future>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "actpip/net/client.hpp"
#include "server_client_test.hpp"
#include "support/files.hpp"

namespace {

using namespace actpip;

class nginx_client : public test::server_client_test {
protected:
    url http(const std::string& path) const {
        return url::parse("http://127.0.0.1:" + std::to_string(servers_->nginx.http_port) + path)
            .value();
    }
    url https(const std::string& path, const std::string& host = "localhost") const {
        return url::parse("https://" + host + ":" + std::to_string(servers_->nginx.https_port) +
                          path)
            .value();
    }
};

TEST_F(nginx_client, plain_http_get) {
    auto c = make(options());
    auto r = c->fetch(request::get(http("/small.txt")));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, "hello from nginx\n");
    EXPECT_EQ(r->header_value("content-type"), "text/plain");
    EXPECT_EQ(r->final_url, http("/small.txt"));
}

TEST_F(nginx_client, https_with_ca_bundle_by_name_and_ip) {
    auto c = make(options());
    for (auto host : {"localhost", "127.0.0.1"}) {
        auto r = c->fetch(request::get(https("/small.txt", host)));
        ASSERT_TRUE(r) << r.error().describe();
        EXPECT_EQ(r->body, "hello from nginx\n");
    }
}

TEST_F(nginx_client, https_fails_against_the_system_store) {
    auto o = options();
    o.tls.ca_bundle.reset();
    auto c = make(o);
    auto r = c->fetch(request::get(https("/small.txt")));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("certificate verification failed"), std::string::npos)
        << r.error().describe();
    EXPECT_NE(r.error().describe().find("https://localhost:"), std::string::npos);
    EXPECT_EQ(r.error().describe().find("attempts"), std::string::npos)
        << "verification failures are not retried";
}

TEST_F(nginx_client, ca_bundle_from_environment) {
    std::map<std::string, std::string> env = {{"REQUESTS_CA_BUNDLE", servers_->ca()},
                                              {"SSL_CERT_FILE", "/nonexistent/ca.pem"}};
    auto lookup = [&](std::string_view n) -> std::optional<std::string> {
        auto it = env.find(std::string(n));
        return it == env.end() ? std::nullopt : std::optional(it->second);
    };
    // SSL_CERT_FILE wins over REQUESTS_CA_BUNDLE, --cert over both.
    auto o = client_options::from_environment(lookup, std::nullopt, false);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->tls.ca_bundle, "/nonexistent/ca.pem");
    EXPECT_FALSE(client::create(*o)) << "a missing CA bundle is an error";
    env.erase("SSL_CERT_FILE");
    o = client_options::from_environment(lookup, std::nullopt, false);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->tls.ca_bundle, servers_->ca());
    auto c = make(*o);
    auto r = c->fetch(request::get(https("/small.txt")));
    ASSERT_TRUE(r) << r.error().describe();
    o = client_options::from_environment(lookup, std::string("/cli/cert.pem"), false);
    EXPECT_EQ(o->tls.ca_bundle, "/cli/cert.pem");
}

TEST_F(nginx_client, client_certificate) {
    auto c = make(options());
    auto r = c->fetch(request::get(https("/client-cert")));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->body, "NONE");
    auto o = options();
    o.tls.client_cert = (servers_->certs / "client.pem").string();
    o.tls.client_key = (servers_->certs / "client.key").string();
    auto with_cert = make(o);
    r = with_cert->fetch(request::get(https("/client-cert")));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->body, "SUCCESS");
    o.tls.client_key = (servers_->certs / "missing.key").string();
    EXPECT_FALSE(client::create(o));
}

TEST_F(nginx_client, netrc_from_the_environment) {
    auto path = servers_->tmp.path() / "netrc";
    test::write_file(path, "machine pypi.example login u password p\n");
    auto lookup = [&](std::string_view n) -> std::optional<std::string> {
        if (n == "NETRC")
            return path.string();
        return std::nullopt;
    };
    auto o = client_options::from_environment(lookup);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->credentials.lookup("pypi.example"), (net::credentials{"u", "p"}));
    EXPECT_FALSE(o->tls.ca_bundle);
    EXPECT_FALSE(o->proxies.https_proxy);
}

TEST_F(nginx_client, gzip_is_decoded) {
    auto c = make(options());
    auto r = c->fetch(request::get(https("/simple/pkg/index.txt")));
    ASSERT_TRUE(r) << r.error().describe();
    auto expected = test::read_file(servers_->www / "simple" / "pkg" / "index.txt");
    EXPECT_EQ(r->body, expected);
    EXPECT_FALSE(r->header_value("Content-Encoding"));
    auto raw = request::get(https("/simple/pkg/index.txt"));
    raw.accept_compressed = false;
    auto plain = c->fetch(raw);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->body, expected);
}

TEST_F(nginx_client, keep_alive_reuses_one_connection) {
    auto c = make(options());
    for (int i = 0; i < 20; ++i) {
        auto r = c->fetch(request::get(https("/small.txt?reuse")));
        ASSERT_TRUE(r) << r.error().describe();
        EXPECT_EQ(r->connection_reused, i > 0);
    }
    auto s = c->stats(https("/"));
    EXPECT_EQ(s.opened, 1u);
    EXPECT_EQ(s.idle, 1u);
}

TEST_F(nginx_client, parallel_requests_stay_within_the_pool_bound) {
    auto o = options();
    o.connections_per_host = 4;
    auto c = make(o);
    std::mutex m;
    std::condition_variable cv;
    int done = 0, ok = 0;
    for (int i = 0; i < 100; ++i) {
        c->async_fetch(request::get(http("/data.bin?parallel=" + std::to_string(i))),
                       [&](core::result<net::response> r) {
                           std::lock_guard lock(m);
                           ++done;
                           ok += r && r->body.size() == (1u << 20);
                           cv.notify_all();
                       });
    }
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return done == 100; }));
    EXPECT_EQ(ok, 100);
    EXPECT_LE(c->stats(http("/")).opened, 4u);
    EXPECT_LE(servers_->nginx.connections_for("/data.bin"), 4u);
    EXPECT_GE(servers_->nginx.requests_for("/data.bin"), 100u);
}

TEST_F(nginx_client, priorities_order_the_queue) {
    auto o = options();
    o.connections_per_host = 1;
    auto c = make(o);
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::string> order;
    auto add = [&](std::string name, net::priority p) {
        auto req = request::get(http("/small.txt?" + name), p);
        c->async_fetch(req, [&, name](core::result<net::response>) {
            std::lock_guard lock(m);
            order.push_back(name);
            cv.notify_all();
        });
    };
    // The first (a 1 MiB body, several reads) takes the only connection and is held inside
    // its body sink, on the client's thread, until the rest have been handed over; their
    // hand-over is queued on that thread ahead of the first's remaining reads, so they are
    // queued while it is in flight, whatever the load. They then leave by priority.
    std::promise<void> first_started;
    std::promise<void> others_queued;
    auto release = others_queued.get_future().share();
    auto first = request::get(http("/data.bin?first"), net::priority::bulk);
    first.sink = [&, release, once = std::make_shared<std::once_flag>()](std::string_view) {
        std::call_once(*once, [&] {
            first_started.set_value();
            release.wait();
        });
        return core::result<void>{};
    };
    c->async_fetch(first, [&](core::result<net::response>) {
        std::lock_guard lock(m);
        order.push_back("first");
        cv.notify_all();
    });
    first_started.get_future().wait();
    add("bulk", net::priority::bulk);
    add("prefetch", net::priority::prefetch);
    add("critical", net::priority::critical);
    others_queued.set_value();
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return order.size() == 4; }));
    EXPECT_EQ(order, (std::vector<std::string>{"first", "critical", "prefetch", "bulk"}));
}

TEST_F(nginx_client, range_requests) {
    auto c = make(options());
    auto data = test::payload(1 << 20);
    auto req = request::get(https("/data.bin"));
    req.range = net::byte_range::span(100, 199);
    auto r = c->fetch(req);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->status, 206u);
    EXPECT_EQ(r->body, data.substr(100, 100));
    EXPECT_EQ(r->range(), (net::content_range{100, 199, 1u << 20}));
    req.range = net::byte_range::suffix(10);
    r = c->fetch(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 206u);
    EXPECT_EQ(r->body, data.substr(data.size() - 10));
    req.range = net::byte_range::from(5u << 20);
    r = c->fetch(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 416u);
}

TEST_F(nginx_client, conditional_requests) {
    auto c = make(options());
    auto r = c->fetch(request::get(https("/small.txt")));
    ASSERT_TRUE(r);
    auto etag = r->header_value("ETag");
    auto modified = r->header_value("Last-Modified");
    ASSERT_TRUE(etag && modified);
    auto req = request::get(https("/small.txt"));
    req.if_none_match = std::string(*etag);
    auto again = c->fetch(req);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304u);
    EXPECT_TRUE(again->body.empty());
    req.if_none_match.reset();
    req.if_modified_since = std::string(*modified);
    again = c->fetch(req);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304u);
}

TEST_F(nginx_client, streams_to_a_sink) {
    auto c = make(options());
    std::string got;
    std::size_t calls = 0;
    auto req = request::get(https("/data.bin"), net::priority::bulk);
    req.sink = [&](std::string_view chunk) -> core::result<void> {
        got.append(chunk);
        ++calls;
        return {};
    };
    auto r = c->fetch(req);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_TRUE(r->body.empty());
    EXPECT_EQ(r->body_bytes, 1u << 20);
    EXPECT_EQ(got, test::payload(1 << 20));
    EXPECT_GT(calls, 1u);
    req.sink = [](std::string_view) {
        return core::result<void>(core::fail(core::errc::io, "disk full"));
    };
    r = c->fetch(req);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("disk full"), std::string::npos);
}

TEST_F(nginx_client, memory_body_limit) {
    auto c = make(options());
    auto req = request::get(https("/data.bin"));
    req.body_limit = 1000;
    auto r = c->fetch(req);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("exceeds the limit of 1000 bytes"), std::string::npos)
        << r.error().describe();
}

TEST_F(nginx_client, tls_sessions_are_resumed) {
    auto o = options();
    o.connections_per_host = 1;
    o.idle_timeout = std::chrono::milliseconds(0); // every request opens a new connection
    auto c = make(o);
    bool resumed = false;
    for (int i = 0; i < 3; ++i) {
        auto r = c->fetch(request::get(https("/small.txt?resume")));
        ASSERT_TRUE(r) << r.error().describe();
        resumed = resumed || r->tls_resumed;
    }
    EXPECT_TRUE(resumed);
    EXPECT_GE(c->stats(https("/")).tls_resumed, 1u);
    EXPECT_EQ(c->stats(https("/")).opened, 3u);
}

TEST_F(nginx_client, events_are_reported) {
    auto o = options();
    std::mutex m;
    std::vector<net::event_kind> kinds;
    o.on_event = [&](const net::event& e) {
        std::lock_guard lock(m);
        kinds.push_back(e.kind);
    };
    auto c = make(o);
    ASSERT_TRUE(c->fetch(request::get(https("/small.txt"))));
    std::lock_guard lock(m);
    EXPECT_EQ(kinds, (std::vector<net::event_kind>{net::event_kind::request_started,
                                                   net::event_kind::connection_opened,
                                                   net::event_kind::request_finished}));
}

TEST_F(nginx_client, preconnect_opens_connections_ahead) {
    auto c = make(options());
    c->preconnect(https("/"), 3);
    for (int i = 0; i < 100 && c->stats(https("/")).idle < 3; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(c->stats(https("/")).idle, 3u);
    auto r = c->fetch(request::get(https("/small.txt")));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->connection_reused);
}

TEST_F(nginx_client, preconnect_on_first_use_opens_nothing_until_a_request_comes) {
    auto c = make(options());
    c->preconnect(https("/"), 4, true);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(c->stats(https("/")).opened, 0u) << "a run the cache answers opens no connection";
    auto r = c->fetch(request::get(https("/small.txt")));
    ASSERT_TRUE(r);
    // The first request brought the others: four in all, the request's own among them.
    for (int i = 0; i < 100 && c->stats(https("/")).idle < 4; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(c->stats(https("/")).idle, 4u);
    EXPECT_EQ(c->stats(https("/")).opened, 4u);
}

TEST_F(nginx_client, directory_listing_and_404) {
    auto c = make(options());
    auto r = c->fetch(request::get(https("/nope.txt")));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404u);
}

} // namespace
