#include "actpip/actors/gateway.hpp"

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/fetch_target.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/actors/remote_request.hpp"
#include "actpip/actors/resolution_wire.hpp"
#include "actpip/actors/resolver_actor.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/requirement.hpp"
#include "actpip/core/wheel_filename.hpp"
#include "actpip/storage/cache_budget.hpp"
#include "pin_warmer.hpp"
#include "tls_refusals.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/node_id.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <set>

namespace actpip::actors {

bool same_token(const std::string& expected, const std::string& given) {
    if (expected.empty() || expected.size() != given.size())
        return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return diff == 0;
}

bool is_plain_wheel_filename(const std::string& filename) {
    if (filename.empty() || filename.size() > 255 ||
        filename.find_first_of("/\\\0", 0, 3) != std::string::npos || filename.starts_with("."))
        return false;
    return core::parse_wheel_filename(filename).has_value();
}

namespace {

using clock = std::chrono::steady_clock;

// ---- the disk work, on threads of its own ----

using read_atom = caf::atom_constant<caf::atom("read")>;
using evict_atom = caf::atom_constant<caf::atom("evict")>;
using used_atom = caf::atom_constant<caf::atom("used")>;

struct evicted {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, evicted& x) {
    return f(caf::meta::type_name("actpip_evicted"), x.files, x.bytes);
}

using disk_worker_actor = caf::typed_actor<
    caf::replies_to<read_atom, std::string, std::uint64_t, std::uint32_t>::with<reply<std::string>>,
    caf::replies_to<evict_atom, std::uint64_t, std::vector<std::string>>::with<reply<evicted>>,
    caf::reacts_to<used_atom, std::string>>;

disk_worker_actor::behavior_type disk_worker(disk_worker_actor::pointer self,
                                             std::filesystem::path cache_dir) {
    guard_exceptions(self, "the gateway's disk worker");
    storage::cache_layout layout(std::move(cache_dir));
    return {
        [](read_atom, const std::string& path, std::uint64_t offset,
           std::uint32_t length) -> reply<std::string> {
            std::ifstream in(path, std::ios::binary);
            if (!in)
                return core::error{core::errc::io, "the wheel is no longer in the cache"};
            in.seekg(static_cast<std::streamoff>(offset));
            std::string bytes(length, '\0');
            in.read(bytes.data(), length);
            bytes.resize(static_cast<std::size_t>(in.gcount()));
            return bytes;
        },
        [layout](evict_atom, std::uint64_t budget,
                 const std::vector<std::string>& in_use) -> reply<evicted> {
            auto r = storage::evict_to_budget(layout, budget, {in_use.begin(), in_use.end()});
            if (!r)
                return std::move(r.error());
            return evicted{r->files, r->bytes};
        },
        [layout](used_atom, const std::string& sha256) { storage::mark_used(layout, sha256); },
    };
}

// ---- the gateway ----

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using gateway_impl = gateway_host_actor::extend<caf::reacts_to<tick_atom>>;

struct transfer {
    wire_file file; // to fetch it again if it was evicted meanwhile
    std::string path;
    std::string sha256;
    std::string filename;
    std::string client;
    std::uint64_t size = 0;
    std::uint64_t sent = 0;
    bool from_cache = false;
    clock::time_point opened;
    clock::time_point last;
};

struct gateway_state {
    gateway_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::shared_ptr<const fetch_service> service;
    gateway_options options;
    disk_worker_actor disk;
    std::map<std::string, std::uint32_t> in_flight; // by client
    std::map<std::uint64_t, transfer> transfers;
    std::multiset<std::string> preparing; // sha256 of wheels being found or downloaded
    std::mt19937_64 ids{std::random_device{}()};
    std::uint64_t sessions = 0;
    bool evicting = false;
    bool evict_again = false; // a wheel landed or was released during an eviction
    std::vector<caf::typed_response_promise<bool>> drains;
    // Providers for clients that resolve themselves, by target, least recently used first out.
    std::map<std::string, std::pair<data_provider_actor, std::uint64_t>> providers;
    std::uint64_t provider_uses = 0;
    static inline const char* name = "gateway";
};

using self_ptr = gateway_impl::stateful_pointer<gateway_state>;

std::string now_utc() {
    auto t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\', out += c;
        else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else
            out += c;
    }
    return out + "\"";
}

// One line per request: text (key=value) or JSON.
using log_fields = std::vector<std::pair<std::string, std::string>>;

// One line of the server's log: key=value pairs, or a JSON object with `json`.
std::string format_line(bool json, log_fields fields) {
    fields.insert(fields.begin(), {"time", now_utc()});
    std::string line;
    if (json) {
        line = "{";
        for (const auto& [k, v] : fields)
            line += (line.size() > 1 ? "," : "") + json_string(k) + ":" + json_string(v);
        line += "}";
    } else {
        for (const auto& [k, v] : fields) {
            bool quote = v.find_first_of(" \t\"") != std::string::npos || v.empty();
            line += (line.empty() ? "" : " ") + k + "=" + (quote ? json_string(v) : v);
        }
    }
    return line;
}

void log_line(self_ptr self, log_fields fields) {
    const auto& o = self->state.options;
    if (o.log)
        o.log(format_line(o.log_json, std::move(fields)));
}

std::string ms_since(clock::time_point t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t).count());
}

