// The session: one job. It prepares the sources and the target, opens connections to the
// indexes while the interpreter is probed, spawns the fetch side, a tap in front of its
// provider and the resolver. Every version the resolver asks metadata for is a (tentative)
// pin: its download starts at once, so wheels arrive while the resolution goes on. When the
// resolution is final and its wheels are there, the plan goes to the installer.

#include "actpip/actors/download_actor.hpp"
#include "actpip/actors/fetch_provider.hpp"
#include "actpip/actors/installer.hpp"
#include "actpip/actors/job_setup.hpp"
#include "actpip/actors/resolver_actor.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/version.hpp"
#include "actpip/embed.hpp"
#include "actpip/net/client.hpp"
#include "actpip/net/event.hpp"
#include "actpip/net/url.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "session_files.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <deque>
#include <map>
#include <set>

namespace actpip::embed {

namespace fs = std::filesystem;
using actors::data_provider_actor;
using actors::metadata_answer;
using actors::metadata_query;
using actors::versions_answer;
using actors::versions_query;
using actors::wire_file;
using actors::session_wheel;
using actors::describe_resolution;
using actors::verify_user_hashes;
using actors::copy_downloads;
using actors::install_item_for;
using actors::unpacked_dir_of;
using actors::dashed_to_pinned;

namespace {

using pinned_atom = caf::atom_constant<caf::atom("pinned")>;
using clock = std::chrono::steady_clock;

// The tap: the resolver's provider, forwarding to the fetch side and telling the session
// what the resolver asked (a metadata question for a version is a tentative pin) and what
// the answers were (for yanked warnings and the report).
struct tap_state {
    tap_state() = default;
    static inline const char* name = "session_tap";
};

data_provider_actor::behavior_type tap(data_provider_actor::stateful_pointer<tap_state> self,
                                       data_provider_actor provider, caf::actor session) {
    return {
        [self, provider, session](versions_query& q) {
            auto rp = self->make_response_promise<versions_answer>();
            self->request(provider, caf::infinite, q)
                .then(
                    [session, rp](versions_answer& a) mutable {
                        caf::anon_send(session, a);
                        rp.deliver(std::move(a));
                    },
                    [rp](caf::error& e) mutable { rp.deliver(e); });
            return rp;
        },
        [self, provider, session](metadata_query& q) {
            if (!q.prefetch)
                caf::anon_send(session, pinned_atom::value, q.name, q.version, q.url);
            auto rp = self->make_response_promise<metadata_answer>();
            self->request(provider, caf::infinite, q)
                .then(
                    [session, rp](metadata_answer& a) mutable {
                        caf::anon_send(session, a);
                        rp.deliver(std::move(a));
                    },
                    [rp](caf::error& e) mutable { rp.deliver(e); });
            return rp;
        },
    };
}

struct download_slot {
    wire_file file;
    bool done = false;
    actors::download_result result;
    bool unpacking = false; // a session worker is unpacking it into the cache
    bool unpacked = false;  // its tree is in the cache
};

struct session_state {
    session_state() = default;
    static inline const char* name = "actpip_session";

    job_options options;
    caf::actor listener;
    std::string id;
    clock::time_point started = clock::now();
    clock::time_point resolved_at;

    actors::job_sources sources;
    actors::job_target target;
    std::shared_ptr<net::client> client;
    actors::fetch_side side;
    data_provider_actor tap;
    actors::resolver_actor resolver;
    actors::installer_actor installer;
    std::vector<actors::unpack_worker_actor> unpackers; // unpack each wheel as it lands
    std::vector<bool> unpacker_busy;                     // one order at a time each, so
    std::deque<std::string> unpack_queue;                // nothing is queued at a worker

    std::set<std::string> seen_names;
    std::map<std::string, metadata_answer> metadata;    // by key_of
    std::map<std::string, std::set<std::string>> yanked; // name -> versions
    std::map<std::string, download_slot> downloads;     // by pin_key
    std::map<std::string, std::string> download_names;  // URL -> file name
    std::map<std::string, wire_file> files;             // by key_of (pins' files)

