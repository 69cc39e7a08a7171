// The session's wiring: messages in, decisions by download_book and the pure helpers of
// session_files, messages out. Which actor starts a wheel's download: this one, on `pinned`
// (or, resolving through a server, on `remote_pinned`).

#include "actpip/actors/session.hpp"

#include "session_state.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/progress_events.hpp"
#include "actpip/actors/protocol/http.hpp"
#include "actpip/actors/protocol/supervision.hpp"
#include "actpip/actors/remote_request.hpp"
#include "actpip/actors/resolution_wire.hpp"
#include "actpip/actors/session_files.hpp"
#include "actpip/core/name.hpp"
#include "actpip/embed.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/resolution_memo.hpp"

#include <caf/actor_cast.hpp>

#include <chrono>
#include <filesystem>

namespace actpip::actors {

namespace session_detail {

namespace fs = std::filesystem;

double seconds_since(clock::time_point t) {
    return std::chrono::duration<double>(clock::now() - t).count();
}

void report(self_ptr self, progress_event e) {
    e.elapsed = seconds_since(self->state.started);
    if (self->state.cfg.listener)
        self->send(self->state.cfg.listener, std::move(e));
}

// A request to a watched actor that has died: its down message, which says why, fails the
// job (the bounce only says "no longer running").
bool left_to_monitor(const caf::error& e) {
    return e == caf::sec::request_receiver_down;
}

void watch(self_ptr self, const caf::actor& a, std::string who) {
    if (!a || self->state.watched.contains(a.address()))
        return;
    self->monitor(a);
    self->state.watched.emplace(a.address(), std::move(who));
}

void finish(self_ptr self, job_outcome outcome) {
    auto& st = self->state;
    if (st.finished)
        return;
    st.finished = true;
    if (st.resolution)
        outcome.resolve_seconds =
            std::chrono::duration<double>(st.resolved_at - st.started).count();
    outcome.warnings.insert(outcome.warnings.begin(), st.warnings.begin(), st.warnings.end());
    add_job_facts(outcome, st.cfg.target, st.resolution ? &*st.resolution : nullptr, st.cfg.sources,
                  st.book,
                  st.cfg.options.kind == job_kind::download ? st.cfg.options.download_dir : "");
    if (st.resolver)
        self->send_exit(st.resolver, caf::exit_reason::user_shutdown);
    st.resolver = nullptr;
    if (st.install_job) // committed (it has ended), or to roll back what it staged
        self->send_exit(st.install_job, caf::exit_reason::user_shutdown);
    if (st.cfg.listener)
        self->send(st.cfg.listener, std::move(outcome));
    self->quit();
}

void check_complete(self_ptr self);

// Installing links files out of the unpacked cache: unpacking while other wheels are still
// downloading takes it off the critical path (the installer joins what is in flight).
void unpack_early(self_ptr self, const std::string& key, const artifact& wheel,
                  const std::string& filename) {
    auto& st = self->state;
    if (!st.cfg.unpacker)
        return;
    auto dest = storage::cache_layout(cache_root_of(st.cfg.sources)).unpacked_dir() / wheel.sha256;
    self->request(st.cfg.unpacker, caf::infinite,
                  unpack_order{wheel.path, dest.string(), filename, wheel.sha256})
        .then(
            [self, key](reply<unpacked_tree>& r) {
                // Once the plan is out, the installer judges the trees itself.
                if (r || self->state.installing || self->state.finished)
                    return;
                self->state.book.failed(key, std::move(r).error());
                check_complete(self);
            },
            [](caf::error&) {}); // the pool's death reaches us through its monitor
}

void send_plan(self_ptr self, install_plan plan);

// The install job is opened by the first wheel that lands; every landed wheel is staged at
// once, so that installing after the last byte is little more than the commit.
void stage_early(self_ptr self, const session_wheel& w) {
    auto& st = self->state;
    if (!st.cfg.installer || st.installing || st.finished)
        return;
    auto item = install_item_for(w, st.cfg.sources);
    if (st.install_job) {
        self->send(st.install_job, tentative_wheel{std::move(item)});
        return;
    }
    st.owed_to_job.push_back(std::move(item));
    if (st.job_opening)
        return;
    st.job_opening = true;
    auto basis = make_install_plan({}, st.cfg.options, st.cfg.sources, st.cfg.target);
    self->request(st.cfg.installer, caf::infinite, install_opening{std::move(basis)})
        .then(
            [self](install_job_actor& job) {
                auto& st = self->state;
                if (st.finished) {
                    self->send_exit(job, caf::exit_reason::user_shutdown);
                    return;
                }
                st.install_job = job;
                watch(self, caf::actor_cast<caf::actor>(job), "the install job");
                for (auto& item : st.owed_to_job)
                    self->send(job, tentative_wheel{std::move(item)});
                st.owed_to_job.clear();
                if (st.plan_owed_to_job) {
                    auto plan = std::move(*st.plan_owed_to_job);
                    st.plan_owed_to_job.reset();
                    send_plan(self, std::move(plan));
                }
            },
            [self](caf::error& e) {
                if (!left_to_monitor(e))
                    finish(self, failed_outcome(1, from_caf(e, "the installer")));
            });
}

void start_download(self_ptr self, const wire_file& file) {
    auto& st = self->state;
    if (!st.book.start(file))
        return;
    report(self, progress::download_started(file.filename));
    auto key = pin_key(file.name, file.version);
    self->request(st.cfg.download, caf::infinite,
                  download_request{file, st.cfg.id, cache_mode_of(st.cfg.options)})
        .then(
            [self, key](reply<downloaded_wheel>& r) {
                auto& st = self->state;
                if (st.finished)
                    return;
                if (!r) {
                    st.book.failed(key, std::move(r).error());
                } else {
                    st.book.landed(key, *r);
                    const auto& slot = *st.book.find(key);
                    report(self, progress::download_finished(slot.file.filename, r->wheel.size,
                                                             r->requests == 0));
                    if (st.cfg.options.kind == job_kind::install) {
                        unpack_early(self, key, r->wheel, slot.file.filename);
                        stage_early(self, session_wheel{slot.file, r->wheel});
                    }
                }
                check_complete(self);
            },
            [self, key, file](caf::error& e) {
                if (left_to_monitor(e))
                    return;
                self->state.book.failed(
                    key, from_caf(e, "the download actor, asked for " + file.filename));
                check_complete(self);
            });
}

// The file of a pin, then its download (or, in a dry run, just the file for the report).
void fetch_pin(self_ptr self, const std::string& name, const std::string& version,
               const std::string& url, bool final_pin) {
    auto& st = self->state;
    if (auto it = st.remote_files.find(pin_key(name, version)); it != st.remote_files.end()) {
        if (st.cfg.options.kind == job_kind::resolve)
            st.book.know(it->second);
        else
            start_download(self, it->second);
        return check_complete(self);
    }
    auto provider = st.resolving_with ? st.resolving_with : st.cfg.provider;
    self->request(provider, caf::infinite, file_query{name, version, url, st.cfg.id})
        .then(
            [self, final_pin](reply<wire_file>& f) {
                auto& st = self->state;
                if (st.finished)
                    return;
                if (!f) { // a tentative pin without a file fails only if the resolution keeps it
                    if (final_pin)
                        finish(self, failed_outcome(1, f.error()));
                    return;
                }
                if (st.cfg.options.kind == job_kind::resolve)
                    st.book.know(*f);
                else
                    start_download(self, *f);
                check_complete(self);
            },
            [self, final_pin, name](caf::error& e) {
                if (final_pin && !left_to_monitor(e))
                    finish(self,
                           failed_outcome(1, from_caf(e, "the fetch provider, asked for " + name)));
            });
}

bool take_tentative_pin(self_ptr self, const std::string& name, const std::string& version) {
    auto& st = self->state;
    if (st.seen_names.insert(core::normalize_name(name)).second)
        report(self, progress::resolving(st.seen_names.size()));
    return st.cfg.options.kind != job_kind::resolve && !st.resolution &&
           !is_installed(st.cfg.target, st.cfg.options.force_reinstall, name, version) &&
           !st.book.has(pin_key(name, version));
}

void on_pinned(self_ptr self, const pinned& p) {
    if (take_tentative_pin(self, p.name, p.version))
        fetch_pin(self, p.name, p.version, p.url, false);
}

void run_install(self_ptr self, const std::vector<session_wheel>& wheels) {
    auto& st = self->state;
    st.installing = true;
    auto plan = make_install_plan(wheels, st.cfg.options, st.cfg.sources, st.cfg.target);
    for (const auto& pin : st.resolution->pins)
        if (pin.installed)
            plan.kept_installed.push_back(pin.name + "==" + pin.version);
    report(self, progress::installing(plan.wheels.size()));
    if (st.job_opening && !st.install_job)
        st.plan_owed_to_job = std::move(plan); // sent when the job's handle arrives
    else
        send_plan(self, std::move(plan));
}

// To the job opened early, or else to the installer (a job of its own for this plan).
void send_plan(self_ptr self, install_plan plan) {
    auto& st = self->state;
    auto begun = clock::now();
    auto committed = [self, begun](reply<install_result>& r) {
        if (!r)
            return finish(self, failed_outcome(1, r.error()));
        job_outcome o;
        o.install_seconds = seconds_since(begun);
        o.installed = dashed_to_pinned(r->installed);
        o.removed = dashed_to_pinned(r->removed);
        report(self, progress::installed(o.installed.size(), o.install_seconds));
        if (self->state.cancel_requested)
            o.warnings.push_back("interrupted after the installation was committed");
        finish(self, std::move(o));
    };
    auto failed = [self](caf::error& e) {
        if (!left_to_monitor(e))
            finish(self, failed_outcome(1, from_caf(e, "the installer")));
    };
    if (st.install_job)
        self->request(st.install_job, caf::infinite, std::move(plan)).then(committed, failed);
    else
        self->request(st.cfg.installer, caf::infinite, std::move(plan)).then(committed, failed);
}

void check_complete(self_ptr self) {
    auto& st = self->state;
    if (st.finished || !st.resolution || st.installing)
        return;
    auto kind = st.cfg.options.kind;
    auto where = st.book.check(st.resolution->pins, kind != job_kind::resolve);
    if (where.failure)
        return finish(self, failed_outcome(1, *where.failure));
    if (!where.ready())
        return; // more to come
    if (kind == job_kind::resolve)
        return finish(self, job_outcome{});
    if (auto r = verify_user_hashes(st.cfg.sources, where.wheels); !r)
        return finish(self, failed_outcome(1, r.error()));
    if (kind == job_kind::download) {
        if (auto copied = copy_downloads(where.wheels, st.cfg.options.download_dir); !copied)
            return finish(self, failed_outcome(1, copied.error()));
        return finish(self, job_outcome{});
    }
    if (where.wheels.empty())
        return finish(self, job_outcome{});
    run_install(self, where.wheels);
}

void remember_projects(self_ptr self, const resolution_outcome& outcome);

void on_resolution(self_ptr self, resolution_outcome& outcome) {
    auto& st = self->state;
    st.resolved_at = clock::now();
    if (!outcome.ok)
        return finish(self, unresolvable_outcome(outcome));
    st.resolution = std::move(outcome);
    remember_projects(self, *st.resolution);
    report(self,
           progress::resolved(st.resolution->pins.size(),
                              std::chrono::duration<double>(st.resolved_at - st.started).count()));
    for (const auto& pin : st.resolution->pins)
        if (!pin.installed && !st.book.has(pin_key(pin.name, pin.version)))
            fetch_pin(self, pin.name, pin.version, pin.url, true);
    check_complete(self);
}

void on_http_event(self_ptr self, const http_event& e) {
    auto& st = self->state;
    if (e.session != st.cfg.id || st.finished)
        return;
    if (e.kind == net::event_kind::bytes_received) {
        if (const auto* filename = st.book.filename_of_url(e.url))
            report(self, progress::download_progress(*filename, e.bytes, e.total));
    } else if (e.kind == net::event_kind::retrying) {
        report(self, progress::warning(e.url, "retrying " + e.url + (e.detail.empty() ? "" : ": ") +
                                                  e.detail));
    }
}

// A resolution memo (storage/resolution_memo.hpp): the projects of the last resolution of
// this input are asked for at once, so that stale pages are revalidated together, in one
// round trip, rather than one level of the crawl after another. Answers are not awaited: the
// resolver's own questions join them.
std::string memo_key(self_ptr self) {
    auto& st = self->state;
    if (!st.cfg.sources.cache_root || st.cfg.options.kind == job_kind::download)
        return {};
    return storage::resolution_memo_key(
        resolution_memo_input(st.cfg.options, st.cfg.sources, st.cfg.target));
}

void ask_remembered_projects(self_ptr self, const data_provider_actor& provider) {
    auto& st = self->state;
    st.memo_key = memo_key(self);
    if (st.memo_key.empty())
        return;
    storage::cache_layout layout(*st.cfg.sources.cache_root);
    for (auto& name : storage::load_resolution_memo(layout, st.memo_key))
        self->request(provider, caf::infinite,
                      versions_query{std::move(name), "", false, st.cfg.id})
            .then([](reply<versions_answer>&) {}, [](caf::error&) {});
}

void remember_projects(self_ptr self, const resolution_outcome& outcome) {
    const auto& key = self->state.memo_key;
    if (key.empty() || outcome.pins.empty())
        return;
    std::vector<std::string> names;
    for (const auto& pin : outcome.pins)
        if (pin.url.empty())
            names.push_back(core::normalize_name(pin.name));
    // Only a prefetch list: a failure to keep it costs the next run speed, nothing else.
    (void)storage::store_resolution_memo(storage::cache_layout(*self->state.cfg.sources.cache_root),
                                         key, names);
}

void resolve_here(self_ptr self) {
    auto& st = self->state;
    // With a server that is fine, its fetch side answers (and falls back here by itself).
    st.resolving_with =
        st.cfg.remote_provider && !st.remote_failed ? st.cfg.remote_provider : st.cfg.provider;
    st.resolver =
        spawn_resolver(self->system(), st.cfg.sources.requirements,
                       make_resolve_options(st.cfg.options, st.cfg.sources, st.cfg.target),
                       st.resolving_with, st.cfg.id, caf::actor_cast<caf::actor>(self));
    watch(self, caf::actor_cast<caf::actor>(st.resolver), "the resolver");
    if (st.resolving_with == st.cfg.provider)
        ask_remembered_projects(self, st.resolving_with);
    self->request(st.resolver, caf::infinite, resolve_atom::value)
        .then([self](resolution_outcome& r) { on_resolution(self, r); },
              [self](caf::error& e) {
                  if (!left_to_monitor(e))
                      finish(self, failed_outcome(1, from_caf(e, "the resolver")));
              });
}

caf::behavior session_fn(self_ptr self, session_config cfg) {
    guard_exceptions(self, "the session");
    auto& st = self->state;
    st.cfg = std::move(cfg);
    // Every actor watched is one the session may still wait on: any end of it before the
    // outcome, clean or not, is a failure. While the installer commits, only its end counts
    // (the commit goes on whatever happens to the fetch side).
    self->set_down_handler([self](caf::down_msg& dm) {
        auto& st = self->state;
        if (st.cfg.remote && dm.source == st.cfg.remote->gateway.address())
            return resolve_here_instead(self, "the connection was lost");
        auto it = st.watched.find(dm.source);
        if (st.finished || it == st.watched.end())
            return;
        if (st.installing && dm.source != st.cfg.installer.address() &&
            dm.source != st.install_job.address())
            return;
        finish(self, failed_outcome(1, from_down(dm, it->second)));
    });
    watch(self, caf::actor_cast<caf::actor>(st.cfg.provider), "the fetch provider");
    watch(self, caf::actor_cast<caf::actor>(st.cfg.remote_provider), "the remote provider");
    watch(self, caf::actor_cast<caf::actor>(st.cfg.download), "the download actor");
    watch(self, caf::actor_cast<caf::actor>(st.cfg.unpacker), "the unpack pool");
    watch(self, caf::actor_cast<caf::actor>(st.cfg.installer), "the installer");
    for (const auto& [actor, who] : st.cfg.dependencies)
        watch(self, actor, who);

    st.warnings = st.cfg.warnings;
    if (st.cfg.remote)
        self->monitor(st.cfg.remote->gateway); // a lost connection answers nothing
    if (st.cfg.remote && why_not_remote(st.cfg.sources).empty())
        resolve_remotely(self);
    else
        resolve_here(self);

    return {
        [self](remote_failed_atom, std::string& why) { server_failed(self, why); },
        [self](pinned& p) { on_pinned(self, p); },
        [self](remote_pinned& p) { on_remote_pinned(self, p.file); },
        [self](http_event& e) { on_http_event(self, e); },
        [self](monitor_atom, caf::actor& a, std::string& who) { watch(self, a, std::move(who)); },
        [self](embed::cancel_atom) {
            auto& st = self->state;
            st.cancel_requested = true;
            if (st.installing)
                return; // the installer commits or rolls back on its own; wait for it
            finish(self, failed_outcome(130, core::error{core::errc::internal, "cancelled"}));
        },
    };
}

} // namespace session_detail

caf::actor spawn_session(caf::actor_system& sys, session_config config) {
    return sys.spawn<caf::detached>(session_detail::session_fn, std::move(config));
}

} // namespace actpip::actors
