// The session's decisions against fakes: an in-memory universe as the provider, a download
// actor and an installer that do what each test says (succeed, fail, hold until released)
// and tell the test what they were asked. Nothing touches the network or a disk; the only
// waits are for messages (a timeout guards against a hang).
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actpip/actors/resolution_wire.hpp"
#include "actpip/actors/session.hpp"
#include "actpip/embed.hpp"
#include "support/actors/ask.hpp"
#include "support/actors/system.hpp"
#include "support/actors/universe.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace actpip;
using namespace actpip::actors;
using test::rel;
using test::req;

// What the fakes tell the test: (asked, "download"|"install", what).
using asked_atom = caf::atom_constant<caf::atom("asked")>;
using release_atom = caf::atom_constant<caf::atom("release")>;

// ---- a download actor that answers per file name: a wheel, an error, or nothing yet ----

using fake_download_actor = download_actor::extend<caf::reacts_to<release_atom>>;

struct fake_download_state {
    std::set<std::string> failing; // file names that fail
    bool holding = false;          // answer nothing until released
    std::vector<std::pair<caf::typed_response_promise<reply<downloaded_wheel>>, wire_file>> held;
    caf::actor observer;
    static inline const char* name = "fake_download";
};

reply<downloaded_wheel> outcome_for(const fake_download_state& st, const wire_file& f) {
    if (st.failing.contains(f.filename))
        return core::error{core::errc::network, "HTTP 503 for " + f.url};
    downloaded_wheel w;
    w.wheel.path = "/cache/wheels/" + f.filename;
    w.wheel.sha256 = std::string(64, 'a');
    w.wheel.size = 1000;
    w.requests = 1;
    return w;
}

fake_download_actor::behavior_type
fake_download(fake_download_actor::stateful_pointer<fake_download_state> self,
              std::set<std::string> failing, bool holding, caf::actor observer) {
    self->state.failing = std::move(failing);
    self->state.holding = holding;
    self->state.observer = std::move(observer);
    return {
        [self](download_request& r) -> caf::typed_response_promise<reply<downloaded_wheel>> {
            auto rp = self->make_response_promise<reply<downloaded_wheel>>();
            caf::anon_send(self->state.observer, asked_atom::value, std::string("download"),
                           r.file.filename);
            if (self->state.holding)
                self->state.held.emplace_back(rp, r.file);
            else
                rp.deliver(outcome_for(self->state, r.file));
            return rp;
        },
        [self](release_atom) {
            self->state.holding = false;
            for (auto& [rp, f] : self->state.held)
                rp.deliver(outcome_for(self->state, f));
            self->state.held.clear();
        },
    };
}

// ---- an installer that records the plan and commits it, fails, or waits to be released ----

// It is its own install job too: a job opened early gets a handle to it, and what it is sent
// (tentative wheels, then the plan) is told to the test.
using fake_installer_actor =
    installer_actor::extend<caf::reacts_to<release_atom>, caf::reacts_to<tentative_wheel>>;

struct fake_installer_state {
    bool failing = false;
    bool holding = false;
    std::optional<std::pair<caf::typed_response_promise<reply<install_result>>, install_plan>> held;
    caf::actor observer;
    static inline const char* name = "fake_installer";
};

reply<install_result> commit(const fake_installer_state& st, const install_plan& plan) {
    if (st.failing)
        return core::error{core::errc::io, "disk full while installing"};
    install_result r;
    for (const auto& w : plan.wheels) {
        auto stem = w.filename.substr(0, w.filename.find("-py3-"));
        r.installed.push_back(stem);
    }
    return r;
}

