// The host-pool actor against the fault-injecting server: replies, joined identical
// requests (counted at the server), error values, events to several subscribers and every
// joining session, cancelled sessions, preconnect, downloads to a file.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <thread>

#include "actpip/actors/host_pool.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "support/actors/ask.hpp"
#include "support/actors/system.hpp"
#include "support/fault_server.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace actpip;
using namespace actpip::actors;

TEST(in_flight_table, first_asker_starts_later_ones_join) {
    in_flight_table<int> t;
    EXPECT_TRUE(t.join("a", 1));
    EXPECT_FALSE(t.join("a", 2));
    EXPECT_TRUE(t.join("b", 3));
    EXPECT_TRUE(t.in_flight("a"));
    EXPECT_EQ(t.complete("a"), (std::vector<int>{1, 2}));
    EXPECT_FALSE(t.in_flight("a"));
    EXPECT_TRUE(t.complete("a").empty());
    EXPECT_TRUE(t.join("a", 4)) << "a completed key starts afresh";
    EXPECT_EQ(t.size(), 2u);
}

TEST(request_key, distinguishes_what_changes_the_answer) {
    http_request a;
    a.url = "https://h/x";
    auto b = a;
    b.session = "other session";
    b.priority = net::priority::bulk;
    EXPECT_EQ(request_key(a), request_key(b));
    b.range = range_kind::suffix;
    b.range_last = 100;
    EXPECT_NE(request_key(a), request_key(b));
    auto c = a;
    c.if_none_match = "\"v\"";
    EXPECT_NE(request_key(a), request_key(c));
}

class host_pool_actor_test : public testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(tmp_.path().empty());
        ASSERT_TRUE(server_.start(tmp_.path()));
        net::client_options o;
        o.retry.base_delay = std::chrono::milliseconds(5);
        o.retry.max_attempts = 2;
        auto c = net::client::create(o);
        ASSERT_TRUE(c);
        client_ = std::move(*c);
        sys_ = test::make_actor_system();
        pool_ = spawn_host_pool(*sys_, client_, base());
    }
    void TearDown() override {
        if (sys_) {
            caf::anon_send_exit(pool_, caf::exit_reason::user_shutdown);
            pool_ = nullptr;
            sys_.reset();
        }
        client_.reset();
        server_.stop();
    }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(server_.port); }
    // A counter of the server's /stats, read through `via` (default: the pool's client).
    int server_stat(const std::string& name, net::client* via = nullptr) {
        auto* c = via ? via : client_.get();
        auto r = c->fetch(net::request::get(net::url::parse(base() + "/stats").value()));
        if (!r)
            return -1;
        auto at = r->body.find("\"" + name + "\": ");
        if (at == std::string::npos)
            return -1;
        return std::stoi(r->body.substr(at + name.size() + 4));
    }
    int server_requests() { return server_stat("requests"); }
    // The events a subscriber gets until 300 ms pass without one.
    static std::vector<http_event> drain(caf::scoped_actor& events) {
        std::vector<http_event> got;
        bool more = true;
        while (more) {
            events->receive([&](http_event& e) { got.push_back(std::move(e)); },
                            caf::after(std::chrono::milliseconds(300)) >> [&] { more = false; });
        }
        return got;
    }
    static int count(const std::vector<http_event>& es, const std::string& session,
                     net::event_kind kind) {
        return static_cast<int>(std::count_if(es.begin(), es.end(), [&](const http_event& e) {
            return e.session == session && e.kind == kind;
        }));
    }
    http_request get(const std::string& path) {
        http_request m;
        m.url = base() + path;
        m.session = "s1";
        return m;
    }

    test::temp_dir tmp_;
    test::fault_server server_;
    std::shared_ptr<net::client> client_;
    std::unique_ptr<test::actor_system_for_test> sys_;
    host_pool_actor pool_;
};

TEST_F(host_pool_actor_test, replies_with_a_response) {
    auto got = test::ask<reply<http_response>>(*sys_, pool_, get("/ok"));
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(got->status, 200);
    EXPECT_EQ(got->body, "hello");
    EXPECT_EQ(got->final_url, base() + "/ok");
}

TEST_F(host_pool_actor_test, the_accept_header_reaches_the_server) {
    auto req = get("/accept");
    req.accept = "application/vnd.pypi.simple.v1+json, text/html;q=0.01";
    EXPECT_EQ(test::ask<reply<http_response>>(*sys_, pool_, req)->body, req.accept);
    auto plain = get("/accept");
    EXPECT_NE(request_key(plain), request_key(req)) << "a different Accept may change the answer";
}

