// A gateway's resolutions (the server resolves with its warm fetch side, starting the pins'
// downloads and telling the asker of each as it goes) and the questions of a client that
// resolves itself (pages, metadata, files, from one provider per target).

#include "gateway_state.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/fetch_target.hpp"
#include "actpip/actors/resolver_actor.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/requirement.hpp"
#include "pin_warmer.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace actpip::actors::gateway_detail {

namespace {

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
                    // The warmer started the tentative pins' downloads; one whose file it had
                    // not learnt yet when it is stopped (with the answer) starts here. The
                    // download actor joins the same wheel's download if it is running.
                    self->request(self->state.service->download, caf::infinite,
                                  download_request{*f, job->session + "-wheels",
                                                   storage::cache_mode::normal})
                        .then([](reply<downloaded_wheel>&) {}, [](caf::error&) {});
                    job->answer.files.push_back(std::move(*f));
                    if (--job->files_missing == 0)
                        finish_resolve(self, job, job->answer);
                },
                [self, job](caf::error& e) {
                    finish_resolve(self, job, from_caf(e, "the server's fetch provider"));
                });
    }
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

bool too_long(const std::string& name, const std::string& version, const std::string& session) {
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
    else if (too_big(r.target) || too_long(r.query.name, artifact, r.query.session))
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

} // namespace

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

caf::typed_response_promise<reply<versions_answer>> ask_versions(self_ptr self,
                                                                 remote_versions& r) {
    auto what = r.query.name;
    return ask_provider<versions_answer>(self, r, "versions", std::move(what));
}

caf::typed_response_promise<reply<metadata_answer>> ask_metadata(self_ptr self,
                                                                 remote_metadata& r) {
    auto what = r.query.name + "==" + r.query.version;
    return ask_provider<metadata_answer>(self, r, "metadata", std::move(what));
}

caf::typed_response_promise<reply<wire_file>> ask_file(self_ptr self, remote_file& r) {
    auto what = r.query.name + "==" + r.query.version;
    return ask_provider<wire_file>(self, r, "file", std::move(what));
}

} // namespace actpip::actors::gateway_detail
