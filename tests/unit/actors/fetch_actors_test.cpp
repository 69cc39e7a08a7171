// The index, metadata and provider actors against nginx serving a tiny generated index
// (scripts/make_index.py --spec): the three metadata routes with their request counts
// (counted in nginx's access log), hash and name checks, the crawl with no resolver running,
// and a whole resolution through resolver_actor + fetch_provider.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actpip/actors/fetch_provider.hpp"
#include "actpip/actors/metadata_zip.hpp"
#include "actpip/actors/resolver_actor.hpp"
#include "support/actors/ask.hpp"
#include "support/actors/system.hpp"
#include "support/actors/target.hpp"
#include "support/index.hpp"
#include "support/net_servers.hpp"

#include <cstdlib>
#include <thread>

namespace {

using namespace actpip;
using namespace actpip::actors;

constexpr const char* spec = R"([
 {"name": "pa", "version": "1.0", "pep658": true},
 {"name": "ra", "version": "1.0"},
 {"name": "rc", "version": "1.0", "metadata_first": true, "pad": 100000, "files": 400},
 {"name": "da", "version": "1.0", "comment": 30000},
 {"name": "na", "version": "1.0", "pep658": true, "meta_name": "other"},
 {"name": "ha", "version": "1.0", "pep658": true, "bad_metadata_hash": true},
 {"name": "app", "version": "1.0", "pep658": true, "deps": ["lib>=1"]},
 {"name": "app", "version": "2.0", "pep658": true, "deps": ["lib>=2", "winonly; sys_platform == 'win32'"]},
 {"name": "lib", "version": "1.5", "deps": ["util"]},
 {"name": "lib", "version": "2.1", "pep658": true, "deps": ["util<2"]},
 {"name": "util", "version": "1.0"},
 {"name": "util", "version": "2.0"}
])";

struct index_servers {
    test::net_servers servers;
    bool ok = false;
    std::string why;
    index_servers() {
        if (!servers.start()) {
            why = servers.error;
            return;
        }
        ok = test::make_spec_index(servers.www, spec, &why);
    }
};

index_servers* shared() {
    static index_servers s; // stopped (nginx included) when the program ends
    return &s;
}

fetch_target target(const std::string& base, bool crawl) {
    return test::fetch_target_for({base + "/simple/"}, crawl);
}

class fetch_actors_test : public testing::Test {
protected:
    void SetUp() override {
        s_ = shared();
        ASSERT_TRUE(s_->ok) << s_->why;
        auto c = net::client::create(net::client_options{});
        ASSERT_TRUE(c);
        sys_ = test::make_actor_system();
        client_ = std::move(*c);
    }
    void start(bool crawl) {
        side_ = test::spawn_session_fetch_side(*sys_, client_, target(base(), crawl));
    }
    void TearDown() override {
        side_.shutdown();
        sys_.reset();
    }
    std::string base() const {
        return "http://127.0.0.1:" + std::to_string(s_->servers.nginx.http_port);
    }
    std::size_t hits(const std::string& prefix) const {
        return s_->servers.nginx.requests_for(prefix);
    }
    reply<project_answer> project(const std::string& name) {
        return test::ask<reply<project_answer>>(*sys_, side_.service.index,
                                                project_query{name, "s", false, side_.target});
    }
    reply<file_metadata> metadata_of(const std::string& name) {
        auto a = project(name);
        EXPECT_TRUE(a && a->available && !a->files.empty())
            << (a ? a->missing : a.error().describe());
        if (!a || a->files.empty())
            return core::error{core::errc::not_found, "no file of " + name};
        return test::ask<reply<file_metadata>>(
            *sys_, side_.service.metadata,
            metadata_fetch{a->files.front(), "s", false, side_.target});
    }

    index_servers* s_ = nullptr;
    std::unique_ptr<test::actor_system_for_test> sys_;
    std::shared_ptr<net::client> client_;
    test::session_fetch_side side_;
};

TEST_F(fetch_actors_test, index_answers_with_every_version_newest_first) {
    start(false);
    auto a = project("App");
    ASSERT_TRUE(a && a->available);
    ASSERT_EQ(a->files.size(), 2u);
    EXPECT_EQ(a->files[0].version, "2.0");
    EXPECT_TRUE(a->files[0].metadata_available);
    EXPECT_EQ(a->files[0].hashes.size(), 1u);
    auto missing = project("nothing-here");
    ASSERT_TRUE(missing) << "a project no index has is an answer, not an error";
    EXPECT_FALSE(missing->available);
}

