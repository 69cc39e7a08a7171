// Installs requirements from inside the host's own CAF actor system (actpip/embed.hpp): the
// job is spawned on `sys` and reports to a listener actor of ours with messages.
//
//   embed_caf [--cache-dir DIR] INDEX_URL PYTHON REQUIREMENT...
#include <actpip/embed.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <iostream>
#include <string>

namespace {

struct listener_state {
    unsigned events = 0;
};

// Counts and prints the progress events, prints the outcome and hands its exit code to `host`.
caf::behavior listener(caf::stateful_actor<listener_state>* self, caf::actor host) {
    return {
        [self](actpip::progress_event& e) {
            ++self->state.events;
            std::cout << "progress " << self->state.events << ": kind " << static_cast<int>(e.what)
                      << ' ' << e.subject << '\n';
        },
        [self, host](actpip::job_outcome& o) {
            std::cout << "events: " << self->state.events << '\n';
            if (o.exit_code != 0)
                std::cout << "error: " << o.error << '\n';
            std::cout << "installed:";
            for (const auto& name : o.installed)
                std::cout << ' ' << name;
            std::cout << '\n';
            self->send(host, o.exit_code);
            self->quit();
        },
    };
}

} // namespace

int main(int argc, char** argv) {
    actpip::job_options options;
    int i = 1;
    if (argc > 2 && std::string(argv[1]) == "--cache-dir") {
        options.cache_dir = argv[2];
        i = 3;
    }
    if (argc - i < 3) {
        std::cerr << "usage: embed_caf [--cache-dir DIR] INDEX_URL PYTHON REQUIREMENT...\n";
        return 2;
    }
    options.index_url = argv[i++];
    options.python = argv[i++];
    for (; i < argc; ++i)
        options.requirements.emplace_back(argv[i]);

    caf::actor_system_config cfg;
    caf::actor_system sys{cfg};
    caf::scoped_actor self{sys};
    auto events = sys.spawn(listener, caf::actor{self});
    auto job = actpip::embed::spawn_job(sys, options, events);
    // (caf::anon_send(job, actpip::embed::cancel_atom::value) would stop it: exit code 130)
    int exit_code = 1;
    self->receive([&](int code) { exit_code = code; });
    return exit_code;
}