// Who sent the message being handled: the client's name and its node.
// "name@host#pid": the name the client gave and where its process runs (the node's host
// hash, shortened, and its process id), so that two processes on one machine are two
// clients. Read before make_response_promise(), which takes the sender away.
std::string client_of(self_ptr self, const std::string& name) {
    auto shown = name.substr(0, 64);
    if (shown.empty())
        shown = "anonymous";
    if (const auto& sender = self->current_sender(); sender && sender->node() != self->node()) {
        auto node = caf::to_string(sender->node());
        auto hash = node.find('#');
        shown += "@" + node.substr(0, std::min<std::size_t>(8, hash)) +
                 (hash == std::string::npos ? "" : node.substr(hash));
    }
    return shown;
}

// A refusal: logged with why, answered with what the client is told.
core::error refuse(self_ptr self, const std::string& client, const char* request, const char* why,
                   core::errc code, std::string told) {
    log_line(self, {{"client", client}, {"request", request}, {"result", "refused"}, {"why", why}});
    return core::error{code, std::move(told)};
}

// The checks every request passes before anything is done for it.
std::optional<core::error> admit(self_ptr self, const std::string& token, const std::string& client,
                                 const char* request) {
    auto& st = self->state;
    if (!st.options.token.empty() && !same_token(st.options.token, token))
        return refuse(self, client, request, "wrong token", core::errc::unsupported,
                      "the server refused this client: wrong or missing token");
    auto& n = st.in_flight[client];
    if (n >= st.options.max_in_flight)
        return refuse(self, client, request, "too many requests in flight", core::errc::busy,
                      "the server refused a request: too many in flight from this client");
    ++n;
    return std::nullopt;
}

void release(self_ptr self, const std::string& client) {
    auto& st = self->state;
    if (auto it = st.in_flight.find(client); it != st.in_flight.end() && --it->second == 0)
        st.in_flight.erase(it);
}

void check_drains(self_ptr self) {
    auto& st = self->state;
    if (!st.transfers.empty())
        return;
    for (auto& rp : st.drains)
        rp.deliver(true);
    st.drains.clear();
}

// The client's target with the server's own sources: a client says what fits its
// interpreter, never where to fetch from.
fetch_target server_side(self_ptr self, fetch_target t) {
    const auto& o = self->state.options;
    t.index_urls = o.index_urls;
    t.find_links = o.find_links;
    t.strategy = o.strategy;
    t.cache_mode = storage::cache_mode::normal;
    return t;
}

constexpr std::size_t max_items = 4096;
constexpr std::size_t max_text = 8192;

bool too_big(const std::vector<std::string>& items) {
    return items.size() > max_items || std::any_of(items.begin(), items.end(), [](const auto& s) {
               return s.size() > max_text;
           });
}

bool too_big(const fetch_target& t) {
    return too_big(t.index_urls) || too_big(t.find_links) || too_big(t.no_binary) ||
           too_big(t.only_binary) || too_big(t.interpreter.abis) ||
           too_big(t.interpreter.platforms) || t.markers.size() > 64 ||
           t.python_version.size() > 64;
}

std::string next_session(self_ptr self) {
    return "serve-" + std::to_string(++self->state.sessions);
}

void end_server_session(self_ptr self, const std::string& session) {
    // The service may have been shut down under a gateway still answering (in tests).
    if (self->state.service && self->state.service->pools)
        self->state.service->pools->end_session(caf::actor{}, session);
}

// ---- resolve ----

// Requirement lines a client sends: direct references are the client's to resolve.
core::result<std::vector<core::requirement>>
server_requirements(const std::vector<std::string>& lines) {
    std::vector<core::requirement> out;
    for (const auto& line : lines) {
        auto req = core::requirement::parse(line);
        if (!req)
            return std::unexpected(std::move(req.error()));
        if (req->url)
            return core::fail(core::errc::unsupported,
                              "a server does not resolve direct references (" + req->name + ")");
        out.push_back(std::move(*req));
    }
    return out;
}

