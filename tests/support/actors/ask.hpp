#pragma once
// ask<T>(sys, actor, message...): the actor's reply, read by a short-lived scoped actor; a
// caf::error or no answer within `ask_timeout` is a test failure naming the error (the
// timeout is a guard against a hang, not a wait: the reply comes as soon as it is ready).

#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <chrono>
#include <utility>

namespace actpip::test {

inline constexpr std::chrono::seconds ask_timeout{60};

template <class T, class Handle, class... Ts>
T ask(caf::actor_system& sys, const Handle& actor, Ts&&... message) {
    caf::scoped_actor self{sys};
    T out{};
    self->request(actor, ask_timeout, std::forward<Ts>(message)...)
        .receive([&](T& x) { out = std::move(x); },
                 [&](caf::error& e) { ADD_FAILURE() << "no reply: " << sys.render(e); });
    return out;
}

} // namespace actpip::test