fake_installer_actor::behavior_type
fake_installer(fake_installer_actor::stateful_pointer<fake_installer_state> self, bool failing,
               bool holding, caf::actor observer) {
    self->state.failing = failing;
    self->state.holding = holding;
    self->state.observer = std::move(observer);
    return {
        [self](install_plan& plan) -> caf::typed_response_promise<reply<install_result>> {
            auto rp = self->make_response_promise<reply<install_result>>();
            std::string names;
            for (const auto& w : plan.wheels)
                names += (names.empty() ? "" : " ") + w.filename;
            caf::anon_send(self->state.observer, asked_atom::value, std::string("install"), names);
            if (self->state.holding)
                self->state.held.emplace(rp, std::move(plan));
            else
                rp.deliver(commit(self->state, plan));
            return rp;
        },
        [self](install_opening&) -> install_job_actor {
            caf::anon_send(self->state.observer, asked_atom::value, std::string("open"),
                           std::string());
            return caf::actor_cast<install_job_actor>(self);
        },
        [self](tentative_wheel& t) {
            caf::anon_send(self->state.observer, asked_atom::value, std::string("stage"),
                           t.item.filename);
        },
        [self](release_atom) {
            if (auto& h = self->state.held) {
                h->first.deliver(commit(self->state, h->second));
                h.reset();
            }
        },
    };
}

// ---- an unpack pool that makes every tree at once and says which ----

unpack_pool_actor::behavior_type fake_unpacker(unpack_pool_actor::pointer, caf::actor observer) {
    return {
        [observer](unpack_order& o) -> reply<unpacked_tree> {
            caf::anon_send(observer, asked_atom::value, std::string("unpack"), o.filename);
            return unpacked_tree{o.dest};
        },
    };
}

const std::set<std::string> final_files = {"app-1.0-py3-none-any.whl", "lib-1.5-py3-none-any.whl",
                                           "tool-1.2-py3-none-any.whl",
                                           "util-3.0-py3-none-any.whl"};

struct fakes {
    std::set<std::string> failing_downloads{};
    bool hold_downloads = false;
    bool failing_install = false;
    bool hold_install = false;
    bool unpack = false; // an unpack pool to send landed wheels to
};

class session_test : public testing::Test {
protected:
    void SetUp() override {
        listener_ = std::make_unique<caf::scoped_actor>(*sys_);
        observer_ = std::make_unique<caf::scoped_actor>(*sys_);
    }
    void TearDown() override {
        for (auto& a : spawned_)
            caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
        listener_.reset();
        observer_.reset();
    }

    caf::actor start(std::shared_ptr<resolver::memory_provider> universe,
                     std::vector<const char*> roots, const fakes& f,
                     job_kind kind = job_kind::install) {
        session_config c;
        c.options.kind = kind;
        c.id = "session-test";
        for (auto* r : roots)
            c.sources.requirements.push_back(req(r));
        c.sources.cache_root = "/cache";
        auto o = test::linux_py311();
        c.target.markers = o.environment;
        c.target.python_version = o.python_version;
        c.provider = test::spawn_universe_provider(*sys_, std::move(universe));
        download_ = sys_->spawn(fake_download, f.failing_downloads, f.hold_downloads,
                                caf::actor{*observer_});
        c.download = caf::actor_cast<download_actor>(download_);
        if (kind == job_kind::install) {
            installer_ = sys_->spawn(fake_installer, f.failing_install, f.hold_install,
                                     caf::actor{*observer_});
            c.installer = caf::actor_cast<installer_actor>(installer_);
        }
        if (f.unpack)
            c.unpacker = sys_->spawn(fake_unpacker, caf::actor{*observer_});
        c.listener = caf::actor{*listener_};
        spawned_ = {caf::actor_cast<caf::actor>(c.provider), caf::actor_cast<caf::actor>(download_),
                    caf::actor_cast<caf::actor>(installer_),
                    caf::actor_cast<caf::actor>(c.unpacker)};
        return spawn_session(*sys_, std::move(c));
    }

