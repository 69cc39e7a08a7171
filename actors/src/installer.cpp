#include "actpip/actors/installer.hpp"

#include "actpip/storage/environment.hpp"
#include "actpip/storage/interpreter_cache.hpp"
#include "actpip/storage/transaction.hpp"
#include "actpip/storage/unpack.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <filesystem>
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

core::result<storage::install_options> options_for(const install_plan& plan) {
    storage::install_options o;
    if (plan.link_mode.empty() || plan.link_mode == "auto") {
        o.mode = storage::link_mode::automatic;
    } else if (auto m = storage::parse_link_mode(plan.link_mode)) {
        o.mode = *m;
    } else {
        return core::fail(core::errc::unsupported, "unknown link mode '" + plan.link_mode + "'");
    }
    o.compile = plan.compile;
    return o;
}

install_result failure(core::error e) {
    install_result r;
    r.error = std::move(e).add_context("while installing");
    return r;
}

// ---- unpack worker: one blocking unpack at a time, on its own thread ----

// `index` only names the worker: CAF 0.17 dereferences a null argument tuple when a
// function actor takes no arguments (UBSan reports it).
unpack_worker_actor::behavior_type unpack_worker(unpack_worker_actor::pointer self,
                                                 std::size_t index) {
    (void)index;
    self->set_exception_handler([](caf::scheduled_actor*, std::exception_ptr&) -> caf::error {
        return caf::make_error(caf::sec::runtime_error, "unexpected exception in unpack worker");
    });
    return {
        [](unpack_order& o) -> unpack_answer {
            storage::unpack_options opts;
            opts.filename = o.filename;
            auto r = storage::unpack_wheel(o.path, o.dest, opts);
            unpack_answer a;
            if (!r) {
                a.error = std::move(r.error());
                return a;
            }
            a.ok = true;
            a.root = r->root.string();
            return a;
        },
    };
}

} // namespace

unpack_worker_actor spawn_unpack_worker(caf::actor_system& sys, std::size_t index) {
    return sys.spawn<caf::detached>(unpack_worker, index);
}

namespace {

// ---- install job: one plan, from opening the environment to the reply ----

struct install_job_state {
    install_plan plan;
    std::unique_ptr<storage::install_transaction> tx;
    std::vector<unpack_worker_actor> workers;
    std::size_t pending = 0;
    bool finished = false;
    caf::typed_response_promise<install_result> promise;
    static inline const char* name = "install_job";
};

using job_pointer = installer_actor::stateful_pointer<install_job_state>;

void finish(job_pointer self, install_result result) {
    auto& st = self->state;
    if (st.finished) {
        return;
    }
    st.finished = true;
    if (!result.ok && st.tx) {
        st.tx->rollback();
    }
    st.tx.reset(); // releases the environment lock
    for (auto& w : st.workers) {
        self->send_exit(w, caf::exit_reason::user_shutdown);
    }
    st.workers.clear();
    st.promise.deliver(std::move(result));
    self->quit();
}

void commit(job_pointer self) {
    auto& st = self->state;
    install_result result;
    for (const auto& name : st.plan.removals) {
        auto found = st.tx->remove(name);
        if (!found) {
            return finish(self, failure(std::move(found.error())));
        }
        if (!*found) {
            result.not_installed.push_back(name);
        }
    }
    auto outcome = st.tx->commit();
    if (!outcome) {
        return finish(self, failure(std::move(outcome.error())));
    }
    result.ok = true;
    result.installed = std::move(outcome->installed);
    result.removed = std::move(outcome->removed);
    std::sort(result.installed.begin(), result.installed.end());
    std::sort(result.removed.begin(), result.removed.end());
    finish(self, std::move(result));
}

// A wheel's tree is ready: stage it now, while the workers unpack the others.
void on_unpacked(job_pointer self, std::size_t index, unpack_answer& a) {
    auto& st = self->state;
    if (st.finished) {
        return;
    }
    const auto& item = st.plan.wheels[index];
    if (!a.ok) {
        return finish(self,
                      failure(std::move(a.error).add_context("while unpacking " + item.path)));
    }
    auto tree = storage::open_unpacked_wheel(a.root);
    if (!tree) {
        return finish(self, failure(std::move(tree.error())));
    }
    storage::wheel_to_install w{std::move(*tree), item.requested, std::nullopt};
    if (!item.direct_url_json.empty()) {
        w.direct_url_json = item.direct_url_json;
    }
    if (auto ok = st.tx->stage(w); !ok) {
        return finish(self, failure(std::move(ok.error())));
    }
    if (--st.pending == 0) {
        commit(self);
    }
}

void start(job_pointer self, std::size_t max_workers) {
    auto& st = self->state;
    for (const auto& item : st.plan.wheels) {
        if (item.sha256.size() != 64 ||
            item.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
            return finish(self, failure(core::error{core::errc::invalid_hash,
                                                    "not a sha256: '" + item.sha256 + "'"}));
        }
    }
    if (!st.plan.wheels.empty() && st.plan.unpacked_dir.empty()) {
        return finish(self, failure(core::error{core::errc::internal, "no unpacked_dir"}));
    }
    auto env = open_target(st.plan);
    if (!env) {
        return finish(self, failure(std::move(env.error())));
    }
    auto options = options_for(st.plan);
    if (!options) {
        return finish(self, failure(std::move(options.error())));
    }
    st.tx = std::make_unique<storage::install_transaction>(std::move(*env), std::move(*options));
    if (st.plan.wheels.empty()) {
        return commit(self);
    }
    const auto n = std::max<std::size_t>(1, std::min(max_workers, st.plan.wheels.size()));
    for (std::size_t i = 0; i < n; ++i) {
        st.workers.push_back(self->spawn<caf::detached>(unpack_worker, i));
    }
    st.pending = st.plan.wheels.size();
    for (std::size_t i = 0; i < st.plan.wheels.size(); ++i) {
        const auto& item = st.plan.wheels[i];
        unpack_order order{item.path, (fs::path(st.plan.unpacked_dir) / item.sha256).string(),
                           item.filename};
        self->request(st.workers[i % n], caf::infinite, std::move(order))
            .then([self, i](unpack_answer& a) { on_unpacked(self, i, a); },
                  [self](caf::error& e) {
                      finish(self, failure(core::error{core::errc::internal,
                                                       "unpack worker failed: " +
                                                           self->system().render(e)}));
                  });
    }
}

installer_actor::behavior_type install_job(job_pointer self, std::size_t max_workers) {
    self->set_exception_handler([](caf::scheduled_actor*, std::exception_ptr&) -> caf::error {
        return caf::make_error(caf::sec::runtime_error, "unexpected exception in install job");
    });
    return {
        [self, max_workers](install_plan& plan) -> caf::typed_response_promise<install_result> {
            auto rp = self->make_response_promise<install_result>();
            if (self->state.promise.pending()) {
                rp.deliver(failure(core::error{core::errc::internal, "install job reused"}));
                return rp;
            }
            self->state.promise = rp;
            self->state.plan = std::move(plan);
            start(self, max_workers);
            return rp;
        },
    };
}

// ---- installer: a job per plan ----

installer_actor::behavior_type installer(installer_actor::pointer self, installer_config config) {
    return {
        [self, config](install_plan& plan) -> caf::delegated<install_result> {
            auto job = self->spawn<caf::detached>(install_job, config.max_parallel_unpacks);
            return self->delegate(job, std::move(plan));
        },
    };
}

} // namespace

installer_actor spawn_installer(caf::actor_system& sys, installer_config config) {
    return sys.spawn(installer, config);
}

} // namespace actpip::actors
