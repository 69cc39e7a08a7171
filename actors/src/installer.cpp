#include "actpip/actors/installer.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/unpack_pool.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/interpreter_cache.hpp"
#include "actpip/storage/transaction.hpp"
#include "actpip/storage/unpacked_wheel.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

namespace actpip::actors {

namespace {

namespace fs = std::filesystem;

core::result<storage::target_environment> open_target(const install_plan& plan) {
    storage::environment_options o;
    o.python = plan.environment.python;
    o.target = plan.environment.target;
    o.prefix = plan.environment.prefix;
    o.break_system_packages = plan.environment.break_system_packages;
    if (plan.interpreter_cache_dir.empty()) {
        return storage::open_environment(o);
    }
    auto info =
        storage::probe_interpreter_cached(storage::default_python(o), plan.interpreter_cache_dir);
    if (!info) {
        return std::unexpected(std::move(info.error()));
    }
    return storage::make_environment(*info, o);
}

storage::install_options options_for(const install_plan& plan) {
    storage::install_options o;
    o.mode = plan.link_mode;
    o.compile = plan.compile;
    return o;
}

core::error installing(core::error e) {
    return std::move(e).add_context("while installing");
}

} // namespace

namespace {

// ---- install job: one plan, from opening the environment to the reply ----

struct install_job_state {
    install_plan plan;
    unpack_pool_actor unpacker;
    std::unique_ptr<storage::install_transaction> tx;
    std::size_t pending = 0;
    bool finished = false;
    caf::typed_response_promise<reply<install_result>> promise;
    static inline const char* name = "install_job";
};

using job_pointer = installer_actor::stateful_pointer<install_job_state>;

void finish(job_pointer self, reply<install_result> result) {
    auto& st = self->state;
    if (st.finished) {
        return;
    }
    st.finished = true;
    if (!result && st.tx) {
        st.tx->rollback();
    }
    st.tx.reset(); // releases the environment lock
    st.promise.deliver(std::move(result));
    self->quit();
}

void commit(job_pointer self) {
    auto& st = self->state;
    install_result result;
    for (const auto& name : st.plan.removals) {
        auto found = st.tx->remove(name);
        if (!found) {
            return finish(self, installing(std::move(found.error())));
        }
        if (!*found) {
            result.not_installed.push_back(name);
        }
    }
    auto outcome = st.tx->commit();
    if (!outcome) {
        return finish(self, installing(std::move(outcome.error())));
    }
    result.installed = std::move(outcome->installed);
    result.removed = std::move(outcome->removed);
    std::sort(result.installed.begin(), result.installed.end());
    std::sort(result.removed.begin(), result.removed.end());
    finish(self, std::move(result));
}

// A wheel's tree is ready: stage it now, while the workers unpack the others.
void on_unpacked(job_pointer self, std::size_t index, reply<unpacked_tree>& a) {
    auto& st = self->state;
    if (st.finished) {
        return;
    }
    const auto& item = st.plan.wheels[index];
    if (!a) {
        return finish(self, installing(std::move(a).error()));
    }
    auto tree = storage::open_unpacked_wheel(a->root);
    if (!tree) {
        return finish(self, installing(std::move(tree.error())));
    }
    storage::wheel_to_install w{std::move(*tree), item.requested, std::nullopt};
    if (!item.direct_url_json.empty()) {
        w.direct_url_json = item.direct_url_json;
    }
    if (auto ok = st.tx->stage(w); !ok) {
        return finish(self, installing(std::move(ok.error())));
    }
    if (--st.pending == 0) {
        commit(self);
    }
}

void start(job_pointer self) {
    auto& st = self->state;
    for (const auto& item : st.plan.wheels) {
        if (item.sha256.size() != 64 ||
            item.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
            return finish(self, installing(core::error{core::errc::invalid_hash,
                                                       "not a sha256: '" + item.sha256 + "'"}));
        }
    }
    if (!st.plan.wheels.empty() && st.plan.unpacked_dir.empty()) {
        return finish(self, installing(core::error{core::errc::internal, "no unpacked_dir"}));
    }
    auto env = open_target(st.plan);
    if (!env) {
        return finish(self, installing(std::move(env.error())));
    }
    st.tx = std::make_unique<storage::install_transaction>(std::move(*env), options_for(st.plan));
    if (st.plan.wheels.empty()) {
        return commit(self);
    }
    if (!st.unpacker) { // nobody unpacks for us: a pool of our own, ended with the job
        st.unpacker = spawn_unpack_pool(self->system());
        self->attach_functor([pool = st.unpacker](const caf::error&) {
            caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
        });
    }
    self->monitor(st.unpacker);
    st.pending = st.plan.wheels.size();
    for (std::size_t i = 0; i < st.plan.wheels.size(); ++i) {
        const auto& item = st.plan.wheels[i];
        unpack_order order{item.path, (fs::path(st.plan.unpacked_dir) / item.sha256).string(),
                           item.filename};
        self->request(st.unpacker, caf::infinite, std::move(order))
            .then([self, i](reply<unpacked_tree>& a) { on_unpacked(self, i, a); },
                  [self](caf::error& e) {
                      finish(self, installing(from_caf(e, "the unpack pool")));
                  });
    }
}

installer_actor::behavior_type install_job(job_pointer self, unpack_pool_actor unpacker) {
    guard_exceptions(self, "the install job");
    self->state.unpacker = std::move(unpacker);
    // Whatever the reason, a pool that ends while the job waits on it drops its answers.
    self->set_down_handler(
        [self](caf::down_msg& dm) { finish(self, installing(from_down(dm, "the unpack pool"))); });
    return {
        [self](install_plan& plan) -> caf::typed_response_promise<reply<install_result>> {
            auto rp = self->make_response_promise<reply<install_result>>();
            if (self->state.promise.pending()) {
                rp.deliver(
                    reply<install_result>(core::error{core::errc::internal, "install job reused"}));
                return rp;
            }
            self->state.promise = rp;
            self->state.plan = std::move(plan);
            start(self);
            return rp;
        },
    };
}

// ---- installer: a job per plan ----

struct installer_state {
    installer_state() = default; // not an aggregate: CAF would build it from the self pointer
    unpack_pool_actor unpacker;
    // The answer owed for each job still running: a job that dies is answered for.
    std::map<caf::actor_addr, caf::typed_response_promise<reply<install_result>>> running;
    static inline const char* name = "installer";
};

using installer_pointer = installer_actor::stateful_pointer<installer_state>;

void answer(installer_pointer self, const caf::actor_addr& job, reply<install_result> r) {
    auto it = self->state.running.find(job);
    if (it == self->state.running.end())
        return;
    it->second.deliver(std::move(r));
    self->state.running.erase(it);
}

installer_actor::behavior_type installer(installer_pointer self, unpack_pool_actor unpacker) {
    guard_exceptions(self, "the installer");
    self->state.unpacker = std::move(unpacker);
    self->set_down_handler([self](caf::down_msg& dm) { // after its answer, if it had one
        answer(self, dm.source, installing(from_down(dm, "the install job")));
    });
    return {
        [self](install_plan& plan) -> caf::typed_response_promise<reply<install_result>> {
            auto rp = self->make_response_promise<reply<install_result>>();
            auto job =
                self->spawn<caf::detached + caf::monitored>(install_job, self->state.unpacker);
            auto addr = job.address();
            self->state.running.emplace(addr, rp);
            self->request(job, caf::infinite, std::move(plan))
                .then([self, addr](reply<install_result>& r) { answer(self, addr, std::move(r)); },
                      [self, addr](caf::error& e) {
                          answer(self, addr, installing(from_caf(e, "the install job")));
                      });
            return rp;
        },
    };
}

} // namespace

installer_actor spawn_installer(caf::actor_system& sys, unpack_pool_actor unpacker) {
    return sys.spawn(installer, std::move(unpacker));
}

} // namespace actpip::actors