    // The next thing a fake was asked: ("download" or "install", what).
    std::pair<std::string, std::string> next_ask() {
        std::pair<std::string, std::string> got;
        (*observer_)
            ->receive(
                [&](asked_atom, std::string& what, std::string& detail) {
                    got = {std::move(what), std::move(detail)};
                },
                caf::after(test::ask_timeout) >> [] { ADD_FAILURE() << "nothing was asked"; });
        return got;
    }
    // Everything the fakes were asked so far, by kind.
    std::multimap<std::string, std::string> asked_so_far() {
        std::multimap<std::string, std::string> all;
        bool more = true;
        while (more)
            (*observer_)
                ->receive(
                    [&](asked_atom, std::string& what, std::string& detail) {
                        all.emplace(std::move(what), std::move(detail));
                    },
                    caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
        return all;
    }
    job_outcome outcome() {
        job_outcome out;
        bool done = false;
        while (!done)
            (*listener_)
                ->receive([&](progress_event& e) { events_.push_back(std::move(e)); },
                          [&](job_outcome& o) {
                              out = std::move(o);
                              done = true;
                          },
                          caf::after(test::ask_timeout) >>
                              [&] {
                                  ADD_FAILURE() << "no outcome";
                                  done = true;
                              });
        return out;
    }
    bool another_outcome_within(std::chrono::milliseconds wait) {
        bool got = false;
        bool more = true;
        while (more)
            (*listener_)
                ->receive([&](progress_event&) {},
                          [&](job_outcome&) {
                              got = true;
                              more = false;
                          },
                          caf::after(wait) >> [&] { more = false; });
        return got;
    }
    std::size_t events_of(progress_event::kind k) const {
        return static_cast<std::size_t>(std::count_if(
            events_.begin(), events_.end(), [k](const progress_event& e) { return e.what == k; }));
    }
    static std::set<std::string> downloads_in(const std::multimap<std::string, std::string>& m) {
        std::set<std::string> out;
        for (auto [it, end] = m.equal_range("download"); it != end; ++it)
            out.insert(it->second);
        return out;
    }

    std::unique_ptr<test::actor_system_for_test> sys_ = test::make_actor_system();
    std::unique_ptr<caf::scoped_actor> listener_;
    std::unique_ptr<caf::scoped_actor> observer_;
    fake_download_actor download_;
    fake_installer_actor installer_;
    std::vector<caf::actor> spawned_;
    std::vector<progress_event> events_;
};

TEST_F(session_test, each_pin_starts_its_download_and_the_plan_holds_the_final_pins) {
    start(test::backtracking_universe(), {"app"}, {});
    auto o = outcome();
    ASSERT_EQ(o.exit_code, 0) << o.error;
    auto asked = asked_so_far();
    auto downloads = downloads_in(asked);
    // Tentative pins that the backtrack dropped were downloaded too (they stay in the cache);
    // each version once.
    EXPECT_EQ(asked.count("download"), downloads.size()) << "a version downloaded twice";
    for (const char* tried : {"app-2.0-py3-none-any.whl", "lib-2.1-py3-none-any.whl"})
        EXPECT_TRUE(downloads.contains(tried)) << tried;
    for (const auto& f : final_files)
        EXPECT_TRUE(downloads.contains(f)) << f;
    // The plan: exactly the final pins, in the resolution's (name) order.
    ASSERT_EQ(asked.count("install"), 1u);
    EXPECT_EQ(asked.find("install")->second,
              "app-1.0-py3-none-any.whl lib-1.5-py3-none-any.whl tool-1.2-py3-none-any.whl "
              "util-3.0-py3-none-any.whl");
    EXPECT_EQ(o.installed,
              (std::vector<std::string>{"app==1.0", "lib==1.5", "tool==1.2", "util==3.0"}));
    ASSERT_EQ(o.resolution.size(), 4u);
    EXPECT_EQ(o.resolution[0].filename, "app-1.0-py3-none-any.whl");
    EXPECT_EQ(o.resolution[0].sha256, std::string(64, 'a'));
    EXPECT_EQ(events_of(progress_event::kind::resolved), 1u);
    EXPECT_EQ(events_of(progress_event::kind::download_started), downloads.size());
    EXPECT_EQ(events_of(progress_event::kind::installing), 1u);
    EXPECT_EQ(events_of(progress_event::kind::installed), 1u);
    EXPECT_GE(events_of(progress_event::kind::resolving), 4u);
}

TEST_F(session_test, a_failed_download_of_a_dropped_pin_does_not_matter) {
    start(test::backtracking_universe(), {"app"},
          {.failing_downloads = {"app-2.0-py3-none-any.whl"}});
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 0) << o.error;
    EXPECT_EQ(o.installed.size(), 4u);
    EXPECT_TRUE(downloads_in(asked_so_far()).contains("app-2.0-py3-none-any.whl"))
        << "the dropped pin was downloaded (and failed) while the resolution went on";
}