TEST_F(host_pool_actor_test, identical_concurrent_requests_are_made_once) {
    int before = server_requests();
    caf::scoped_actor self{*sys_};
    for (int i = 0; i < 5; ++i)
        self->send(pool_, get("/slow"));
    int answers = 0;
    for (int i = 0; i < 5; ++i) {
        self->receive([&](reply<http_response>& r) { answers += r && r->body == "slow"; },
                      caf::after(std::chrono::seconds(10)) >> [] {});
    }
    EXPECT_EQ(answers, 5);
    // One /slow plus this /stats request.
    EXPECT_EQ(server_requests() - before, 2);
}

TEST_F(host_pool_actor_test, failures_are_error_values_naming_the_url) {
    auto got = test::ask<reply<http_response>>(*sys_, pool_, get("/flaky/x/9"));
    EXPECT_FALSE(got);
    EXPECT_EQ(got.error().code, core::errc::network);
    EXPECT_NE(got.error().describe().find("/flaky/x/9"), std::string::npos)
        << got.error().describe();
    auto elsewhere = get("/");
    elsewhere.url = "http://localhost:1/ok";
    got = test::ask<reply<http_response>>(*sys_, pool_, elsewhere);
    EXPECT_FALSE(got);
    EXPECT_NE(got.error().describe().find("host pool for"), std::string::npos);
    auto bad = get("/");
    bad.url = "not a url";
    got = test::ask<reply<http_response>>(*sys_, pool_, bad);
    EXPECT_FALSE(got);
}

TEST_F(host_pool_actor_test, events_go_to_the_subscriber) {
    caf::scoped_actor events{*sys_};
    caf::anon_send(pool_, subscribe_atom::value, caf::actor{events});
    caf::scoped_actor self{*sys_};
    self->request(pool_, std::chrono::seconds(10), get("/ok"))
        .receive([](reply<http_response>&) {}, [](caf::error&) {});
    std::vector<net::event_kind> kinds;
    bool more = true;
    while (more) {
        events->receive(
            [&](http_event& e) {
                EXPECT_EQ(e.session, "s1");
                kinds.push_back(e.kind);
            },
            caf::after(std::chrono::milliseconds(200)) >> [&] { more = false; });
    }
    EXPECT_EQ(kinds, (std::vector<net::event_kind>{net::event_kind::request_started,
                                                   net::event_kind::connection_opened,
                                                   net::event_kind::request_finished}));
}

TEST_F(host_pool_actor_test, several_subscribers_and_unsubscribe) {
    caf::scoped_actor a{*sys_};
    caf::scoped_actor b{*sys_};
    caf::anon_send(pool_, subscribe_atom::value, caf::actor{a});
    caf::anon_send(pool_, subscribe_atom::value, caf::actor{b});
    caf::anon_send(pool_, subscribe_atom::value, caf::actor{b}); // once only
    caf::scoped_actor self{*sys_};
    self->request(pool_, std::chrono::seconds(10), get("/ok"))
        .receive([](reply<http_response>&) {}, [](caf::error&) {});
    for (auto* sub : {&a, &b}) {
        auto es = drain(*sub);
        EXPECT_EQ(es.size(), 3u);
        EXPECT_EQ(count(es, "s1", net::event_kind::request_started), 1);
        EXPECT_EQ(count(es, "s1", net::event_kind::request_finished), 1);
    }
    caf::anon_send(pool_, unsubscribe_atom::value, caf::actor{b});
    self->request(pool_, std::chrono::seconds(10), get("/ok?again"))
        .receive([](reply<http_response>&) {}, [](caf::error&) {});
    EXPECT_EQ(count(drain(a), "s1", net::event_kind::request_finished), 1);
    EXPECT_TRUE(drain(b).empty()) << "an unsubscribed actor still gets events";
}