TEST_F(fetch_actors_test, pep658_metadata_costs_one_request) {
    start(false);
    auto r = metadata_of("pa");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->route, metadata_route::pep658);
    EXPECT_EQ(r->requests, 1u);
    EXPECT_EQ(hits("/files/pa-"), 1u);
    EXPECT_EQ(hits("/files/pa-1.0-py3-none-any.whl.metadata"), 1u);
}

TEST_F(fetch_actors_test, small_wheel_metadata_comes_from_one_suffix_range) {
    start(false);
    auto r = metadata_of("ra");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->route, metadata_route::range);
    EXPECT_EQ(r->requests, 1u);
    EXPECT_EQ(hits("/files/ra-"), 1u);
}

TEST_F(fetch_actors_test, large_wheel_takes_three_range_requests) {
    start(false);
    auto r = metadata_of("rc");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->route, metadata_route::range);
    EXPECT_EQ(r->requests, 3u);
    EXPECT_EQ(hits("/files/rc-"), 3u);
}

TEST_F(fetch_actors_test, unreadable_tail_falls_back_to_the_whole_file) {
    start(false);
    auto r = metadata_of("da"); // a 30 KB zip comment hides the directory from the tail
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->route, metadata_route::download);
    EXPECT_EQ(r->requests, 2u);
    EXPECT_EQ(hits("/files/da-"), 2u);
}

TEST_F(fetch_actors_test, metadata_naming_another_project_is_an_error_naming_both) {
    start(false);
    auto r = metadata_of("na");
    ASSERT_FALSE(r);
    auto text = r.error().describe();
    EXPECT_NE(text.find("other 1"), std::string::npos) << text;
    EXPECT_NE(text.find("not na 1.0"), std::string::npos) << text;
}

TEST_F(fetch_actors_test, metadata_hash_mismatch_is_an_error) {
    start(false);
    auto r = metadata_of("ha");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::errc::hash_mismatch);
    EXPECT_NE(r.error().describe().find("expected sha256:000"), std::string::npos);
}

TEST_F(fetch_actors_test, identical_concurrent_asks_are_fetched_once) {
    start(false);
    caf::scoped_actor self{*sys_};
    for (int i = 0; i < 4; ++i)
        self->send(side_.service.index, project_query{"util", "s", false, side_.target});
    for (int i = 0; i < 4; ++i)
        self->receive([](reply<project_answer>& a) { EXPECT_TRUE(a && a->available); },
                      caf::after(std::chrono::seconds(10)) >> [] { ADD_FAILURE(); });
    EXPECT_EQ(hits("/simple/util/"), 1u);
}

TEST_F(fetch_actors_test, an_index_page_landing_starts_the_crawl_with_no_resolver) {
    start(true);
    auto before_lib = hits("/simple/lib/");
    auto before_util = hits("/simple/util/");
    auto before_meta = hits("/files/app-2.0-py3-none-any.whl.metadata");
    auto a = project("app"); // nobody asks for metadata, lib or util
    ASSERT_TRUE(a && a->available);
    for (int i = 0; i < 400 && hits("/simple/util/") == before_util; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    EXPECT_EQ(hits("/files/app-2.0-py3-none-any.whl.metadata"), before_meta + 1);
    EXPECT_EQ(hits("/simple/lib/"), before_lib + 1) << "app's metadata named lib";
    EXPECT_EQ(hits("/simple/util/"), before_util + 1) << "lib's metadata named util";
    EXPECT_EQ(hits("/simple/winonly/"), 0u) << "markers that cannot hold are not crawled";
}

TEST_F(fetch_actors_test, resolves_a_small_tree_through_the_fetch_provider) {
    start(true);
    auto ro = test::linux_py311();
    auto r = spawn_resolver(*sys_, {*core::requirement::parse("app")}, ro, side_.provider, "s");
    auto out = test::ask<resolution_outcome>(*sys_, r, resolve_atom::value);
    caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
    ASSERT_TRUE(out.ok) << out.explanation;
    std::string pins;
    for (const auto& p : out.pins)
        pins += p.name + "==" + p.version + " ";
    EXPECT_EQ(pins, "app==2.0 lib==2.1 util==1.0 ");
    EXPECT_EQ(hits("/simple/winonly/"), 0u) << "markers that cannot hold are not crawled";
}

} // namespace