TEST_F(session_test, a_failed_download_of_a_final_pin_fails_the_job_naming_it) {
    start(test::backtracking_universe(), {"app"},
          {.failing_downloads = {"tool-1.2-py3-none-any.whl"}});
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_NE(o.error.find("HTTP 503"), std::string::npos) << o.error;
    EXPECT_NE(o.error.find("tool-1.2-py3-none-any.whl"), std::string::npos) << o.error;
    EXPECT_EQ(asked_so_far().count("install"), 0u) << "nothing is installed after a failure";
    EXPECT_TRUE(o.installed.empty());
}

TEST_F(session_test, cancel_during_the_downloads_stops_with_130_and_installs_nothing) {
    auto session = start(test::backtracking_universe(), {"app"}, {.hold_downloads = true});
    EXPECT_EQ(next_ask().first, "download"); // a download is running
    caf::anon_send(session, embed::cancel_atom::value);
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 130);
    EXPECT_EQ(o.error, "cancelled");
    caf::anon_send(download_, release_atom::value); // late answers reach nobody
    EXPECT_FALSE(another_outcome_within(std::chrono::milliseconds(300)))
        << "exactly one outcome, and nothing installed after it";
    EXPECT_EQ(asked_so_far().count("install"), 0u);
}

TEST_F(session_test, cancel_during_the_commit_waits_for_it_and_says_so) {
    auto session = start(test::backtracking_universe(), {"app"}, {.hold_install = true});
    std::pair<std::string, std::string> ask;
    do
        ask = next_ask();
    while (ask.first == "download" || ask.first == "open" || ask.first == "stage");
    ASSERT_EQ(ask.first, "install"); // the installer is committing
    caf::anon_send(session, embed::cancel_atom::value);
    caf::anon_send(installer_, release_atom::value);
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 0) << "a commit that went through is reported: " << o.error;
    EXPECT_EQ(o.installed.size(), 4u);
    ASSERT_FALSE(o.warnings.empty());
    EXPECT_NE(o.warnings.back().find("interrupted after the installation was committed"),
              std::string::npos);
}

TEST_F(session_test, an_installer_failure_is_the_outcome) {
    start(test::backtracking_universe(), {"app"}, {.failing_install = true});
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_NE(o.error.find("disk full"), std::string::npos) << o.error;
}

TEST_F(session_test, a_dependency_that_dies_fails_the_job_naming_it_and_why) {
    start(test::backtracking_universe(), {"app"}, {.hold_downloads = true});
    EXPECT_EQ(next_ask().first, "download");
    // It dies holding the session's requests: only its monitor can tell.
    caf::anon_send_exit(download_, caf::exit_reason::kill);
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.error, "the download actor stopped unexpectedly: was killed");
}

TEST_F(session_test, an_installer_that_dies_while_committing_fails_the_job) {
    start(test::backtracking_universe(), {"app"}, {.hold_install = true});
    std::pair<std::string, std::string> ask;
    do
        ask = next_ask();
    while (ask.first == "download" || ask.first == "open" || ask.first == "stage");
    ASSERT_EQ(ask.first, "install");
    caf::anon_send_exit(installer_, caf::exit_reason::kill);
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.error, "the installer stopped unexpectedly: was killed");
}

TEST_F(session_test, the_fetch_side_dying_during_the_commit_does_not_abandon_it) {
    auto session = start(test::backtracking_universe(), {"app"}, {.hold_install = true});
    std::pair<std::string, std::string> ask;
    do
        ask = next_ask();
    while (ask.first == "download" || ask.first == "open" || ask.first == "stage");
    ASSERT_EQ(ask.first, "install");
    caf::anon_send_exit(download_, caf::exit_reason::kill); // nothing is asked of it any more
    caf::anon_send(installer_, release_atom::value);
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 0) << "the commit went through: " << o.error;
    EXPECT_EQ(o.installed.size(), 4u);
}

