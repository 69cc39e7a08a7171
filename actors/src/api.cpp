// actpip/api.hpp over actpip/embed.hpp: each job gets a private actor system, a listener
// actor that hands events to the host's callback one at a time, and a promise for the
// outcome.

#include "actpip/api.hpp"
#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/protocol/supervision.hpp"
#include "actpip/embed.hpp"
#include "runtime.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include <future>
#include <mutex>
#include <thread>

namespace actpip {

namespace {

struct listener_state {
    listener_state() = default; // not an aggregate: CAF would build it from the self pointer
    job::progress_callback on_progress;
    std::shared_ptr<std::promise<job_outcome>> done;
    caf::actor running;           // the job it listens to
    std::string callback_failure; // the host's callback threw: the job is cancelled for it
    static inline const char* name = "actpip_listener";
};

using listener_ptr = caf::stateful_actor<listener_state>*;

void settle(listener_ptr self, job_outcome o) {
    auto& st = self->state;
    if (!st.callback_failure.empty()) {
        o.exit_code = 1;
        o.error = st.callback_failure;
        o.hints.clear();
    }
    st.done->set_value(std::move(o));
    self->quit(); // the job's end, which follows, is no longer news
}

// The host's callback is the one call here that may throw (it is the host's code): an
// exception cancels the job and becomes its error, instead of killing this actor and
// leaving wait() without an outcome.
void call_back(listener_ptr self, const progress_event& e) {
    auto& st = self->state;
    if (!st.on_progress || !st.callback_failure.empty())
        return;
    try {
        st.on_progress(e);
    } catch (const std::exception& x) {
        st.callback_failure = std::string("the progress callback threw: ") + x.what();
    } catch (...) {
        st.callback_failure = "the progress callback threw";
    }
    if (!st.callback_failure.empty() && st.running)
        self->send(st.running, embed::cancel_atom::value);
}

// Hands events to the host's callback and the outcome to the promise. It monitors the job,
// so a job that dies without an outcome still ends wait() with an error naming why.
caf::behavior listener_fn(listener_ptr self, job::progress_callback on_progress,
                          std::shared_ptr<std::promise<job_outcome>> done) {
    actors::guard_exceptions(self, "the job's listener");
    self->state.on_progress = std::move(on_progress);
    self->state.done = std::move(done);
    self->set_down_handler([self](caf::down_msg& dm) {
        job_outcome o;
        o.exit_code = 1;
        o.error = actors::is_failure(dm.reason) ? actors::from_down(dm, "the job").describe()
                                                : "the job ended without an outcome";
        settle(self, std::move(o));
    });
    return {
        [self](progress_event& e) { call_back(self, e); },
        [self](job_outcome& o) { settle(self, std::move(o)); },
        [self](actors::monitor_atom, caf::actor& job, std::string&) {
            self->state.running = job;
            self->monitor(job);
        },
    };
}

class private_job final : public job {
public:
    private_job(job_options options, progress_callback on_progress)
        : runtime_(detail::runtime::acquire(
              {options.remote_tls_cert, options.remote_tls_key, options.remote_tls_ca})) {
        auto done = std::make_shared<std::promise<job_outcome>>();
        outcome_ = done->get_future();
        auto& sys = runtime_->system();
        auto listener = sys.spawn(listener_fn, std::move(on_progress), done);
        job_ = embed::spawn_job(sys, std::move(options), listener);
        caf::anon_send(listener, actors::monitor_atom::value, job_, std::string("the job"));
    }

    ~private_job() override {
        if (outcome_.valid()) {
            cancel();
            outcome_.wait();
        }
    }

    void cancel() override {
        std::lock_guard lock(mutex_);
        if (job_) {
            caf::anon_send(job_, embed::cancel_atom::value);
        }
    }

    job_outcome wait() override {
        auto o = outcome_.get();
        std::lock_guard lock(mutex_);
        job_ = nullptr;
        return o;
    }

private:
    std::shared_ptr<detail::runtime> runtime_; // first: it outlives the handles below
    std::mutex mutex_;
    caf::actor job_;
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
