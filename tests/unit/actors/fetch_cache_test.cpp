// The disk cache behind the fetch actors, against an nginx of this file's own that serves
// one generated index under /fresh/ (Cache-Control: max-age=3600) and /stale/ (max-age=0),
// requests and their statuses counted from its access log: a fresh page costs no request,
// a stale one one 304, --refresh revalidates, --offline fails on a miss naming the URL,
// metadata is reused by wheel hash across two actor systems, wheels are downloaded once
// (concurrent asks joined) and a wheel that does not match its hash leaves nothing behind.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actpip/actors/fetch_provider.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "support/actors/ask.hpp"
#include "support/actors/system.hpp"
#include "support/actors/target.hpp"
#include "support/files.hpp"
#include "support/index.hpp"
#include "support/nginx.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>

namespace {

using namespace actpip;
using namespace actpip::actors;

constexpr const char* spec = R"([
 {"name": "pa", "version": "1.0", "pep658": true},
 {"name": "ra", "version": "1.0"},
 {"name": "fr", "version": "1.0"},
 {"name": "st", "version": "1.0"},
 {"name": "rf", "version": "1.0"},
 {"name": "of", "version": "1.0"},
 {"name": "dl", "version": "1.0"},
 {"name": "dj", "version": "1.0"},
 {"name": "xa", "version": "1.0"}
])";

// nginx with the index under two freshness policies.
struct cache_servers {
    test::temp_dir tmp;
    test::nginx_server nginx;
    std::uint16_t port = 0;
    bool ok = false;
    std::string why;

    cache_servers() {
        auto root = tmp.path();
        auto www = root / "www";
        if (!test::make_spec_index(www, spec, &why))
            return;
        // The served wheel of xa no longer matches the hash on its page.
        test::write_file(www / "files" / "xa-1.0-py3-none-any.whl", "not the wheel you hashed");
        std::filesystem::create_directories(root / "conf.d");
        test::write_file(root / "conf.d" / "freshness.conf",
                         "location /fresh/ { alias " + (www / "simple").string() +
                             "/; add_header Cache-Control \"max-age=3600\"; }\n"
                             "location /stale/ { alias " +
                             (www / "simple").string() +
                             "/; add_header Cache-Control \"max-age=0\"; }\n");
        ok = nginx.start(root);
        if (!ok)
            why = "nginx did not start: " + test::read_file(root / "error.log");
        port = nginx.http_port;
    }

    // Requests whose path starts with `prefix` (and that got `status`, when not 0).
    std::size_t hits(const std::string& prefix, int status = 0) const {
        std::size_t count = 0;
        for (const auto& e : nginx.access_log())
            if (e.uri.starts_with(prefix) && (status == 0 || e.status == status))
                ++count;
        return count;
    }
};

cache_servers* shared() {
    static cache_servers s;
    return &s;
}

class fetch_cache_test : public testing::Test {
protected:
    void SetUp() override {
        s_ = shared();
        ASSERT_TRUE(s_->ok) << s_->why;
        ASSERT_FALSE(cache_.path().empty());
        boot();
    }
    void TearDown() override { halt(); }