core::result<std::pair<std::vector<core::requirement>, resolver::resolve_options>>
read_resolve(const remote_resolve& r, const fetch_target& target) {
    auto roots = server_requirements(r.requirements);
    if (!roots)
        return std::unexpected(std::move(roots.error()));
    resolver::resolve_options o;
    auto compiled = compile_target(target);
    if (!compiled)
        return std::unexpected(std::move(compiled.error()));
    o.environment = compiled->markers;
    o.python_version = compiled->policy.python_version;
    o.allow_prereleases = target.allow_prereleases;
    o.strategy = r.strategy;
    o.upgrade = r.upgrade;
    for (const auto& p : r.upgrade_packages)
        o.upgrade_packages.insert(core::normalize_name(p));
    o.force_reinstall = r.force_reinstall;
    o.no_deps = r.no_deps;
    auto constraints = server_requirements(r.constraints);
    if (!constraints)
        return std::unexpected(std::move(constraints.error()));
    o.constraints = std::move(*constraints);
    for (const auto& pin : r.installed) {
        auto eq = pin.find("==");
        auto v =
            eq == std::string::npos
                ? core::result<core::version>(core::fail(core::errc::invalid_version, "no version"))
                : core::version::parse(pin.substr(eq + 2));
        if (!v)
            return core::fail(core::errc::invalid_requirement, "a bad installed pin: " + pin);
        o.installed.push_back({core::normalize_name(pin.substr(0, eq)), *v});
    }
    return std::make_pair(std::move(*roots), std::move(o));
}

struct resolve_job {
    caf::typed_response_promise<reply<remote_resolution>> rp;
    std::string client;
    std::string session;
    clock::time_point started;
    data_provider_actor provider;
    resolver_actor resolver;
    caf::actor warmer;
    remote_resolution answer;
    std::size_t files_missing = 0;
    bool done = false;
};

