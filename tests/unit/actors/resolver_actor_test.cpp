// The resolver actor against an in-memory universe served by an actor that answers after
// random delays: the outcome must be the pure solver's, whatever the arrival order.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actpip/actors/resolution_wire.hpp"
#include "actpip/actors/resolver_actor.hpp"
#include "support/actors/ask.hpp"
#include "support/actors/system.hpp"
#include "support/actors/universe.hpp"

#include <atomic>
#include <chrono>
#include <set>

namespace {

using namespace actpip;
using namespace actpip::actors;
using test::rel;
using test::req;

resolver::resolve_options options() {
    return test::linux_py311();
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
    // Resolves through the actor with answers delayed and shuffled by `seed`.
    resolution_outcome resolve(std::shared_ptr<const resolver::memory_provider> universe,
                               std::vector<core::requirement> roots, unsigned seed,
                               int* questions = nullptr) {
        auto asked = std::make_shared<std::atomic<int>>(0);
        auto provider = test::spawn_universe_provider(*sys_, universe, seed, asked);
        auto resolver = spawn_resolver(*sys_, std::move(roots), options(), provider, "test");
        auto out = test::ask<resolution_outcome>(*sys_, resolver, resolve_atom::value);
        caf::anon_send_exit(resolver, caf::exit_reason::user_shutdown);
        caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
        if (questions) {
            *questions = asked->load();
        }
        return out;
    }

    std::unique_ptr<test::actor_system_for_test> sys_ = test::make_actor_system();
};

TEST_F(resolver_actor_test, same_outcome_as_the_pure_solver_in_every_arrival_order) {
    auto universe = test::backtracking_universe();
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
    auto universe = test::backtracking_universe();
    auto provider = test::spawn_universe_provider(*sys_, universe, 1u);
    caf::anon_send_exit(provider, caf::exit_reason::kill);
    auto resolver = spawn_resolver(*sys_, {req("app")}, options(), provider);
    auto o = test::ask<resolution_outcome>(*sys_, resolver, resolve_atom::value);
    EXPECT_FALSE(o.ok);
    EXPECT_NE(o.explanation.find("app"), std::string::npos) << o.explanation;
    EXPECT_NE(o.explanation.find("no longer running"), std::string::npos)
        << "the reason names what happened: " << o.explanation;
    caf::anon_send_exit(resolver, caf::exit_reason::user_shutdown);
}

TEST_F(resolver_actor_test, a_page_that_cannot_be_fetched_ends_the_resolution_with_its_error) {
    // app 2.0 needs lib, whose page cannot be fetched: were that read as "lib does not exist",
    // the resolver would settle on app 1.0 and the job would succeed with another result.
    auto u = std::make_shared<resolver::memory_provider>();
    u->add("app", rel("2.0", {"lib"}));
    u->add("app", rel("1.0"));
    u->add("lib", rel("1.0"));
    for (unsigned seed : {0u, 3u}) {
        auto provider = test::spawn_universe_provider(*sys_, u, seed, {}, {"lib"});
        auto resolver = spawn_resolver(*sys_, {req("app")}, options(), provider);
        auto o = test::ask<resolution_outcome>(*sys_, resolver, resolve_atom::value);
        EXPECT_FALSE(o.ok) << "resolved to " << describe(o);
        EXPECT_EQ(o.explanation, "cannot connect to universe.test (lib)");
        caf::anon_send_exit(resolver, caf::exit_reason::user_shutdown);
        caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
    }
}

TEST_F(resolver_actor_test, announces_each_tentative_pin_once_as_it_asks) {
    auto universe = test::backtracking_universe();
    auto provider = test::spawn_universe_provider(*sys_, universe, 5u);
    caf::scoped_actor observer{*sys_};
    auto resolver =
        spawn_resolver(*sys_, {req("app")}, options(), provider, "s", caf::actor{observer});
    auto outcome = test::ask<resolution_outcome>(*sys_, resolver, resolve_atom::value);
    ASSERT_TRUE(outcome.ok);
    std::multiset<std::string> pins;
    bool more = true;
    while (more) // every pin was sent before the outcome: the mailbox holds them all
        observer->receive([&](pinned& p) { pins.insert(pin_key(p.name, p.version)); },
                          caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
    // app 2.0 and lib 2.1 were tried and dropped by the backtrack; each pin is told once.
    for (const char* tried :
         {"app==2.0", "lib==2.1", "app==1.0", "lib==1.5", "tool==1.2", "util==3.0"})
        EXPECT_EQ(pins.count(tried), 1u) << tried;
    for (const auto& pin : outcome.pins)
        EXPECT_EQ(pins.count(pin_key(pin.name, pin.version)), 1u)
            << "a final pin that was never announced: " << pin.name;
    caf::anon_send_exit(resolver, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
}

TEST_F(resolver_actor_test, the_outcome_carries_what_the_answers_said_of_each_pin) {
    resolver::memory_provider u;
    u.add("app", rel("1.0", {"lib==1.0"}));
    u.add("lib", rel("1.0", {}, ">=3.8", true)); // yanked, pinned by ==
    auto universe = std::make_shared<resolver::memory_provider>(std::move(u));
    auto provider = test::spawn_universe_provider(*sys_, universe);
    auto resolver = spawn_resolver(*sys_, {req("app")}, options(), provider);
    auto o = test::ask<resolution_outcome>(*sys_, resolver, resolve_atom::value);
    ASSERT_TRUE(o.ok) << o.explanation;
    ASSERT_EQ(o.pins.size(), 2u);
    EXPECT_EQ(o.pins[0].name, "app");
    EXPECT_EQ(o.pins[0].requires_dist, std::vector<std::string>{"lib==1.0"});
    EXPECT_FALSE(o.pins[0].yanked);
    EXPECT_EQ(o.pins[1].name, "lib");
    EXPECT_TRUE(o.pins[1].yanked);
    caf::anon_send_exit(resolver, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
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
    auto universe = *test::backtracking_universe();
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