TEST_F(host_pool_actor_test, joined_requests_report_to_every_session) {
    caf::scoped_actor events{*sys_};
    caf::anon_send(pool_, subscribe_atom::value, caf::actor{events});
    caf::scoped_actor self{*sys_};
    auto first = get("/slow");
    auto second = get("/slow");
    second.session = "s2";
    auto again = get("/slow"); // the same session twice: its events once
    self->send(pool_, first);
    std::this_thread::sleep_for(std::chrono::milliseconds(50)); // s2 joins after the start
    self->send(pool_, second);
    self->send(pool_, again);
    int answers = 0;
    for (int i = 0; i < 3; ++i)
        self->receive([&](reply<http_response>& r) { answers += r && r->body == "slow"; },
                      caf::after(std::chrono::seconds(10)) >> [] {});
    EXPECT_EQ(answers, 3);
    auto es = drain(events);
    for (const char* session : {"s1", "s2"}) {
        EXPECT_EQ(count(es, session, net::event_kind::request_started), 1) << session;
        EXPECT_EQ(count(es, session, net::event_kind::request_finished), 1) << session;
    }
    for (const auto& e : es)
        EXPECT_TRUE(e.session == "s1" || e.session == "s2") << e.session;
}

TEST_F(host_pool_actor_test, cancelled_session_queued_prefetches_are_never_sent) {
    net::client_options o;
    o.connections_per_host = 1;
    auto made = net::client::create(o);
    ASSERT_TRUE(made);
    std::shared_ptr<net::client> one = std::move(*made);
    auto pool = spawn_host_pool(*sys_, one, base());
    int before = server_requests(); // through client_: its own connection
    caf::scoped_actor self{*sys_};
    auto ask = [&](const std::string& path, const std::string& session, net::priority prio) {
        auto m = get(path);
        m.session = session;
        m.priority = prio;
        self->send(pool, m);
    };
    ask("/slow", "s0", net::priority::critical); // holds the only connection for 200 ms
    ask("/ok?a", "gone", net::priority::prefetch);
    ask("/ok?b", "gone", net::priority::bulk);
    ask("/ok?c", "stays", net::priority::prefetch);
    ask("/ok?d", "gone",
        net::priority::critical); // critical: what the resolver waits on is never dropped
    ask("/ok?e", "gone", net::priority::prefetch);
    ask("/ok?e", "stays", net::priority::prefetch); // joined by a live session: goes on
    auto origin = net::url::parse(base()).value();
    for (int i = 0; i < 500 && one->stats(origin).waiting < 5; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(one->stats(origin).waiting, 5u);
    caf::anon_send(pool, cancel_session_atom::value, std::string("gone"));
    std::vector<std::string> order;
    for (int i = 0; i < 7; ++i) {
        self->receive(
            [&](reply<http_response>& r) {
                order.push_back(r ? "ok " + r->final_url : r.error().describe());
            },
            caf::after(std::chrono::seconds(10)) >> [&] { order.push_back("timeout"); });
    }
    ASSERT_EQ(order.size(), 7u);
    // The two cancelled ones are answered first, before /slow ends.
    for (int i = 0; i < 2; ++i) {
        EXPECT_NE(order[i].find("cancelled"), std::string::npos) << order[i];
        EXPECT_TRUE(order[i].find("/ok?a") != std::string::npos ||
                    order[i].find("/ok?b") != std::string::npos)
            << order[i];
    }
    for (int i = 2; i < 7; ++i)
        EXPECT_TRUE(order[i].starts_with("ok ")) << order[i];
    // /slow, c, d, e and the /stats: a and b never reached the server.
    EXPECT_EQ(server_requests() - before, 5);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(host_pool_actor_test, preconnect_opens_connections_before_any_request) {
    // Counters read through another client, whose one kept-alive connection counts once.
    auto made = net::client::create(net::client_options{});
    ASSERT_TRUE(made);
    auto& observer = **made;
    int asked = 0;
    auto stat = [&](const std::string& name) {
        ++asked;
        return server_stat(name, &observer);
    };
    int requests = stat("requests");
    int before = stat("connections");
    ASSERT_GE(before, 1);
    caf::anon_send(pool_, preconnect_atom::value, std::uint32_t{3});
    int now = before;
    for (int i = 0; i < 100 && now < before + 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        now = stat("connections");
    }
    EXPECT_EQ(now, before + 3);
    // Nothing was requested through them: only the observer's /stats reached the server.
    int after = stat("requests");
    EXPECT_EQ(after - requests, asked - 1);
    EXPECT_EQ(client_->stats(net::url::parse(base()).value()).open, 3u);
}

TEST_F(host_pool_actor_test, downloads_to_a_file) {
    auto m = get("/big");
    m.to_file = (tmp_.path() / "big.bin").string();
    auto got = test::ask<reply<http_response>>(*sys_, pool_, m);
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_TRUE(got->body.empty());
    EXPECT_EQ(got->file, m.to_file);
    EXPECT_EQ(std::filesystem::file_size(m.to_file), 5u << 20);
}

} // namespace
