#pragma once
// An actor system for a test: two scheduler threads (as on the machines CI runs on) and every
// actpip message type registered, as the programs that embed actpip have it.
//
//   std::unique_ptr<test::actor_system_for_test> sys_ = test::make_actor_system();
//   spawn_host_pool(*sys_, ...);  // an actor system like any other

#include "actpip/embed.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <memory>

namespace actpip::test {

namespace detail {
// The configuration outlives the system that refers to it: a base, constructed first.
struct test_config {
    test_config() {
        test_system_config.set("scheduler.max-threads", 2);
        embed::add_message_types(test_system_config);
    }
    caf::actor_system_config test_system_config;
};
} // namespace detail

class actor_system_for_test : private detail::test_config, public caf::actor_system {
public:
    actor_system_for_test() : detail::test_config(), caf::actor_system(test_system_config) {}
};

inline std::unique_ptr<actor_system_for_test> make_actor_system() {
    return std::make_unique<actor_system_for_test>();
}

} // namespace actpip::test
