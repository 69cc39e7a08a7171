// The resolver actor against an in-memory universe served by an actor that answers after
// random delays: the outcome must be the pure solver's, whatever the arrival order.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actpip/actors/resolution_wire.hpp"
#include "actpip/actors/resolver_actor.hpp"
#include "actpip/resolver/memory_provider.hpp"

#include <atomic>
#include <chrono>
#include <random>

namespace {

using namespace actpip;
using namespace actpip::actors;

core::requirement req(const char* text) {
    auto r = core::requirement::parse(text);
    EXPECT_TRUE(r.has_value()) << text;
    return *r;
}

resolver::memory_provider::release rel(const char* version, std::vector<const char*> deps = {},
                                       const char* requires_python = nullptr) {
    resolver::memory_provider::release r;
    r.listing.version = *core::version::parse(version);
    if (requires_python) {
        r.listing.requires_python = *core::specifier_set::parse(requires_python);
    }
    resolver::dist_metadata m;
    for (auto* d : deps) {
        m.requires_dist.push_back(req(d));
    }
    r.metadata = std::move(m);
    return r;
}

// A universe with backtracking: app 2.0 needs lib>=2, which needs tool<1 that has no
// versions, so the resolver must back off to app 1.0.
resolver::memory_provider backtracking_universe() {
    resolver::memory_provider u;
    u.add("app", rel("2.0", {"lib>=2", "util"}));
    u.add("app", rel("1.0", {"lib<2", "util"}));
    u.add("lib", rel("2.1", {"tool<1"}));
    u.add("lib", rel("2.0", {"tool<1"}));
    u.add("lib", rel("1.5", {"tool>=1"}));
    u.add("tool", rel("1.2"));
    u.add("tool", rel("1.0"));
    u.add("util", rel("3.0", {"six; python_version < '3'", "extra-dep; extra == 'x'"}));
    u.add("util", rel("2.0"));
    return u;
}

resolver::resolve_options options() {
    resolver::resolve_options o;
    o.environment.values = {{"python_version", "3.11"},         {"python_full_version", "3.11.7"},
                            {"sys_platform", "linux"},          {"os_name", "posix"},
                            {"platform_machine", "x86_64"},     {"platform_system", "Linux"},
                            {"implementation_name", "cpython"}, {"extra", ""}};
    o.python_version = *core::version::parse("3.11.7");
    return o;
}

using release_atom = caf::atom_constant<caf::atom("release")>;
using delayed_provider_actor = data_provider_actor::extend<caf::reacts_to<release_atom>>;

struct delayed_universe_state {
    std::shared_ptr<const resolver::memory_provider> universe;
    std::mt19937 rng;
    std::vector<std::function<void()>> pending; // deliveries not yet made
    std::shared_ptr<std::atomic<int>> asked;
    static inline const char* name = "delayed_universe";
};

using delayed_self = delayed_provider_actor::stateful_pointer<delayed_universe_state>;

std::optional<std::string> opt(const std::string& url) {
    return url.empty() ? std::nullopt : std::optional<std::string>(url);
}

// Holds every answer back and delivers a random pending one 0-2 ms after each question, so
// answers arrive in an order that depends on the seed and on timing.
void hold(delayed_self self, std::function<void()> deliver) {
    ++*self->state.asked;
    self->state.pending.push_back(std::move(deliver));
    auto delay =
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 2000)(self->state.rng));
    self->delayed_send(self, delay, release_atom::value);
}

delayed_provider_actor::behavior_type
delayed_universe(delayed_self self, std::shared_ptr<const resolver::memory_provider> universe,
                 unsigned seed, std::shared_ptr<std::atomic<int>> asked) {
    self->state.universe = std::move(universe);
    self->state.rng.seed(seed);
    self->state.asked = std::move(asked);
    return {
        [self](versions_query& q) -> caf::typed_response_promise<versions_answer> {
            auto rp = self->make_response_promise<versions_answer>();
            auto a = to_wire(
                self->state.universe->answer(resolver::versions_request{q.name, opt(q.url)}));
            hold(self, [rp, a]() mutable { rp.deliver(a); });
            return rp;
        },
        [self](metadata_query& q) -> caf::typed_response_promise<metadata_answer> {
            auto rp = self->make_response_promise<metadata_answer>();
            auto a = to_wire(self->state.universe->answer(
                resolver::metadata_request{q.name, *core::version::parse(q.version), opt(q.url)}));
            hold(self, [rp, a]() mutable { rp.deliver(a); });
            return rp;
        },
        [self](release_atom) {
            auto& pending = self->state.pending;
            if (pending.empty()) {
                return;
            }
            auto i =
                std::uniform_int_distribution<std::size_t>(0, pending.size() - 1)(self->state.rng);
            auto deliver = std::move(pending[i]);
            pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
            deliver();
        },
    };
}

std::string describe(const resolution_outcome& o) {
    if (!o.ok) {
        return "no solution: " + o.explanation;
    }
    std::string out;
    for (const auto& p : o.pins) {
        out += p.name + "==" + p.version + " ";
    }
    return out;
}

class resolver_actor_test : public testing::Test {
protected:
    void SetUp() override {
        cfg_.set("scheduler.max-threads", 2);
        sys_ = std::make_unique<caf::actor_system>(cfg_);
    }
    void TearDown() override { sys_.reset(); }

