#include "actpip/actors/installer.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/unpack_pool.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/version.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/installed.hpp"
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

// ---- install job: one transaction, from opening the environment to the reply ----

enum class wheel_phase { unpacking, unpacked, staged, failed };

struct job_wheel {
    install_item item;
    wheel_phase phase = wheel_phase::unpacking;
    std::string root;                 // its unpacked tree
    std::optional<core::error> error; // failed: unpacking it or staging it
};

struct install_job_state {
    install_plan basis;               // environment and options; the wheels come one by one
    std::optional<install_plan> plan; // the final one, once sent
    unpack_pool_actor unpacker;
    std::unique_ptr<storage::install_transaction> tx;
    std::optional<core::error> open_error;
    std::map<std::string, job_wheel> wheels;   // by sha256
    std::map<std::string, std::string> staged; // normalized project -> sha256
    // A tentative wheel failed while staging and may have left part of itself: the plan is
    // staged again in a fresh transaction.
    bool start_afresh = false;
    bool finished = false;
    caf::typed_response_promise<reply<install_result>> promise;
    static inline const char* name = "install_job";
};

using job_pointer = install_job_actor::stateful_pointer<install_job_state>;

bool is_sha256(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

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

// Under the environment lock (held since the first wheel was staged): what the resolution
// kept as installed must still be there, or the environment would end up incomplete.
core::result<void> check_kept(const storage::install_transaction& tx,
                              const std::vector<std::string>& kept) {
    if (kept.empty())
        return {};
    std::map<std::string, std::string> installed; // normalized name -> version, read once
    for (auto& d : storage::list_installed(tx.environment()))
        installed.emplace(d.project_name, std::move(d.version));
    for (const auto& pin : kept) {
        auto eq = pin.find("==");
        auto name = pin.substr(0, eq);
        auto version = eq == std::string::npos ? std::string() : pin.substr(eq + 2);
        auto found = installed.find(core::normalize_name(name));
        auto want = core::version::parse(version);
        auto have = found == installed.end() ? want : core::version::parse(found->second);
        if (found == installed.end() || !have || !want || *have != *want)
            return core::fail(core::errc::io,
                              name + " " + version +
                                  " was uninstalled or replaced by another process while this "
                                  "install ran; nothing was installed: run the command again");
    }
    return {};
}

void commit(job_pointer self) {
    auto& st = self->state;
    if (auto ok = check_kept(*st.tx, st.plan->kept_installed); !ok)
        return finish(self, installing(std::move(ok.error())));
    install_result result;
    for (const auto& name : st.plan->removals) {
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

// Takes the staged wheel of `project` back out; false when that failed (start afresh).
bool unstage(job_pointer self, const std::string& project) {
    auto& st = self->state;
    auto it = st.staged.find(project);
    if (it == st.staged.end()) {
        return true;
    }
    st.wheels[it->second].phase = wheel_phase::unpacked;
    st.staged.erase(it);
    if (auto gone = st.tx->unstage(project); !gone) {
        st.start_afresh = true;
        return false;
    }
    return true;
}

// Stages an unpacked wheel, in place of another version of its project staged before.
core::result<void> stage(job_pointer self, const std::string& sha) {
    auto& st = self->state;
    auto& w = st.wheels[sha];
    auto tree = storage::open_unpacked_wheel(w.root);
    if (!tree) {
        return std::unexpected(std::move(tree.error()));
    }
    const auto project = core::normalize_name(tree->project_name);
    if (!unstage(self, project)) {
        return core::fail(core::errc::internal, "cannot take back the staged " + project);
    }
    storage::wheel_to_install request{std::move(*tree), w.item.requested, std::nullopt};
    if (!w.item.direct_url_json.empty()) {
        request.direct_url_json = w.item.direct_url_json;
    }
    if (auto ok = st.tx->stage(request); !ok) {
        st.start_afresh = true; // part of it may be staged
        return ok;
    }
    w.phase = wheel_phase::staged;
    st.staged[project] = sha;
    return {};
}

// With the plan known: stages each of its wheels that is unpacked, commits when all are.
void advance(job_pointer self) {
    auto& st = self->state;
    if (st.finished || !st.plan) {
        return;
    }
    bool waiting = false;
    for (const auto& item : st.plan->wheels) {
        auto& w = st.wheels[item.sha256];
        if (w.phase == wheel_phase::failed) {
            return finish(self, installing(*w.error));
        }
        if (w.phase == wheel_phase::unpacked) {
            if (auto ok = stage(self, item.sha256); !ok) {
                return finish(self, installing(std::move(ok.error())));
            }
        }
        waiting = waiting || w.phase == wheel_phase::unpacking;
    }
    if (!waiting) {
        commit(self);
    }
}

void on_unpacked(job_pointer self, const std::string& sha, reply<unpacked_tree>& r) {
    auto& st = self->state;
    if (st.finished) {
        return;
    }
    auto& w = st.wheels[sha];
    if (!r) {
        w.phase = wheel_phase::failed;
        w.error = std::move(r).error();
    } else {
        w.phase = wheel_phase::unpacked;
        w.root = r->root;
    }
    if (st.plan) {
        return advance(self);
    }
    // Tentative: staged now, while the resolution goes on. A failure fails the job only if
    // the plan keeps this wheel.
    if (w.phase == wheel_phase::unpacked && st.tx && !st.start_afresh) {
        if (auto ok = stage(self, sha); !ok) {
            w.phase = wheel_phase::failed;
            w.error = std::move(ok.error());
        }
    }
}

// A wheel the job has not seen: its tree is asked of the pool (joined if in flight).
void add_wheel(job_pointer self, const install_item& item) {
    auto& st = self->state;
    if (st.wheels.contains(item.sha256)) {
        return;
    }
    st.wheels[item.sha256].item = item;
    unpack_order order{item.path, (fs::path(st.basis.unpacked_dir) / item.sha256).string(),
                       item.filename, item.sha256};
    self->request(st.unpacker, caf::infinite, std::move(order))
        .then([self, sha = item.sha256](reply<unpacked_tree>& r) { on_unpacked(self, sha, r); },
              [self](caf::error& e) { finish(self, installing(from_caf(e, "the unpack pool"))); });
}

void open(job_pointer self, install_plan basis) {
    auto& st = self->state;
    basis.wheels.clear();
    basis.removals.clear();
    st.basis = std::move(basis);
    auto env = open_target(st.basis);
    if (!env) {
        st.open_error = installing(std::move(env.error()));
        return;
    }
    st.tx = std::make_unique<storage::install_transaction>(std::move(*env), options_for(st.basis));
    if (!st.unpacker) { // nobody unpacks for us: a pool of our own, ended with the job
        st.unpacker = spawn_unpack_pool(self->system());
        self->attach_functor([pool = st.unpacker](const caf::error&) {
            caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
        });
    }
    self->monitor(st.unpacker);
}

void on_plan(job_pointer self, install_plan plan) {
    auto& st = self->state;
    for (const auto& item : plan.wheels) {
        if (!is_sha256(item.sha256)) {
            return finish(self, installing(core::error{core::errc::invalid_hash,
                                                       "not a sha256: '" + item.sha256 + "'"}));
        }
    }
    if (!plan.wheels.empty() && st.basis.unpacked_dir.empty()) {
        return finish(self, installing(core::error{core::errc::internal, "no unpacked_dir"}));
    }
    if (st.open_error) {
        return finish(self, *st.open_error);
    }
    if (st.start_afresh) {
        st.tx->rollback();
        auto env = st.tx->environment();
        st.tx =
            std::make_unique<storage::install_transaction>(std::move(env), options_for(st.basis));
        st.staged.clear();
        for (auto& [sha, w] : st.wheels) { // staging failures are tried again, for real
            if (w.phase == wheel_phase::staged ||
                (w.phase == wheel_phase::failed && !w.root.empty())) {
                w.phase = wheel_phase::unpacked;
                w.error.reset();
            }
        }
        st.start_afresh = false;
    }
    // What the plan leaves out, or wants with other flags, is taken back out.
    std::map<std::string, const install_item*> wanted;
    for (const auto& item : plan.wheels) {
        wanted.emplace(item.sha256, &item);
    }
    for (auto staged = st.staged; const auto& [project, sha] : staged) {
        auto it = wanted.find(sha);
        const auto& had = st.wheels[sha].item;
        if (it == wanted.end() || had.requested != it->second->requested ||
            had.direct_url_json != it->second->direct_url_json) {
            if (!unstage(self, project)) {
                return finish(self, installing(core::error{
                                        core::errc::io, "cannot take back the staged " + project}));
            }
        }
    }
    for (auto& [sha, w] : st.wheels) {
        if (auto it = wanted.find(sha); it != wanted.end()) {
            w.item = *it->second;
        }
    }
    st.plan = std::move(plan);
    for (const auto& item : st.plan->wheels) {
        add_wheel(self, item);
    }
    advance(self);
}

install_job_actor::behavior_type install_job(job_pointer self, unpack_pool_actor unpacker,
                                             std::optional<install_plan> basis) {
    guard_exceptions(self, "the install job");
    self->state.unpacker = std::move(unpacker);
    // Whatever the reason, a pool that ends while the job waits on it drops its answers.
    self->set_down_handler(
        [self](caf::down_msg& dm) { finish(self, installing(from_down(dm, "the unpack pool"))); });
    if (basis) { // opened early: on this job's own thread (probing may block)
        open(self, std::move(*basis));
    }
    return {
        [self](tentative_wheel& t) {
            auto& st = self->state;
            if (st.finished || st.plan || !st.tx || !is_sha256(t.item.sha256)) {
                return; // the plan decides alone once sent
            }
            add_wheel(self, t.item);
        },
        [self](install_plan& plan) -> caf::typed_response_promise<reply<install_result>> {
            auto rp = self->make_response_promise<reply<install_result>>();
            auto& st = self->state;
            if (st.promise.pending() || st.finished) {
                rp.deliver(
                    reply<install_result>(core::error{core::errc::internal, "install job reused"}));
                return rp;
            }
            st.promise = rp;
            if (!st.tx && !st.open_error) {
                open(self, plan);
            }
            on_plan(self, std::move(plan));
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
            auto job = self->spawn<caf::detached + caf::monitored>(
                install_job, self->state.unpacker, std::optional<install_plan>());
            auto addr = job.address();
            self->state.running.emplace(addr, rp);
            self->request(job, caf::infinite, std::move(plan))
                .then([self, addr](reply<install_result>& r) { answer(self, addr, std::move(r)); },
                      [self, addr](caf::error& e) {
                          answer(self, addr, installing(from_caf(e, "the install job")));
                      });
            return rp;
        },
        [self](install_opening& o) -> install_job_actor {
            // The session that opened it watches it and sends it the plan itself.
            return self->spawn<caf::detached>(install_job, self->state.unpacker,
                                              std::optional<install_plan>(std::move(o.basis)));
        },
    };
}

} // namespace

installer_actor spawn_installer(caf::actor_system& sys, unpack_pool_actor unpacker) {
    return sys.spawn(installer, std::move(unpacker));
}

} // namespace actpip::actors