TEST_F(session_test, each_landed_wheel_goes_to_the_unpack_pool_once) {
    start(test::backtracking_universe(), {"app"}, {.unpack = true});
    auto o = outcome();
    ASSERT_EQ(o.exit_code, 0) << o.error;
    auto asked = asked_so_far();
    std::multiset<std::string> unpacked;
    for (auto [it, end] = asked.equal_range("unpack"); it != end; ++it)
        unpacked.insert(it->second);
    for (const auto& f : final_files)
        EXPECT_EQ(unpacked.count(f), 1u) << f << " was not sent to the pool as it landed";
    EXPECT_EQ(unpacked.size(), downloads_in(asked).size())
        << "every landed wheel, tentative ones included, and each once";
}

TEST_F(session_test, each_landed_wheel_is_staged_by_one_job_that_then_gets_the_plan) {
    start(test::backtracking_universe(), {"app"}, {});
    auto o = outcome();
    ASSERT_EQ(o.exit_code, 0) << o.error;
    std::vector<std::pair<std::string, std::string>> in_order;
    for (bool more = true; more;)
        (*observer_)
            ->receive(
                [&](asked_atom, std::string& what, std::string& detail) {
                    in_order.emplace_back(std::move(what), std::move(detail));
                },
                caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
    std::multimap<std::string, std::string> asked(in_order.begin(), in_order.end());
    EXPECT_EQ(asked.count("open"), 1u) << "one job, opened by the first wheel that landed";
    ASSERT_FALSE(in_order.empty());
    EXPECT_EQ(in_order.back().first, "install") << "every wheel was staged before the plan";
    std::multiset<std::string> staged;
    for (auto [it, end] = asked.equal_range("stage"); it != end; ++it)
        staged.insert(it->second);
    // Tentative pins too (the job takes back what the plan leaves out), each once, as they
    // land: before the plan.
    EXPECT_EQ(staged.size(), downloads_in(asked).size());
    for (const auto& f : final_files)
        EXPECT_EQ(staged.count(f), 1u) << f;
    EXPECT_TRUE(staged.contains("app-2.0-py3-none-any.whl"));
    ASSERT_EQ(asked.count("install"), 1u);
    EXPECT_EQ(o.installed.size(), 4u);
}

TEST_F(session_test, an_unsatisfiable_resolution_explains_and_downloads_nothing_more) {
    auto u = std::make_shared<resolver::memory_provider>();
    u->add("app", rel("1.0", {"lib>=2"}));
    u->add("lib", rel("1.0"));
    start(u, {"app"}, {});
    auto o = outcome();
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_NE(o.error.find("lib"), std::string::npos) << o.error;
    EXPECT_EQ(asked_so_far().count("install"), 0u);
}

TEST_F(session_test, a_dry_run_reports_the_files_without_downloading_them) {
    start(test::backtracking_universe(), {"app"}, {}, job_kind::resolve);
    auto o = outcome();
    ASSERT_EQ(o.exit_code, 0) << o.error;
    EXPECT_EQ(asked_so_far().count("download"), 0u);
    ASSERT_EQ(o.resolution.size(), 4u);
    for (const auto& d : o.resolution) {
        EXPECT_TRUE(final_files.contains(d.filename)) << d.filename;
        EXPECT_EQ(d.url, "https://universe.test/files/" + d.filename);
        EXPECT_TRUE(d.local_path.empty());
    }
}

TEST_F(session_test, a_yanked_pin_is_a_warning) {
    auto u = std::make_shared<resolver::memory_provider>();
    u->add("app", rel("1.0", {"lib==1.0"}));
    u->add("lib", rel("1.0", {}, nullptr, true));
    start(u, {"app"}, {});
    auto o = outcome();
    ASSERT_EQ(o.exit_code, 0) << o.error;
    ASSERT_EQ(o.warnings.size(), 1u);
    EXPECT_NE(o.warnings[0].find("lib==1.0 is yanked"), std::string::npos) << o.warnings[0];
    ASSERT_EQ(o.resolution.size(), 2u);
    EXPECT_TRUE(o.resolution[1].yanked);
}

} // namespace