    // Resolves through the actor with answers delayed and shuffled by `seed`.
    resolution_outcome resolve(std::shared_ptr<const resolver::memory_provider> universe,
                               std::vector<core::requirement> roots, unsigned seed,
                               int* questions = nullptr) {
        auto asked = std::make_shared<std::atomic<int>>(0);
        auto provider = sys_->spawn(delayed_universe, universe, seed, asked);
        auto resolver = spawn_resolver(*sys_, std::move(roots), options(),
                                       caf::actor_cast<data_provider_actor>(provider), "test");
        caf::scoped_actor self{*sys_};
        resolution_outcome out;
        self->request(resolver, std::chrono::seconds(30), resolve_atom::value)
            .receive([&](resolution_outcome& o) { out = std::move(o); },
                     [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
        self->send_exit(resolver, caf::exit_reason::user_shutdown);
        self->send_exit(provider, caf::exit_reason::user_shutdown);
        if (questions) {
            *questions = asked->load();
        }
        return out;
    }

    caf::actor_system_config cfg_;
    std::unique_ptr<caf::actor_system> sys_;
};

TEST_F(resolver_actor_test, same_outcome_as_the_pure_solver_in_every_arrival_order) {
    auto universe = std::make_shared<resolver::memory_provider>(backtracking_universe());
    std::vector<core::requirement> roots{req("app")};
    resolver::solver pure{roots, options()};
    auto pure_result = universe->resolve(pure);
    ASSERT_TRUE(std::holds_alternative<resolver::solution>(pure_result));
    auto pure_outcome = to_outcome(std::get<resolver::solution>(pure_result));
    auto expected = describe(pure_outcome);
    ASSERT_EQ(expected, "app==1.0 lib==1.5 tool==1.2 util==3.0 ");
    for (unsigned seed = 1; seed <= 12; ++seed) {
        int questions = 0;
        auto got = resolve(universe, roots, seed, &questions);
        EXPECT_EQ(describe(got), expected) << "seed " << seed;
        EXPECT_TRUE(got.ok);
        EXPECT_EQ(got.decisions, pure_outcome.decisions) << "the decision order is fixed";
        EXPECT_EQ(got.conflicts, pure_outcome.conflicts);
        EXPECT_EQ(static_cast<std::uint64_t>(questions), got.queries)
            << "every question goes out once";
    }
}

TEST_F(resolver_actor_test, unsatisfiable_explains_like_the_pure_solver) {
    resolver::memory_provider u;
    u.add("app", rel("1.0", {"lib>=2"}));
    u.add("tool", rel("1.0", {"lib<2"}));
    u.add("lib", rel("2.0"));
    u.add("lib", rel("1.0"));
    auto universe = std::make_shared<resolver::memory_provider>(std::move(u));
    std::vector<core::requirement> roots{req("app"), req("tool")};
    resolver::solver pure{roots, options()};
    auto expected = universe->resolve(pure);
    ASSERT_TRUE(std::holds_alternative<resolver::failure>(expected));
    auto got = resolve(universe, roots, 7);
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.explanation, std::get<resolver::failure>(expected).explanation);
    EXPECT_NE(got.explanation.find("app"), std::string::npos);
    EXPECT_NE(got.explanation.find("tool"), std::string::npos);
}

TEST_F(resolver_actor_test, a_missing_project_is_data_in_the_explanation) {
    auto universe = std::make_shared<resolver::memory_provider>();
    auto got = resolve(universe, {req("no-such-project>=1")}, 3);
    EXPECT_FALSE(got.ok);
    EXPECT_NE(got.explanation.find("no-such-project"), std::string::npos) << got.explanation;
}

TEST_F(resolver_actor_test, a_dead_provider_fails_the_resolution_with_a_reason) {
    auto universe = std::make_shared<resolver::memory_provider>(backtracking_universe());
    auto asked = std::make_shared<std::atomic<int>>(0);
    auto provider = sys_->spawn(delayed_universe, universe, 1u, asked);
    caf::anon_send_exit(provider, caf::exit_reason::kill);
    auto resolver = spawn_resolver(*sys_, {req("app")}, options(),
                                   caf::actor_cast<data_provider_actor>(provider));
    caf::scoped_actor self{*sys_};
    self->request(resolver, std::chrono::seconds(30), resolve_atom::value)
        .receive(
            [&](resolution_outcome& o) {
                EXPECT_FALSE(o.ok);
                EXPECT_NE(o.explanation.find("app"), std::string::npos) << o.explanation;
            },
            [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
    self->send_exit(resolver, caf::exit_reason::user_shutdown);
}

TEST(resolution_wire, bad_text_from_the_provider_becomes_a_named_unavailability) {
    metadata_answer a;
    a.name = "lib";
    a.version = "1.0";
    a.requires_dist = {"good>=1", "bad >=> 2"};
    auto r = from_wire(a);
    auto* why = std::get_if<resolver::unavailable>(&r.result);
    ASSERT_NE(why, nullptr);
    EXPECT_EQ(why->kind, resolver::unavailable_kind::invalid_metadata);
    EXPECT_NE(why->message.find("lib 1.0"), std::string::npos) << why->message;
    EXPECT_NE(why->message.find("bad >=> 2"), std::string::npos) << why->message;
}

TEST(resolution_wire, answers_round_trip) {
    auto universe = backtracking_universe();
    auto versions = universe.answer(resolver::versions_request{"lib", std::nullopt});
    auto back = from_wire(to_wire(versions));
    const auto& a = std::get<std::vector<resolver::candidate>>(versions.result);
    const auto& b = std::get<std::vector<resolver::candidate>>(back.result);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].version, b[i].version);
    }
    auto meta = universe.answer(
        resolver::metadata_request{"util", *core::version::parse("3.0"), std::nullopt});
    auto meta_back = from_wire(to_wire(meta));
    const auto& m = std::get<resolver::dist_metadata>(meta_back.result);
    ASSERT_EQ(m.requires_dist.size(), 2u);
    EXPECT_EQ(m.requires_dist[1].to_string(), "extra-dep; extra == \"x\"");
}

} // namespace