void finish_resolve(self_ptr self, const std::shared_ptr<resolve_job>& job,
                    reply<remote_resolution> r) {
    if (job->done)
        return;
    job->done = true;
    log_line(self, {{"client", job->client},
                    {"request", "resolve"},
                    {"result", r ? (r->outcome.ok ? "ok" : "no-solution") : "error"},
                    {"pins", r ? std::to_string(r->outcome.pins.size()) : "0"},
                    {"ms", ms_since(job->started)}});
    job->rp.deliver(std::move(r));
    caf::anon_send_exit(job->resolver, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(job->provider, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(job->warmer, caf::exit_reason::user_shutdown);
    end_server_session(self, job->session);
    release(self, job->client);
}

void on_resolved(self_ptr self, const std::shared_ptr<resolve_job>& job,
                 resolution_outcome& outcome) {
    job->answer.outcome = std::move(outcome);
    if (!job->answer.outcome.ok)
        return finish_resolve(self, job, job->answer);
    for (const auto& pin : job->answer.outcome.pins)
        if (!pin.installed)
            ++job->files_missing;
    if (job->files_missing == 0)
        return finish_resolve(self, job, job->answer);
    for (const auto& pin : job->answer.outcome.pins) {
        if (pin.installed)
            continue;
        self->request(job->provider, std::chrono::minutes(10),
                      file_query{pin.name, pin.version, "", job->session})
            .then(
                [self, job](reply<wire_file>& f) {
                    if (!f)
                        return finish_resolve(self, job, std::move(f).error());
                    job->answer.files.push_back(std::move(*f));
                    if (--job->files_missing == 0)
                        finish_resolve(self, job, job->answer);
                },
                [self, job](caf::error& e) {
                    finish_resolve(self, job, from_caf(e, "the server's fetch provider"));
                });
    }
}

caf::typed_response_promise<reply<remote_resolution>> resolve(self_ptr self, remote_resolve& r) {
    auto client = client_of(self, r.client);
    auto asker = caf::actor_cast<caf::actor>(self->current_sender()); // before the promise
    auto rp = self->make_response_promise<reply<remote_resolution>>();
    if (auto refused = admit(self, r.token, client, "resolve")) {
        rp.deliver(reply<remote_resolution>(std::move(*refused)));
        return rp;
    }
    auto fail = [&](core::error e) {
        log_line(self, {{"client", client},
                        {"request", "resolve"},
                        {"result", "refused"},
                        {"why", e.message}});
        release(self, client);
        rp.deliver(reply<remote_resolution>(std::move(e)));
        return rp;
    };
    if (too_big(r.requirements) || too_big(r.constraints) || too_big(r.installed) ||
        too_big(r.upgrade_packages) || too_big(r.target))
        return fail(core::error{core::errc::unsupported, "the request is too large"});
    auto target = server_side(self, std::move(r.target));
    auto inputs = read_resolve(r, target);
    if (!inputs)
        return fail(std::move(inputs.error()));
    auto job = std::make_shared<resolve_job>();
    job->rp = rp;
    job->client = client;
    job->session = next_session(self);
    job->started = clock::now();
    auto& sys = self->system();
    job->provider = spawn_fetch_provider(sys, *self->state.service, std::move(target));
    // The pins' downloads start with the resolution, under a session of their own that the
    // resolution's end does not cancel: the client asks for those wheels next.
    std::map<std::string, core::version> installed;
    for (const auto& d : inputs->second.installed)
        installed.emplace(d.name, d.version);
    job->warmer =
        spawn_pin_warmer(sys, job->provider, self->state.service->download,
                         job->session + "-wheels", std::move(installed), std::move(asker));
    job->resolver = spawn_resolver(sys, std::move(inputs->first), std::move(inputs->second),
                                   job->provider, job->session, job->warmer);
    // A resolution is bounded (its requests have timeouts and retries of their own): this
    // guards against an actor that died holding the answer.
    self->request(job->resolver, std::chrono::minutes(30), resolve_atom::value)
        .then([self, job](resolution_outcome& o) { on_resolved(self, job, o); },
              [self, job](caf::error& e) {
                  finish_resolve(self, job, from_caf(e, "the server's resolver"));
              });
    return rp;
}

// ---- a client's own resolution: pages, metadata and files ----

constexpr std::size_t max_providers = 32;

// The provider of one target (the server's sources, the client's interpreter and rules): the
// files it lists are those a later `remote_file` names, so one target keeps one provider.
data_provider_actor provider_for(self_ptr self, fetch_target target) {
    auto& st = self->state;
    auto key = target_key(target);
    if (auto it = st.providers.find(key); it != st.providers.end()) {
        it->second.second = ++st.provider_uses;
        return it->second.first;
    }
    if (st.providers.size() >= max_providers) {
        auto oldest = std::min_element(
            st.providers.begin(), st.providers.end(),
            [](const auto& a, const auto& b) { return a.second.second < b.second.second; });
        caf::anon_send_exit(oldest->second.first, caf::exit_reason::user_shutdown);
        st.providers.erase(oldest);
    }
    auto p = spawn_fetch_provider(self->system(), *st.service, std::move(target));
    st.providers.emplace(std::move(key), std::make_pair(p, ++st.provider_uses));
    return p;
}

bool too_big(const std::string& name, const std::string& version, const std::string& session) {
    return name.size() > max_text || version.size() > max_text || session.size() > max_text;
}

// One question of a client's resolution, answered by the server's provider. A direct
// reference is the client's own: its URL could name a file on the server.
template <class Answer, class Request>
caf::typed_response_promise<reply<Answer>> ask_provider(self_ptr self, Request& r,
                                                        const char* request, std::string artifact) {
    auto client = client_of(self, r.client);
    auto rp = self->template make_response_promise<reply<Answer>>();
    if (auto refused = admit(self, r.token, client, request)) {
        rp.deliver(reply<Answer>(std::move(*refused)));
        return rp;
    }
    const char* why = nullptr;
    if (!r.query.url.empty())
        why = "a direct reference";
    else if (too_big(r.target) || too_big(r.query.name, artifact, r.query.session))
        why = "the request is too large";
    if (why || !self->state.service) {
        release(self, client);
        rp.deliver(reply<Answer>(refuse(
            self, client, request, why ? why : "shutting down", core::errc::unsupported,
            std::string("the server refused a question: ") + (why ? why : "it is shutting down"))));
        return rp;
    }
    auto provider = provider_for(self, server_side(self, std::move(r.target)));
    r.query.session = "serve-queries"; // a client's end cancels nothing of the server's crawl
    auto started = clock::now();
    self->request(provider, std::chrono::minutes(10), std::move(r.query))
        .then(
            [self, rp, client, request, artifact, started](reply<Answer>& a) mutable {
                log_line(self, {{"client", client},
                                {"request", request},
                                {"artifact", artifact.substr(0, 255)},
                                {"result", a ? "ok" : "error"},
                                {"ms", ms_since(started)}});
                release(self, client);
                rp.deliver(std::move(a));
            },
            [self, rp, client, request](caf::error& e) mutable {
                release(self, client);
                rp.deliver(reply<Answer>(from_caf(e, "the server's fetch provider")));
            });
    return rp;
}

// ---- wheels ----

void unguard(self_ptr self, const std::string& sha256) {
    auto& p = self->state.preparing;
    if (auto it = p.find(sha256); it != p.end())
        p.erase(it);
}

// The chunk asked for belongs to a transfer that is gone (dropped, or ended meanwhile).
void transfer_expired(self_ptr self, caf::typed_response_promise<reply<remote_chunk>>& rp,
                      const std::string& client) {
    release(self, client);
    rp.deliver(reply<remote_chunk>(core::error{core::errc::not_found, "the transfer expired"}));
}

void read_chunk(self_ptr self, caf::typed_response_promise<reply<remote_chunk>> rp,
                std::uint64_t id, std::string client, std::uint64_t offset, std::uint32_t length,
                bool refetched);

// The wheel of a transfer was evicted between two chunks (or before the first): fetched
// again (the same bytes: it is the same sha256), then the read goes on.
void refetch(self_ptr self, caf::typed_response_promise<reply<remote_chunk>> rp, std::uint64_t id,
             std::string client, std::uint64_t offset, std::uint32_t length) {
    auto& st = self->state;
    auto it = st.transfers.find(id);
    if (it == st.transfers.end())
        return transfer_expired(self, rp, client);
    auto sha = it->second.sha256;
    st.preparing.insert(sha);
    self->request(
            st.service->download, std::chrono::minutes(120),
            download_request{it->second.file, next_session(self), storage::cache_mode::normal})
        .then(
            [self, rp, id, client, offset, length, sha](reply<downloaded_wheel>& w) mutable {
                unguard(self, sha);
                auto it = self->state.transfers.find(id);
                if (!w || it == self->state.transfers.end() || w->wheel.sha256 != sha) {
                    release(self, client);
                    rp.deliver(reply<remote_chunk>(
                        w ? core::error{core::errc::not_found, "the wheel is gone"}
                          : std::move(w).error()));
                    return;
                }
                it->second.path = w->wheel.path;
                read_chunk(self, rp, id, client, offset, length, true);
            },
            [self, rp, client, sha](caf::error& e) mutable {
                unguard(self, sha);
                release(self, client);
                rp.deliver(reply<remote_chunk>(from_caf(e, "the server's download actor")));
            });
}

// Runs after a wheel came from upstream and after its transfer ended: the wheels being
// served cannot go, so an eviction during a busy install leaves them, and the one after the
// last transfer brings the cache back within its budget. One at a time; a trigger meanwhile
// runs another after it.
void keep_within_budget(self_ptr self) {
    auto& st = self->state;
    if (st.options.max_cache_bytes == 0)
        return;
    if (st.evicting) {
        st.evict_again = true;
        return;
    }
    st.evicting = true;
    st.evict_again = false;
    // In use: what is being served, and what is about to be.
    std::vector<std::string> in_use(st.preparing.begin(), st.preparing.end());
    for (const auto& [tid, tr] : st.transfers)
        in_use.push_back(tr.sha256);
    auto done = [self] {
        self->state.evicting = false;
        if (self->state.evict_again)
            keep_within_budget(self);
    };
    self->request(st.disk, std::chrono::minutes(10), evict_atom::value, st.options.max_cache_bytes,
                  std::move(in_use))
        .then(
            [self, done](reply<evicted>& r) {
                if (r && r->files > 0)
                    log_line(self, {{"request", "evict"},
                                    {"wheels", std::to_string(r->files)},
                                    {"bytes", std::to_string(r->bytes)}});
                else if (!r)
                    log_line(
                        self,
                        {{"request", "evict"}, {"result", "error"}, {"why", r.error().message}});
                done();
            },
            [self, done](caf::error& e) {
                log_line(self, {{"request", "evict"}, {"result", "error"}, {"why", describe(e)}});
                done();
            });
}

void open_transfer(self_ptr self, caf::typed_response_promise<reply<remote_transfer>> rp,
                   const std::string& client, const wire_file& file, const downloaded_wheel& w,
                   clock::time_point started) {
    auto& st = self->state;
    std::uint64_t id = 0;
    while (id == 0 || st.transfers.contains(id))
        id = st.ids();
    transfer t;
    t.file = file;
    t.path = w.wheel.path;
    t.sha256 = w.wheel.sha256;
    t.filename = file.filename;
    t.client = client;
    t.size = w.wheel.size;
    t.from_cache = w.requests == 0;
    t.opened = started;
    t.last = clock::now();
    st.transfers.emplace(id, t);
    self->send(st.disk, used_atom::value, w.wheel.sha256);
    rp.deliver(
        reply<remote_transfer>(remote_transfer{id, w.wheel.sha256, w.wheel.size, w.requests == 0}));
    if (!t.from_cache)
        keep_within_budget(self);
}

caf::typed_response_promise<reply<remote_transfer>> wheel(self_ptr self, remote_wheel_request& r) {
    auto client = client_of(self, r.client);
    auto rp = self->make_response_promise<reply<remote_transfer>>();
    if (auto refused = admit(self, r.token, client, "wheel")) {
        rp.deliver(reply<remote_transfer>(std::move(*refused)));
        return rp;
    }
    auto started = clock::now();
    auto fail = [self, rp, client, filename = r.filename](core::error e) mutable {
        log_line(self, {{"client", client},
                        {"request", "wheel"},
                        {"artifact", filename.substr(0, 255)},
                        {"result", "error"},
                        {"why", e.message}});
        release(self, client);
        rp.deliver(reply<remote_transfer>(std::move(e)));
    };
    if (!is_plain_wheel_filename(r.filename) ||
        (!r.sha256.empty() &&
         (r.sha256.size() != 64 ||
          r.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) ||
        r.name.size() > 255 || r.version.size() > 255 || too_big(r.target)) {
        fail(core::error{core::errc::invalid_filename,
                         "not a wheel this server can name: the file name or hash is malformed"});
        return rp;
    }
    auto target = server_side(self, std::move(r.target));
    auto session = next_session(self);
    auto st_service = self->state.service;
    self->request(st_service->index, std::chrono::minutes(10),
                  project_query{r.name, session, false, target})
        .then(
            [self, rp, client, fail, r, session, started](reply<project_answer>& a) mutable {
                if (!a)
                    return fail(std::move(a).error());
                const wire_file* found = nullptr;
                for (const auto& f : a->files)
                    if (f.filename == r.filename)
                        found = &f;
                if (!found)
                    return fail(core::error{core::errc::not_found,
                                            r.filename + " is not on the server's index"});
                auto listed = sha256_of(found->hashes);
                if (!r.sha256.empty() && !listed.empty() && listed != r.sha256)
                    return fail(core::error{core::errc::hash_mismatch,
                                            r.filename + ": the index lists sha256:" + listed +
                                                ", not sha256:" + r.sha256});
                auto file = *found;
                auto guarded = listed.empty() ? r.sha256 : listed;
                self->state.preparing.insert(guarded);
                self->request(self->state.service->download, std::chrono::minutes(120),
                              download_request{file, session, storage::cache_mode::normal})
                    .then(
                        [self, rp, client, fail, file, r, session, started,
                         guarded](reply<downloaded_wheel>& w) mutable {
                            unguard(self, guarded);
                            end_server_session(self, session);
                            if (!w)
                                return fail(std::move(w).error());
                            if (!r.sha256.empty() && w->wheel.sha256 != r.sha256)
                                return fail(core::error{core::errc::hash_mismatch,
                                                        r.filename + " is not sha256:" + r.sha256});
                            release(self, client);
                            open_transfer(self, rp, client, file, *w, started);
                        },
                        [self, fail, guarded](caf::error& e) mutable {
                            unguard(self, guarded);
                            fail(from_caf(e, "the server's download actor"));
                        });
            },
            [fail](caf::error& e) mutable { fail(from_caf(e, "the server's index actor")); });
    return rp;
}

void read_chunk(self_ptr self, caf::typed_response_promise<reply<remote_chunk>> rp,
                std::uint64_t id, std::string client, std::uint64_t offset, std::uint32_t length,
                bool refetched) {
    auto& st = self->state;
    auto it = st.transfers.find(id);
    if (it == st.transfers.end())
        return transfer_expired(self, rp, client);
    self->request(st.disk, std::chrono::minutes(5), read_atom::value, it->second.path, offset,
                  length)
        .then(
            [self, rp, id, client, offset, length, refetched](reply<std::string>& bytes) mutable {
                auto& st = self->state;
                auto it = st.transfers.find(id);
                if (!bytes && !refetched && it != st.transfers.end())
                    return refetch(self, rp, id, client, offset, length);
                release(self, client);
                if (!bytes || it == st.transfers.end()) {
                    rp.deliver(reply<remote_chunk>(
                        bytes ? core::error{core::errc::not_found, "the transfer expired"}
                              : std::move(bytes).error()));
                    return;
                }
                auto& t = it->second;
                t.sent = std::max(t.sent, offset + bytes->size());
                bool last = offset + bytes->size() >= t.size;
                rp.deliver(reply<remote_chunk>(remote_chunk{std::move(*bytes), last}));
                if (last) {
                    log_line(self, {{"client", t.client},
                                    {"request", "wheel"},
                                    {"artifact", t.filename},
                                    {"source", t.from_cache ? "cache" : "upstream"},
                                    {"bytes", std::to_string(t.size)},
                                    {"ms", ms_since(t.opened)},
                                    {"result", "ok"}});
                    bool upstream = !t.from_cache;
                    st.transfers.erase(it);
                    if (upstream)
                        keep_within_budget(self);
                    check_drains(self);
                }
            },
            [self, rp, client](caf::error& e) mutable {
                release(self, client);
                rp.deliver(reply<remote_chunk>(from_caf(e, "the server's disk worker")));
            });
}

caf::typed_response_promise<reply<remote_chunk>> chunk(self_ptr self, remote_chunk_request& r) {
    auto& st = self->state;
    auto it = st.transfers.find(r.transfer);
    auto client = it == st.transfers.end() ? client_of(self, "") : it->second.client;
    auto rp = self->make_response_promise<reply<remote_chunk>>();
    if (auto refused = admit(self, r.token, client, "chunk")) {
        rp.deliver(reply<remote_chunk>(std::move(*refused)));
        return rp;
    }
    if (it == st.transfers.end() || r.offset > it->second.size) {
        release(self, client);
        rp.deliver(reply<remote_chunk>(
            core::error{core::errc::not_found, "no such transfer (it may have expired)"}));
        return rp;
    }
    auto length = std::min<std::uint32_t>(std::min<std::uint32_t>(r.length, remote_max_chunk),
                                          static_cast<std::uint32_t>(it->second.size - r.offset));
    it->second.last = clock::now();
    read_chunk(self, rp, r.transfer, client, r.offset, length, false);
    return rp;
}

gateway_impl::behavior_type gateway(self_ptr self, std::shared_ptr<const fetch_service> service,
                                    gateway_options options) {
    guard_exceptions(self, "the gateway");
    auto& st = self->state;
    st.service = std::move(service);
    st.options = std::move(options);
    st.disk = self->spawn<caf::detached + caf::linked>(disk_worker, st.options.cache_dir);
    // Only a local exit message ends the gateway: a client cannot shut the server down.
    self->set_exit_handler([self](caf::exit_msg& m) {
        if (m.source && m.source.node() != self->node()) {
            log_line(self, {{"request", "exit"},
                            {"result", "refused"},
                            {"why", "an exit message from a client"}});
            return;
        }
        for (auto& [key, p] : self->state.providers)
            caf::anon_send_exit(p.first, caf::exit_reason::user_shutdown);
        self->state.providers.clear();
        self->quit(m.reason);
    });
    // Anything else a client sends is dropped (and said once per message).
    self->set_default_handler(
        [self](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
            log_line(self, {{"client", client_of(self, "")},
                            {"request", "unknown"},
                            {"result", "refused"},
                            {"why", "not a message of the remote protocol"}});
            return caf::make_error(caf::sec::unexpected_message);
        });
    self->delayed_send(self, std::chrono::seconds(10), tick_atom::value);
    return {
        [self](remote_versions& r) {
            auto what = r.query.name;
            return ask_provider<versions_answer>(self, r, "versions", std::move(what));
        },
        [self](remote_metadata& r) {
            auto what = r.query.name + "==" + r.query.version;
            return ask_provider<metadata_answer>(self, r, "metadata", std::move(what));
        },
        [self](remote_file& r) {
            auto what = r.query.name + "==" + r.query.version;
            return ask_provider<wire_file>(self, r, "file", std::move(what));
        },
        [self](remote_hello& h) -> reply<remote_welcome> {
            auto client = client_of(self, h.client);
            if (auto refused = admit(self, h.token, client, "hello"))
                return std::move(*refused);
            release(self, client);
            if (h.protocol != remote_protocol_version) {
                log_line(self, {{"client", client},
                                {"request", "hello"},
                                {"result", "refused"},
                                {"why", "protocol " + std::to_string(h.protocol)}});
                return core::error{core::errc::unsupported,
                                   "the server speaks protocol " +
                                       std::to_string(remote_protocol_version) + ", this client " +
                                       std::to_string(h.protocol)};
            }
            log_line(self, {{"client", client}, {"request", "hello"}, {"result", "ok"}});
            const auto& o = self->state.options;
            return remote_welcome{"actpip",
                                  remote_protocol_version,
                                  masked_sources(o.index_urls),
                                  masked_sources(o.find_links),
                                  o.strategy,
                                  o.max_in_flight};
        },
        [self](remote_resolve& r) { return resolve(self, r); },
        [self](remote_wheel_request& r) { return wheel(self, r); },
        [self](remote_chunk_request& r) { return chunk(self, r); },
        [self](drain_atom) -> caf::typed_response_promise<bool> {
            auto rp = self->make_response_promise<bool>();
            self->state.drains.push_back(rp);
            check_drains(self);
            return rp;
        },
        [self](tick_atom) {
            auto& st = self->state;
            auto now = clock::now();
            auto dropped = std::erase_if(st.transfers, [&](const auto& entry) {
                bool idle = now - entry.second.last > st.options.transfer_idle;
                if (idle)
                    log_line(self, {{"client", entry.second.client},
                                    {"request", "wheel"},
                                    {"artifact", entry.second.filename},
                                    {"result", "abandoned"},
                                    {"bytes", std::to_string(entry.second.sent)}});
                return idle;
            });
            if (dropped > 0)
                keep_within_budget(self);
            check_drains(self);
            self->delayed_send(self, std::chrono::seconds(10), tick_atom::value);
        },
    };
}

} // namespace

gateway_host_actor spawn_gateway(caf::actor_system& sys,
                                 std::shared_ptr<const fetch_service> service,
                                 gateway_options options) {
    return caf::actor_cast<gateway_host_actor>(
        sys.spawn(gateway, std::move(service), std::move(options)));
}

namespace {

caf::expected<std::uint16_t> publish(caf::actor_system& sys, const gateway_host_actor& g,
                                     std::uint16_t port, const std::string& host, bool tls) {
    auto published = caf::actor_cast<gateway_actor>(g);
    return tls ? caf::openssl::publish(published, port, host.c_str(), true)
               : sys.middleman().publish(published, port, host.c_str(), true);
}

struct supervisor_state {
    supervisor_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::shared_ptr<const fetch_service> service;
    gateway_options options;
    std::string host;
    std::uint16_t port = 0;
    bool tls = false;
    gateway_host_actor gateway;
    bool stopping = false;
    static inline const char* name = "gateway_supervisor";
};

using supervisor_ptr = caf::stateful_actor<supervisor_state>*;

void stop_gateway(supervisor_ptr self) {
    auto& st = self->state;
    if (!st.gateway)
        return;
    self->demonitor(st.gateway.address());
    self->system().middleman().unpublish(caf::actor_cast<gateway_actor>(st.gateway), st.port);
    self->send_exit(st.gateway, caf::exit_reason::user_shutdown);
    st.gateway = nullptr;
}

caf::behavior supervisor(supervisor_ptr self, gateway_host_actor first,
                         std::shared_ptr<const fetch_service> service, gateway_options options,
                         std::string host, std::uint16_t port, bool tls) {
    guard_exceptions(self, "the gateway's supervisor");
    auto& st = self->state;
    st.service = std::move(service);
    st.options = std::move(options);
    st.host = std::move(host);
    st.port = port;
    st.tls = tls;
    st.gateway = std::move(first);
    self->monitor(st.gateway);
    self->set_down_handler([self](caf::down_msg& dm) {
        auto& st = self->state;
        if (st.stopping || dm.source != st.gateway.address())
            return;
        if (st.options.log)
            st.options.log("gateway stopped (" + describe(dm.reason) +
                           "): a new one is published on the same port");
        self->system().middleman().unpublish(caf::actor_cast<gateway_actor>(st.gateway), st.port);
        st.gateway = spawn_gateway(self->system(), st.service, st.options);
        self->monitor(st.gateway);
        if (auto p = publish(self->system(), st.gateway, st.port, st.host, st.tls);
            !p && st.options.log)
            st.options.log("cannot publish the gateway again: " + describe(p.error()));
    });
    self->set_exit_handler([self](caf::exit_msg& m) {
        self->state.stopping = true;
        stop_gateway(self);
        self->quit(m.reason);
    });
    return {
        [self](drain_atom) {
            // A shutdown: no new client from now on, the transfers in progress may finish.
            auto& st = self->state;
            st.stopping = true;
            if (st.gateway)
                self->system().middleman().unpublish(caf::actor_cast<gateway_actor>(st.gateway),
                                                     st.port);
            auto rp = self->make_response_promise();
            if (!self->state.gateway) {
                rp.deliver(true);
                return rp;
            }
            self->request(self->state.gateway, caf::infinite, drain_atom::value)
                .then([rp](bool done) mutable { rp.deliver(done); },
                      [rp](caf::error&) mutable { rp.deliver(true); });
            return rp;
        },
    };
}

} // namespace

core::result<published_gateway> publish_gateway(caf::actor_system& sys,
                                                std::shared_ptr<const fetch_service> service,
                                                gateway_options options, std::string host,
                                                std::uint16_t port, bool tls) {
    // A peer refused by the TLS handshake never reaches the gateway: logged from there.
    if (tls && options.log)
        watch_tls_refusals([log = options.log, json = options.log_json](const std::string& peer,
                                                                        const std::string& why) {
            log(format_line(json, {{"client", peer},
                                   {"request", "connect"},
                                   {"result", "refused"},
                                   {"why", "TLS handshake failed: " + why}}));
        });
    auto first = spawn_gateway(sys, service, options);
    auto bound = publish(sys, first, port, host, tls);
    if (!bound) {
        caf::anon_send_exit(first, caf::exit_reason::user_shutdown);
        return core::fail(core::errc::network, "cannot listen on " + host + ":" +
                                                   std::to_string(port) + ": " +
                                                   sys.render(bound.error()));
    }
    auto sup = sys.spawn<caf::detached>(supervisor, first, std::move(service), std::move(options),
                                        std::move(host), *bound, tls);
    return published_gateway{sup, *bound};
}

} // namespace actpip::actors
