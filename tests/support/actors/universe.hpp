#pragma once
// An in-memory package universe (resolver::memory_provider) served as a data_provider_actor:
// the resolver's and the session's provider in actor tests. With a seed, every answer is
// held back and a random pending one is released 0-2 ms after each question, so answers
// arrive in an order that depends on the seed and on timing; with seed 0 it answers at once.
// A pin's file is made up: <name>-<version>-py3-none-any.whl under https://universe.test/.

#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/actors/resolution_wire.hpp"
#include "actpip/core/name.hpp"
#include "actpip/resolver/memory_provider.hpp"
#include "support/actors/target.hpp"

#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace actpip::test {

inline core::requirement req(const char* text) {
    auto r = core::requirement::parse(text);
    EXPECT_TRUE(r.has_value()) << text;
    return *r;
}

inline resolver::memory_provider::release rel(const char* version,
                                              std::vector<const char*> deps = {},
                                              const char* requires_python = nullptr,
                                              bool yanked = false) {
    resolver::memory_provider::release r;
    r.listing.version = *core::version::parse(version);
    r.listing.yanked = yanked;
    if (requires_python)
        r.listing.requires_python = *core::specifier_set::parse(requires_python);
    resolver::dist_metadata m;
    for (auto* d : deps)
        m.requires_dist.push_back(req(d));
    r.metadata = std::move(m);
    return r;
}

// A universe with backtracking: app 2.0 needs lib>=2, which needs tool<1 that has no
// versions, so a resolution of app tries app 2.0 and lib 2.1 and settles on app 1.0, lib 1.5,
// tool 1.2 and util 3.0.
inline std::shared_ptr<resolver::memory_provider> backtracking_universe() {
    auto u = std::make_shared<resolver::memory_provider>();
    u->add("app", rel("2.0", {"lib>=2", "util"}));
    u->add("app", rel("1.0", {"lib<2", "util"}));
    u->add("lib", rel("2.1", {"tool<1"}));
    u->add("lib", rel("2.0", {"tool<1"}));
    u->add("lib", rel("1.5", {"tool>=1"}));
    u->add("tool", rel("1.2"));
    u->add("tool", rel("1.0"));
    u->add("util", rel("3.0", {"six; python_version < '3'", "extra-dep; extra == 'x'"}));
    u->add("util", rel("2.0"));
    return u;
}

// The made-up file of name==version.
inline actors::wire_file universe_file(const std::string& name, const std::string& version) {
    actors::wire_file f;
    f.name = core::normalize_name(name);
    f.version = version;
    f.filename = f.name + "-" + version + "-py3-none-any.whl";
    f.url = "https://universe.test/files/" + f.filename;
    return f;
}

namespace universe_detail {

using release_atom = caf::atom_constant<caf::atom("release")>;
using actor = actors::data_provider_actor::extend<caf::reacts_to<release_atom>>;

struct state {
    std::shared_ptr<const resolver::memory_provider> universe;
    std::set<std::string> unreadable; // projects whose page "cannot be fetched": an error
    unsigned seed = 0;
    std::mt19937 rng;
    std::vector<std::function<void()>> pending; // deliveries not yet made
    std::shared_ptr<std::atomic<int>> asked;
    static inline const char* name = "universe_provider";
};

using self_ptr = actor::stateful_pointer<state>;

inline std::optional<std::string> opt(const std::string& url) {
    return url.empty() ? std::nullopt : std::optional<std::string>(url);
}

inline void answer(self_ptr self, std::function<void()> deliver) {
    if (self->state.asked)
        ++*self->state.asked;
    if (self->state.seed == 0)
        return deliver();
    self->state.pending.push_back(std::move(deliver));
    auto delay =
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 2000)(self->state.rng));
    self->delayed_send(self, delay, release_atom::value);
}

inline actor::behavior_type provider(self_ptr self,
                                     std::shared_ptr<const resolver::memory_provider> universe,
                                     unsigned seed, std::shared_ptr<std::atomic<int>> asked,
                                     std::set<std::string> unreadable) {
    self->state.universe = std::move(universe);
    self->state.unreadable = std::move(unreadable);
    self->state.seed = seed;
    self->state.rng.seed(seed);
    self->state.asked = std::move(asked);
    return {
        [self](actors::versions_query& q)
            -> caf::typed_response_promise<actors::reply<actors::versions_answer>> {
            auto rp = self->make_response_promise<actors::reply<actors::versions_answer>>();
            actors::reply<actors::versions_answer> a =
                self->state.unreadable.contains(q.name)
                    ? actors::reply<actors::versions_answer>(core::error{
                          core::errc::network, "cannot connect to universe.test (" + q.name + ")"})
                    : actors::reply<actors::versions_answer>(
                          actors::to_wire(self->state.universe->answer(
                              resolver::versions_request{q.name, opt(q.url)})));
            answer(self, [rp, a]() mutable { rp.deliver(a); });
            return rp;
        },
        [self](actors::metadata_query& q)
            -> caf::typed_response_promise<actors::reply<actors::metadata_answer>> {
            auto rp = self->make_response_promise<actors::reply<actors::metadata_answer>>();
            actors::reply<actors::metadata_answer> a = actors::to_wire(self->state.universe->answer(
                resolver::metadata_request{q.name, *core::version::parse(q.version), opt(q.url)}));
            answer(self, [rp, a]() mutable { rp.deliver(a); });
            return rp;
        },
        [](actors::file_query& q) {
            return actors::reply<actors::wire_file>(universe_file(q.name, q.version));
        },
        [self](release_atom) {
            auto& pending = self->state.pending;
            if (pending.empty())
                return;
            auto i =
                std::uniform_int_distribution<std::size_t>(0, pending.size() - 1)(self->state.rng);
            auto deliver = std::move(pending[i]);
            pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
            deliver();
        },
    };
}

} // namespace universe_detail

// `asked` (optional) counts the versions and metadata questions; the projects in `unreadable`
// answer with an error (as a page that cannot be fetched does).
inline actors::data_provider_actor
spawn_universe_provider(caf::actor_system& sys,
                        std::shared_ptr<const resolver::memory_provider> universe,
                        unsigned seed = 0, std::shared_ptr<std::atomic<int>> asked = {},
                        std::set<std::string> unreadable = {}) {
    return caf::actor_cast<actors::data_provider_actor>(
        sys.spawn(universe_detail::provider, std::move(universe), seed, std::move(asked),
                  std::move(unreadable)));
}

} // namespace actpip::test
