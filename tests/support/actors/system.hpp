#pragma once
// An actor system for a test: two scheduler threads (as on the machines CI runs on) and every
// actpip message type registered, as the programs that embed actpip have it.
//
//   std::unique_ptr<test::actor_system_for_test> sys_ = test::make_actor_system();
//   spawn_host_pool(*sys_, ...);  // an actor system like any other

#include "actpip/embed.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>

#include <memory>

namespace actpip::test {

namespace detail {
// The configuration outlives the system that refers to it: a base, constructed first.
struct test_config {
    explicit test_config(bool networked) {
        test_system_config.set("scheduler.max-threads", 2);
        embed::add_message_types(test_system_config);
        if (networked)
            test_system_config.load<caf::io::middleman>();
    }
    caf::actor_system_config test_system_config;
};
} // namespace detail

class actor_system_for_test : private detail::test_config, public caf::actor_system {
public:
    explicit actor_system_for_test(bool networked = false)
        : detail::test_config(networked), caf::actor_system(test_system_config) {}
};

// `networked`: with CAF's middleman, to publish or reach actors over TCP (a second system in
// the same process is another node).
inline std::unique_ptr<actor_system_for_test> make_actor_system(bool networked = false) {
    return std::make_unique<actor_system_for_test>(networked);
}

} // namespace actpip::test