    // A whole new actor system (as a second actpip process would be) on the same cache.
    void boot() {
        auto c = net::client::create(net::client_options{});
        ASSERT_TRUE(c);
        client_ = std::move(*c);
        sys_ = test::make_actor_system();
    }
    void halt() {
        side_.shutdown();
        sys_.reset();
        client_.reset();
    }
    void start(const std::string& index, storage::cache_mode mode = storage::cache_mode::normal) {
        side_.shutdown();
        fetch_service_options o;
        o.cache_dir = cache_.path();
        auto t = test::fetch_target_for({base() + index});
        t.cache_mode = mode;
        side_ = test::spawn_session_fetch_side(*sys_, client_, std::move(t), std::move(o));
    }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(s_->port); }
    std::size_t hits(const std::string& prefix, int status = 0) const {
        return s_->hits(prefix, status);
    }
    reply<project_answer> project(const std::string& name) {
        return test::ask<reply<project_answer>>(*sys_, side_.service.index,
                                                project_query{name, "s", false, side_.target});
    }
    wire_file file_of(const std::string& name) {
        auto a = project(name);
        EXPECT_TRUE(a && a->available && !a->files.empty())
            << (a ? a->missing : a.error().describe());
        return !a || a->files.empty() ? wire_file{} : a->files.front();
    }
    reply<file_metadata> metadata_of(const std::string& name) {
        return test::ask<reply<file_metadata>>(
            *sys_, side_.service.metadata, metadata_fetch{file_of(name), "s", false, side_.target});
    }
    reply<downloaded_wheel> download(const wire_file& f) {
        return test::ask<reply<downloaded_wheel>>(
            *sys_, side_.service.download, download_request{f, "s", side_.target.cache_mode});
    }
    std::size_t files_under(const std::filesystem::path& dir) const {
        std::size_t n = 0;
        std::error_code ec;
        for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file())
                ++n;
        return n;
    }

    cache_servers* s_ = nullptr;
    test::temp_dir cache_;
    std::unique_ptr<test::actor_system_for_test> sys_;
    std::shared_ptr<net::client> client_;
    test::session_fetch_side side_;
};

TEST_F(fetch_cache_test, a_fresh_cached_page_costs_no_request) {
    start("/fresh/");
    ASSERT_EQ(file_of("fr").version, "1.0");
    EXPECT_EQ(hits("/fresh/fr/"), 1u);
    start("/fresh/"); // a new index actor: nothing remembered but the disk cache
    auto f = file_of("fr");
    EXPECT_EQ(f.version, "1.0");
    EXPECT_EQ(f.url, base() + "/files/fr-1.0-py3-none-any.whl");
    EXPECT_EQ(hits("/fresh/fr/"), 1u);
}

TEST_F(fetch_cache_test, an_expired_page_costs_exactly_one_304) {
    start("/stale/");
    ASSERT_EQ(file_of("st").version, "1.0");
    EXPECT_EQ(hits("/stale/st/", 200), 1u);
    start("/stale/");
    EXPECT_EQ(file_of("st").version, "1.0");
    EXPECT_EQ(hits("/stale/st/"), 2u);
    EXPECT_EQ(hits("/stale/st/", 304), 1u);
    start("/stale/"); // freshened by the 304 but max-age=0: stale again
    EXPECT_EQ(file_of("st").version, "1.0");
    EXPECT_EQ(hits("/stale/st/", 304), 2u);
}

TEST_F(fetch_cache_test, refresh_revalidates_a_fresh_page) {
    start("/fresh/");
    ASSERT_EQ(file_of("rf").version, "1.0");
    start("/fresh/", storage::cache_mode::refresh);
    EXPECT_EQ(file_of("rf").version, "1.0");
    EXPECT_EQ(hits("/fresh/rf/"), 2u);
    EXPECT_EQ(hits("/fresh/rf/", 304), 1u);
}

TEST_F(fetch_cache_test, offline_uses_the_cache_and_fails_clearly_on_a_miss) {
    start("/stale/", storage::cache_mode::offline);
    auto miss = project("of");
    EXPECT_FALSE(miss);
    auto text = miss.error().describe();
    EXPECT_NE(text.find(base() + "/stale/of/"), std::string::npos) << text;
    EXPECT_NE(text.find("offline"), std::string::npos) << text;
    EXPECT_EQ(hits("/stale/of/"), 0u);
    start("/stale/");
    ASSERT_EQ(file_of("of").version, "1.0");
    start("/stale/", storage::cache_mode::offline); // stale, but offline: used as it is
    EXPECT_EQ(file_of("of").version, "1.0");
    EXPECT_EQ(hits("/stale/of/"), 1u);
}