    std::optional<actors::resolution_outcome> resolution;
    bool installing = false;
    bool cancel_requested = false;
    bool finished = false;
    std::vector<std::string> warnings;
};

using self_ptr = caf::stateful_actor<session_state>*;

void event(self_ptr self, progress_event e) {
    e.elapsed = std::chrono::duration<double>(clock::now() - self->state.started).count();
    if (self->state.listener)
        self->send(self->state.listener, std::move(e));
}

void cleanup(self_ptr self) {
    auto& st = self->state;
    if (st.resolver)
        caf::anon_send_exit(st.resolver, caf::exit_reason::user_shutdown);
    if (st.tap)
        caf::anon_send_exit(st.tap, caf::exit_reason::user_shutdown);
    if (st.installer)
        caf::anon_send_exit(st.installer, caf::exit_reason::user_shutdown);
    for (auto& u : st.unpackers)
        caf::anon_send_exit(u, caf::exit_reason::user_shutdown);
    st.unpackers.clear();
    st.unpacker_busy.clear();
    st.resolver = nullptr;
    st.tap = nullptr;
    st.installer = nullptr;
    st.side.shutdown();
    st.client.reset();
    if (!st.sources.scratch.empty()) {
        std::error_code ec;
        fs::remove_all(st.sources.scratch, ec);
    }
}

void finish(self_ptr self, job_outcome outcome) {
    auto& st = self->state;
    if (st.finished)
        return;
    st.finished = true;
    outcome.warnings.insert(outcome.warnings.begin(), st.warnings.begin(), st.warnings.end());
    for (const auto& [k, v] : st.target.markers.values)
        outcome.environment.emplace_back(k, v);
    if (st.resolution) {
        outcome.resolve_seconds =
            std::chrono::duration<double>(st.resolved_at - st.started).count();
        outcome.resolution = describe_resolution(*st.resolution, st.sources, st.metadata,
                                                 st.files, st.yanked);
        for (auto& d : outcome.resolution) {
            auto it = st.downloads.find(actors::pin_key(d.name, d.version));
            if (it != st.downloads.end() && d.url.empty()) {
                d.url = it->second.file.url;
                d.filename = it->second.file.filename;
            }
            if (it != st.downloads.end() && it->second.done && it->second.result.ok) {
                d.sha256 = it->second.result.wheel.sha256;
                d.local_path = it->second.result.wheel.path;
                if (st.options.kind == job_kind::download)
                    d.local_path = (fs::path(st.options.download_dir) / d.filename).string();
            }
        }
    }
    cleanup(self);
    if (st.listener)
        self->send(st.listener, std::move(outcome));
    self->quit();
}

job_outcome failed(int code, const core::error& e) {
    job_outcome o;
    o.exit_code = code;
    o.error = e.describe();
    o.hints = e.hints;
    return o;
}

void check_complete(self_ptr self);
void unpack(self_ptr self, const std::string& key);

void start_download(self_ptr self, const wire_file& file) {
    auto& st = self->state;
    auto key = actors::pin_key(file.name, file.version);
    if (st.downloads.contains(key))
        return;
    st.downloads[key].file = file;
    st.download_names[file.url] = file.filename;
    event(self, progress_event{progress_event::kind::download_started, file.filename, {}, 0, 0,
                               0, 0, false});
    self->request(st.side.download, caf::infinite, actors::download_request{file, st.id})
        .then(
            [self, key](actors::download_result& r) {
                auto& slot = self->state.downloads[key];
                slot.result = std::move(r);
                if (slot.result.ok)
                    event(self, progress_event{progress_event::kind::download_finished,
                                               slot.file.filename, {}, slot.result.wheel.size,
                                               slot.result.wheel.size, 0, 0,
                                               slot.result.requests == 0});
                slot.done = true;
                if (slot.result.ok && !self->state.unpackers.empty())
                    unpack(self, key);
                check_complete(self);
            },
            [self, key](caf::error& e) {
                auto& slot = self->state.downloads[key];
                slot.done = true;
                slot.result.error = core::error{core::errc::internal, caf::to_string(e)};
                check_complete(self);
            });
}

// Installing links files out of the unpacked cache: unpacking while other wheels are still
// downloading takes it off the critical path (an unpacked tree is reused by the installer).
void pump_unpacks(self_ptr self);

void unpack(self_ptr self, const std::string& key) {
    self->state.unpack_queue.push_back(key);
    pump_unpacks(self);
}

void pump_unpacks(self_ptr self) {
    auto& st = self->state;
    for (std::size_t w = 0; w < st.unpackers.size() && !st.unpack_queue.empty(); ++w) {
        if (st.unpacker_busy[w])
            continue;
        auto key = st.unpack_queue.front();
        st.unpack_queue.pop_front();
        auto& slot = st.downloads[key];
        slot.unpacking = true;
        st.unpacker_busy[w] = true;
        actors::unpack_order order{
            slot.result.wheel.path,
            (fs::path(unpacked_dir_of(st.sources)) / slot.result.wheel.sha256).string(),
            slot.file.filename};
        auto done = [self, key, w](bool ok, core::error error) {
            auto& st = self->state;
            auto& slot = st.downloads[key];
            slot.unpacking = false;
            slot.unpacked = ok;
            if (w < st.unpacker_busy.size())
                st.unpacker_busy[w] = false;
            // Once the plan is sent the installer unpacks (and judges) the rest itself.
            if (st.installing)
                return;
            if (!ok) {
                slot.result.ok = false;
                slot.result.error =
                    std::move(error).add_context("while unpacking " + slot.file.filename);
                check_complete(self);
                return;
            }
            pump_unpacks(self);
        };
        self->request(st.unpackers[w], caf::infinite, std::move(order))
            .then([done](actors::unpack_answer& a) { done(a.ok, std::move(a.error)); },
                  [done](caf::error& e) {
                      done(false, core::error{core::errc::internal, caf::to_string(e)});
                  });
    }
}

// The file of name==version: from its URL, else from the index actor's (cached) answer.
void with_file(self_ptr self, const std::string& name, const std::string& version,
               const std::string& url, std::function<void(core::result<wire_file>)> then) {
    if (!url.empty()) {
        then(actors::wire_file_for_url(name, url));
        return;
    }
    auto& st = self->state;
    self->request(st.side.index, caf::infinite, actors::project_query{name, st.id, false})
        .then(
            [name, version, then](actors::project_answer& a) {
                auto want = core::version::parse(version);
                for (auto& f : a.files) {
                    auto v = core::version::parse(f.version);
                    if (v && want && *v == *want) {
                        then(std::move(f));
                        return;
                    }
                }
                then(core::fail(core::errc::not_found,
                                "no file of " + name + " " + version + " on the index"));
            },
            [then](caf::error& e) {
                then(core::fail(core::errc::internal, caf::to_string(e)));
            });
}

bool is_installed(const session_state& st, const std::string& name, const std::string& version) {
    if (st.options.force_reinstall)
        return false;
    auto n = core::normalize_name(name);
    auto v = core::version::parse(version);
    for (const auto& d : st.target.installed)
        if (d.name == n && v && d.version == *v)
            return true;
    return false;
}

void on_pinned(self_ptr self, const std::string& name, const std::string& version,
               const std::string& url) {
    auto& st = self->state;
    if (st.seen_names.insert(core::normalize_name(name)).second)
        event(self, progress_event{progress_event::kind::resolving, name, {}, 0, 0,
                                   st.seen_names.size(), 0, false});
    if (st.options.kind == job_kind::resolve || st.resolution || is_installed(st, name, version))
        return;
    if (st.downloads.contains(actors::pin_key(name, version)))
        return;
    with_file(self, name, version, url, [self](core::result<wire_file> f) {
        if (f && !self->state.finished)
            start_download(self, *f);
    });
}

void run_install(self_ptr self, std::vector<actors::install_item> items);

void check_complete(self_ptr self) {
    auto& st = self->state;
    if (st.finished || !st.resolution || st.installing)
        return;
    if (st.options.kind == job_kind::resolve) {
        auto wanted = std::count_if(st.resolution->pins.begin(), st.resolution->pins.end(),
                                    [](const auto& pin) { return !pin.installed; });
        if (st.files.size() == static_cast<std::size_t>(wanted))
            finish(self, job_outcome{});
        return;
    }
    std::vector<session_wheel> wheels;
    for (const auto& pin : st.resolution->pins) {
        if (pin.installed)
            continue;
        auto it = st.downloads.find(actors::pin_key(pin.name, pin.version));
        if (it == st.downloads.end() || !it->second.done)
            return; // more to come
        if (!it->second.result.ok) {
            finish(self, failed(1, it->second.result.error));
            return;
        }
        wheels.push_back({it->second.file, it->second.result.wheel});
    }
    if (auto r = verify_user_hashes(st.sources, wheels); !r) {
        finish(self, failed(1, r.error()));
        return;
    }
    if (st.options.kind == job_kind::download) {
        auto copied = copy_downloads(wheels, st.options.download_dir);
        if (!copied) {
            finish(self, failed(1, copied.error()));
            return;
        }
        finish(self, job_outcome{});
        return;
    }
    // The plan goes out as soon as every wheel is downloaded: the installer stages each
    // wheel as its tree is ready. Trees already unpacked come first, those a session worker
    // is still unpacking last (the installer would otherwise unpack them a second time).
    auto order = [&st](const session_wheel& w) {
        const auto& slot = st.downloads[actors::pin_key(w.file.name, w.file.version)];
        return slot.unpacked ? 0 : slot.unpacking ? 2 : 1;
    };
    std::stable_sort(wheels.begin(), wheels.end(),
                     [&](const session_wheel& a, const session_wheel& b) {
                         return order(a) < order(b);
                     });
    std::vector<actors::install_item> items;
    for (const auto& w : wheels)
        items.push_back(install_item_for(w, st.sources));
    if (items.empty()) {
        finish(self, job_outcome{});
        return;
    }
    run_install(self, std::move(items));
}

void run_install(self_ptr self, std::vector<actors::install_item> items) {
    auto& st = self->state;
    st.installing = true;
    // Unpacks not started are left to the installer's workers; a running one finishes.
    st.unpack_queue.clear();
    actors::install_plan plan;
    plan.wheels = std::move(items);
    plan.environment = st.target.environment;
    plan.unpacked_dir = unpacked_dir_of(st.sources);
    plan.interpreter_cache_dir = st.target.interpreter_cache_dir;
    plan.link_mode = st.options.link_mode;
    plan.compile = st.options.compile;
    event(self, progress_event{progress_event::kind::installing, {}, {}, 0, 0, plan.wheels.size(),
                               0, false});
    auto begun = clock::now();
    st.installer = actors::spawn_installer(self->system(), actors::installer_config{2});
    self->request(st.installer, caf::infinite, std::move(plan))
        .then(
            [self, begun](actors::install_result& r) {
                if (!r.ok) {
                    finish(self, failed(1, r.error));
                    return;
                }
                job_outcome o;
                o.install_seconds = std::chrono::duration<double>(clock::now() - begun).count();
                o.installed = dashed_to_pinned(r.installed);
                o.removed = dashed_to_pinned(r.removed);
                event(self, progress_event{progress_event::kind::installed, {}, {}, 0, 0,
                                           o.installed.size(), o.install_seconds, false});
                if (self->state.cancel_requested)
                    o.warnings.push_back("interrupted after the installation was committed");
                finish(self, std::move(o));
            },
            [self](caf::error& e) {
                finish(self, failed(1, core::error{core::errc::internal,
                                                   "installer failed: " + caf::to_string(e)}));
            });
}

void on_resolution(self_ptr self, actors::resolution_outcome& outcome) {
    auto& st = self->state;
    st.resolved_at = clock::now();
    st.resolution = std::move(outcome);
    const auto& r = *st.resolution;
    if (!r.ok) {
        job_outcome o;
        o.exit_code = 1;
        o.error = r.explanation;
        while (!o.error.empty() && (o.error.back() == '\n' || o.error.back() == ' '))
            o.error.pop_back();
        o.hints = r.hints;
        st.resolution.reset(); // nothing resolved to report
        finish(self, std::move(o));
        return;
    }
    event(self, progress_event{progress_event::kind::resolved, {}, {}, 0, 0, r.pins.size(),
                               std::chrono::duration<double>(st.resolved_at - st.started).count(),
                               false});
    for (const auto& pin : r.pins) {
        auto key = actors::pin_key(pin.name, pin.version);
        if (auto it = st.yanked.find(core::normalize_name(pin.name));
            it != st.yanked.end() && it->second.contains(key))
            st.warnings.push_back("the selected version " + key +
                                  " is yanked; pin another version to avoid it");
        if (pin.installed)
            continue;
        with_file(self, pin.name, pin.version, pin.url, [self, key](core::result<wire_file> f) {
            auto& st = self->state;
            if (st.finished)
                return;
            if (!f) {
                finish(self, failed(1, f.error()));
                return;
            }
            st.files[key] = *f;
            if (st.options.kind != job_kind::resolve)
                start_download(self, *f);
            check_complete(self);
        });
    }
    check_complete(self);
}

caf::behavior session_fn(self_ptr self, job_options options, caf::actor listener) {
    auto& st = self->state;
    st.options = std::move(options);
    st.listener = std::move(listener);
    static std::atomic<unsigned> counter{0};
    st.id = "job-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);

    auto stop_now = [self](job_outcome o) {
        finish(self, std::move(o));
        return caf::behavior{[](caf::unit_t) {}};
    };

    auto sources = actors::prepare_sources(st.options, storage::process_environment());
    if (!sources)
        return stop_now(failed(sources.error().usage ? 2 : 1, sources.error().error));
    st.sources = std::move(*sources);
    if (auto r = actors::check_hash_requirements(st.sources); !r)
        return stop_now(failed(1, r.error()));

    // Rule 3: connections to the indexes open while the interpreter is probed.
    auto client = net::client::create(st.sources.client);
    if (!client)
        return stop_now(failed(1, client.error()));
    st.client = std::shared_ptr<net::client>(std::move(*client));
    if (!st.options.offline)
        for (const auto& u : st.sources.index_urls)
            if (auto parsed = net::url::parse(u))
                st.client->preconnect(*parsed, 16);

    auto target = actors::prepare_target(st.options, st.sources);
    if (!target)
        return stop_now(failed(target.error().usage ? 2 : 1, target.error().error));
    st.target = std::move(*target);

    if (st.options.kind == job_kind::install)
        for (std::size_t i = 0; i < 2; ++i) { // more contend in the kernel (measured: slower)
            st.unpackers.push_back(actors::spawn_unpack_worker(self->system(), i));
            st.unpacker_busy.push_back(false);
        }
    auto fetch = actors::make_fetch_options(st.options, st.sources, st.target);
    st.side = actors::spawn_fetch_side(self->system(), st.client, fetch);
    if (st.listener) // progress of downloads and retries, for the reporter
        st.side.pools->subscribe_all(caf::actor_cast<caf::actor>(self));
    st.tap = self->spawn(tap, st.side.provider, caf::actor_cast<caf::actor>(self));
    st.resolver = actors::spawn_resolver(
        self->system(), st.sources.requirements,
        actors::make_resolve_options(st.options, st.sources, st.target), st.tap, st.id);
    self->request(st.resolver, caf::infinite, actors::resolve_atom::value)
        .then([self](actors::resolution_outcome& r) { on_resolution(self, r); },
              [self](caf::error& e) {
                  finish(self, failed(1, core::error{core::errc::internal,
                                                     "resolver failed: " + caf::to_string(e)}));
              });

    return {
        [self](pinned_atom, std::string& name, std::string& version, std::string& url) {
            on_pinned(self, name, version, url);
        },
        [self](metadata_answer& a) {
            self->state.metadata.insert_or_assign(actors::pin_key(a.name, a.version), std::move(a));
        },
        [self](actors::http_event& e) {
            auto& st = self->state;
            if (e.session != st.id || st.finished)
                return;
            auto kind = static_cast<net::event_kind>(e.kind);
            if (kind == net::event_kind::bytes_received) {
                auto it = st.download_names.find(e.url);
                if (it != st.download_names.end())
                    event(self, progress_event{progress_event::kind::download_progress, it->second,
                                               {}, e.bytes, e.total, 0, 0, false});
            } else if (kind == net::event_kind::retrying) {
                event(self, progress_event{progress_event::kind::warning, e.url,
                                           "retrying " + e.url + (e.detail.empty() ? "" : ": ") +
                                               e.detail,
                                           0, 0, 0, 0, false});
            }
        },
        [self](versions_answer& a) {
            auto& st = self->state;
            for (auto& w : a.warnings)
                if (std::find(st.warnings.begin(), st.warnings.end(), w) == st.warnings.end())
                    st.warnings.push_back(std::move(w));
            auto& yanked = self->state.yanked[core::normalize_name(a.name)];
            for (const auto& c : a.candidates)
                if (c.yanked)
                    yanked.insert(actors::pin_key(a.name, c.version));
        },
        [self](cancel_atom) {
            auto& st = self->state;
            st.cancel_requested = true;
            if (st.installing)
                return; // the installer commits or rolls back on its own; wait for it
            finish(self, failed(130, core::error{core::errc::internal, "cancelled"}));
        },
    };
}

} // namespace

caf::actor spawn_job(caf::actor_system& sys, job_options options, caf::actor listener) {
    return sys.spawn<caf::detached>(session_fn, std::move(options), std::move(listener));
}

} // namespace actpip::embed
