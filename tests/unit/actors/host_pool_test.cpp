// The host-pool actor against the fault-injecting server: replies, joined identical
// requests (counted at the server), error values, events, downloads to a file.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actpip/actors/host_pool.hpp"
#include "net/servers.hpp"

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
    b.priority = 2;
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
        cfg_.set("scheduler.max-threads", 2);
        sys_ = std::make_unique<caf::actor_system>(cfg_);
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
    int server_requests() {
        auto r = client_->fetch(net::request::get(net::url::parse(base() + "/stats").value()));
        if (!r)
            return -1;
        auto at = r->body.find("\"requests\": ");
        return std::stoi(r->body.substr(at + 12));
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
    caf::actor_system_config cfg_;
    std::unique_ptr<caf::actor_system> sys_;
    host_pool_actor pool_;
};

TEST_F(host_pool_actor_test, replies_with_a_response) {
    caf::scoped_actor self{*sys_};
    http_result got;
    self->request(pool_, std::chrono::seconds(10), get("/ok"))
        .receive([&](http_result& r) { got = std::move(r); },
                 [&](caf::error& e) { FAIL() << sys_->render(e); });
    ASSERT_TRUE(got.ok) << got.error.describe();
    EXPECT_EQ(got.response.status, 200);
    EXPECT_EQ(got.response.body, "hello");
    EXPECT_EQ(got.response.final_url, base() + "/ok");
}

TEST_F(host_pool_actor_test, identical_concurrent_requests_are_made_once) {
    int before = server_requests();
    caf::scoped_actor self{*sys_};
    for (int i = 0; i < 5; ++i)
        self->send(pool_, get("/slow"));
    int answers = 0;
    for (int i = 0; i < 5; ++i) {
        self->receive([&](http_result& r) { answers += r.ok && r.response.body == "slow"; },
                      caf::after(std::chrono::seconds(10)) >> [] {});
    }
    EXPECT_EQ(answers, 5);
    // One /slow plus this /stats request.
    EXPECT_EQ(server_requests() - before, 2);
}

TEST_F(host_pool_actor_test, failures_are_error_values_naming_the_url) {
    caf::scoped_actor self{*sys_};
    http_result got;
    self->request(pool_, std::chrono::seconds(10), get("/flaky/x/9"))
        .receive([&](http_result& r) { got = std::move(r); }, [&](caf::error&) {});
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.error.code, core::errc::network);
    EXPECT_NE(got.error.describe().find("/flaky/x/9"), std::string::npos) << got.error.describe();
    auto elsewhere = get("/");
    elsewhere.url = "http://localhost:1/ok";
    self->request(pool_, std::chrono::seconds(10), elsewhere)
        .receive([&](http_result& r) { got = std::move(r); }, [&](caf::error&) {});
    EXPECT_FALSE(got.ok);
    EXPECT_NE(got.error.describe().find("host pool for"), std::string::npos);
    auto bad = get("/");
    bad.url = "not a url";
    self->request(pool_, std::chrono::seconds(10), bad)
        .receive([&](http_result& r) { got = std::move(r); }, [&](caf::error&) {});
    EXPECT_FALSE(got.ok);
}

TEST_F(host_pool_actor_test, events_go_to_the_subscriber) {
    caf::scoped_actor events{*sys_};
    caf::anon_send(pool_, subscribe_atom::value, caf::actor{events});
    caf::scoped_actor self{*sys_};
    self->request(pool_, std::chrono::seconds(10), get("/ok"))
        .receive([](http_result&) {}, [](caf::error&) {});
    std::vector<net::event_kind> kinds;
    bool more = true;
    while (more) {
        events->receive(
            [&](http_event& e) {
                EXPECT_EQ(e.session, "s1");
                kinds.push_back(static_cast<net::event_kind>(e.kind));
            },
            caf::after(std::chrono::milliseconds(200)) >> [&] { more = false; });
    }
    EXPECT_EQ(kinds, (std::vector<net::event_kind>{net::event_kind::request_started,
                                                   net::event_kind::connection_opened,
                                                   net::event_kind::request_finished}));
}

TEST_F(host_pool_actor_test, downloads_to_a_file) {
    caf::scoped_actor self{*sys_};
    auto m = get("/big");
    m.to_file = (tmp_.path() / "big.bin").string();
    http_result got;
    self->request(pool_, std::chrono::seconds(20), m)
        .receive([&](http_result& r) { got = std::move(r); }, [&](caf::error&) {});
    ASSERT_TRUE(got.ok) << got.error.describe();
    EXPECT_TRUE(got.response.body.empty());
    EXPECT_EQ(got.response.file, m.to_file);
    EXPECT_EQ(std::filesystem::file_size(m.to_file), 5u << 20);
}

} // namespace