TEST_F(fetch_cache_test, metadata_is_cached_by_wheel_hash_across_actor_systems) {
    start("/fresh/");
    auto pep658 = metadata_of("pa");
    ASSERT_TRUE(pep658) << pep658.error().describe();
    EXPECT_EQ(pep658->route, metadata_route::pep658);
    auto range = metadata_of("ra");
    ASSERT_TRUE(range) << range.error().describe();
    EXPECT_EQ(range->route, metadata_route::range);
    EXPECT_EQ(hits("/files/pa-"), 1u);
    EXPECT_EQ(hits("/files/ra-"), 1u);

    halt();
    boot(); // a second run
    start("/fresh/");
    for (const char* name : {"pa", "ra"}) {
        auto again = metadata_of(name);
        ASSERT_TRUE(again) << again.error().describe();
        EXPECT_EQ(again->route, metadata_route::cached);
        EXPECT_EQ(again->requests, 0u);
        EXPECT_EQ(again->name, name);
        EXPECT_EQ(again->version, "1.0");
    }
    EXPECT_EQ(hits("/files/pa-"), 1u) << "no metadata request on the second run";
    EXPECT_EQ(hits("/files/ra-"), 1u) << "no metadata request on the second run";
    EXPECT_EQ(hits("/fresh/pa/"), 1u);
}

TEST_F(fetch_cache_test, a_wheel_is_downloaded_once_then_taken_from_the_cache) {
    start("/fresh/");
    auto f = file_of("dl");
    ASSERT_FALSE(f.hashes.empty());
    auto first = download(f);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->requests, 1u);
    EXPECT_EQ("sha256:" + first->wheel.sha256, f.hashes.front());
    ASSERT_TRUE(std::filesystem::exists(first->wheel.path));
    EXPECT_EQ(std::filesystem::file_size(first->wheel.path), first->wheel.size);
    EXPECT_EQ(std::filesystem::path(first->wheel.path).parent_path().parent_path(),
              storage::cache_layout(cache_.path()).wheels_dir());
    EXPECT_EQ(hits("/files/dl-"), 1u);

    auto second = download(f);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->requests, 0u);
    EXPECT_EQ(second->wheel.path, first->wheel.path);
    halt();
    boot();
    start("/fresh/");
    auto third = download(f);
    ASSERT_TRUE(third) << third.error().describe();
    EXPECT_EQ(third->requests, 0u);
    EXPECT_EQ(hits("/files/dl-"), 1u) << "a cached wheel is never fetched again";
}

TEST_F(fetch_cache_test, identical_concurrent_downloads_are_joined) {
    start("/fresh/");
    auto f = file_of("dj");
    caf::scoped_actor self{*sys_};
    for (int i = 0; i < 4; ++i)
        self->send(side_.service.download, download_request{f, "s", side_.target.cache_mode});
    for (int i = 0; i < 4; ++i)
        self->receive([](reply<downloaded_wheel>& r) { EXPECT_TRUE(r) << r.error().describe(); },
                      caf::after(std::chrono::seconds(10)) >> [] { ADD_FAILURE(); });
    EXPECT_EQ(hits("/files/dj-"), 1u);
}

TEST_F(fetch_cache_test, a_hash_mismatch_fails_naming_both_hashes_and_leaves_nothing) {
    start("/fresh/");
    auto f = file_of("xa");
    ASSERT_FALSE(f.hashes.empty());
    auto r = download(f);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::errc::hash_mismatch);
    auto text = r.error().describe();
    EXPECT_NE(text.find("xa-1.0-py3-none-any.whl"), std::string::npos) << text;
    EXPECT_NE(text.find(f.hashes.front().substr(7)), std::string::npos) << text;
    auto actual = core::hash_bytes(core::hash_algorithm::sha256, "not the wheel you hashed");
    ASSERT_TRUE(actual);
    EXPECT_NE(text.find(actual->hex), std::string::npos) << text;
    EXPECT_EQ(files_under(storage::cache_layout(cache_.path()).wheels_dir()), 0u)
        << "no partial or temporary file is left in the cache";
    EXPECT_EQ(hits("/files/xa-"), 1u);
}

} // namespace
