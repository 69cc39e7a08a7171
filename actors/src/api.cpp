// actpip/api.hpp over actpip/embed.hpp: each job gets a private actor system, a listener
// actor that hands events to the host's callback one at a time, and a promise for the
// outcome.

#include "actpip/api.hpp"
#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/protocol/supervision.hpp"
#include "actpip/embed.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <future>
#include <mutex>
#include <thread>

namespace actpip {

namespace {

// Hands events to the host's callback and the outcome to the promise. It monitors the job,
// so a job that dies without an outcome still ends wait() with an error naming why.
caf::behavior listener_fn(caf::event_based_actor* self, job::progress_callback on_progress,
                          std::shared_ptr<std::promise<job_outcome>> done) {
    self->set_down_handler([self, done](caf::down_msg& dm) {
        job_outcome o;
        o.exit_code = 1;
        o.error = actors::is_failure(dm.reason) ? actors::from_down(dm, "the job").describe()
                                                : "the job ended without an outcome";
        done->set_value(std::move(o));
        self->quit();
    });
    return {
        [on_progress](progress_event& e) {
            if (on_progress) {
                on_progress(e);
            }
        },
        [self, done](job_outcome& o) {
            done->set_value(std::move(o));
            self->quit(); // the job's end, which follows, is no longer news
        },
        [self](actors::monitor_atom, caf::actor& job, std::string&) { self->monitor(job); },
    };
}

class private_job final : public job {
public:
    private_job(job_options options, progress_callback on_progress)
        : config_(make_config()), system_(*config_) {
        auto done = std::make_shared<std::promise<job_outcome>>();
        outcome_ = done->get_future();
        auto listener = system_.spawn(listener_fn, std::move(on_progress), done);
        session_ = embed::spawn_job(system_, std::move(options), listener);
        caf::anon_send(listener, actors::monitor_atom::value, session_, std::string("the job"));
    }

    ~private_job() override {
        if (outcome_.valid()) {
            cancel();
            outcome_.wait();
        }
    }

    void cancel() override {
        std::lock_guard lock(mutex_);
        if (session_) {
            caf::anon_send(session_, embed::cancel_atom::value);
        }
    }

    job_outcome wait() override {
        auto o = outcome_.get();
        std::lock_guard lock(mutex_);
        session_ = nullptr;
        return o;
    }

private:
    static std::unique_ptr<caf::actor_system_config> make_config() {
        auto c = std::make_unique<caf::actor_system_config>();
        // Two workers measured faster than CAF's default of four on small machines.
        auto threads = std::max(2u, std::min(4u, std::thread::hardware_concurrency()));
        c->set("scheduler.max-threads", threads);
        // Work sharing waits on a condition variable; CAF's default work stealing polls with
        // short sleeps (13,000 nanosleep calls in one install), taking CPU from unpacking.
        c->set("scheduler.policy", caf::atom("sharing"));
        embed::add_message_types(*c);
        return c;
    }

    std::unique_ptr<caf::actor_system_config> config_; // the system keeps a reference
    caf::actor_system system_;
    std::mutex mutex_;
    caf::actor session_;
    std::future<job_outcome> outcome_;
};

} // namespace

std::unique_ptr<job> job::start(job_options options, progress_callback on_progress) {
    return std::make_unique<private_job>(std::move(options), std::move(on_progress));
}

job_outcome run(job_options options, job::progress_callback on_progress) {
    return job::start(std::move(options), std::move(on_progress))->wait();
}

std::string version() {
#ifdef ACTPIP_VERSION
    return ACTPIP_VERSION;
#else
    return "0.1.0";
#endif
}

} // namespace actpip
