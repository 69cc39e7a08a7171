#include "actpip/actors/resolver_actor.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/resolution_wire.hpp"
#include "actpip/resolver/solver.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <map>
#include <optional>
#include <set>

namespace actpip::actors {

namespace {

struct resolver_state {
    std::optional<resolver::solver> solver;
    data_provider_actor provider;
    std::string session;
    caf::actor observer;                       // told of each tentative pin
    std::set<std::string> pinned;              // pin keys announced
    answer_log answers;                        // for the outcome's pins and warnings
    std::set<std::string> asked;               // every request goes out once
    std::set<std::string> blocked;             // what the solver's last step could not do without
    std::map<std::string, core::error> failed; // questions the provider could not answer
    std::optional<resolution_outcome> outcome;
    std::vector<caf::typed_response_promise<resolution_outcome>> waiting;
    std::uint64_t queries = 0;
    static inline const char* name = "resolver";
};

using self_ptr = resolver_actor::stateful_pointer<resolver_state>;

void drive(self_ptr self);
void finish(self_ptr self, resolution_outcome outcome);

void finish_with_error(self_ptr self, const core::error& e) {
    resolution_outcome o;
    o.explanation = e.describe();
    o.hints = e.hints;
    finish(self, std::move(o));
}

void answered(self_ptr self, const std::string& key) {
    auto& st = self->state;
    if (st.outcome) {
        return;
    }
    // Prefetched answers only feed the solver; it resumes when what it waits on is there.
    if (st.blocked.erase(key) > 0 && st.blocked.empty()) {
        drive(self);
    }
}

// A question the provider could not answer: the resolution ends with that error once the
// solver needs the answer (at once if it does now; a failed prefetch may never matter).
void failed(self_ptr self, const std::string& key, core::error e) {
    auto& st = self->state;
    if (st.outcome)
        return;
    if (st.blocked.contains(key))
        return finish_with_error(self, e);
    st.failed.emplace(key, std::move(e));
}

template <class Query>
struct answer_of;
template <>
struct answer_of<versions_query> {
    using type = versions_answer;
};
template <>
struct answer_of<metadata_query> {
    using type = metadata_answer;
};

template <class Query>
void send_query(self_ptr self, const std::string& key, Query q) {
    q.session = self->state.session;
    self->request(self->state.provider, caf::infinite, q)
        .then(
            [self, key](reply<typename answer_of<Query>::type>& a) {
                if (!a)
                    return failed(self, key, std::move(a).error());
                if (self->state.solver) {
                    self->state.answers.add(*a);
                    self->state.solver->provide(from_wire(*a));
                }
                answered(self, key);
            },
            [self, key, q](caf::error& e) {
                failed(self, key, from_caf(e, "the fetch provider, asked for " + q.name));
            });
}

void ask(self_ptr self, const resolver::request& req, bool prefetch) {
    auto key = resolver::to_string(req);
    if (!self->state.asked.insert(key).second) {
        return;
    }
    ++self->state.queries;
    std::visit([&](const auto& r) { send_query(self, key, to_query(r, prefetch)); }, req);
}

// The versions the solver chose to try in its last step are tentative pins: each is
// announced once, the moment it is chosen (the version already installed needs none).
void announce_pins(self_ptr self) {
    auto& st = self->state;
    for (auto& p : st.solver->take_tentative_pins()) {
        if (!st.observer || p.installed)
            continue;
        auto version = p.version.to_string();
        if (st.pinned.insert(pin_key(p.name, version)).second)
            caf::anon_send(st.observer, pinned{p.name, version, p.url.value_or("")});
    }
}

void finish(self_ptr self, resolution_outcome outcome) {
    auto& st = self->state;
    outcome.queries = st.queries;
    if (outcome.ok)
        st.answers.annotate(outcome);
    st.outcome = std::move(outcome);
    st.solver.reset();
    for (auto& rp : st.waiting) {
        rp.deliver(*st.outcome);
    }
    st.waiting.clear();
}

void drive(self_ptr self) {
    auto& st = self->state;
    auto result = st.solver->step();
    announce_pins(self);
    if (auto* n = std::get_if<resolver::needs>(&result)) {
        st.blocked.clear();
        for (const auto& req : n->required) {
            auto key = resolver::to_string(req);
            if (auto it = st.failed.find(key); it != st.failed.end())
                return finish_with_error(self, it->second);
            st.blocked.insert(key);
        }
        for (const auto& req : n->required) {
            ask(self, req, false);
        }
        for (const auto& req : n->prefetch) {
            ask(self, req, true);
        }
        // Answers that arrived before the solver asked for them are already in it.
        if (n->required.empty()) {
            finish(self, to_outcome(resolver::failure{
                             "internal error: the resolver is blocked on nothing", {}, {}}));
        }
        return;
    }
    if (auto* ok = std::get_if<resolver::solution>(&result)) {
        finish(self, to_outcome(*ok));
        return;
    }
    finish(self, to_outcome(std::get<resolver::failure>(result)));
}

resolver_actor::behavior_type resolver_fn(self_ptr self,
                                          std::vector<core::requirement> requirements,
                                          resolver::resolve_options options,
                                          data_provider_actor provider, std::string session,
                                          caf::actor observer) {
    guard_exceptions(self, "the resolver");
    auto& st = self->state;
    st.solver.emplace(std::move(requirements), std::move(options));
    st.provider = std::move(provider);
    st.session = std::move(session);
    st.observer = std::move(observer);
    drive(self);
    return {
        [self](resolve_atom) -> caf::typed_response_promise<resolution_outcome> {
            auto rp = self->make_response_promise<resolution_outcome>();
            if (self->state.outcome) {
                rp.deliver(*self->state.outcome);
            } else {
                self->state.waiting.push_back(rp);
            }
            return rp;
        },
    };
}

} // namespace

resolver_actor spawn_resolver(caf::actor_system& sys, std::vector<core::requirement> requirements,
                              resolver::resolve_options options, data_provider_actor provider,
                              std::string session, caf::actor observer) {
    return sys.spawn(resolver_fn, std::move(requirements), std::move(options), std::move(provider),
                     std::move(session), std::move(observer));
}

} // namespace actpip::actors
