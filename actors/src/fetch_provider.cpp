#include "actpip/actors/fetch_provider.hpp"

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/index_actor.hpp"
#include "actpip/actors/metadata_actor.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/wheel_filename.hpp"
#include "actpip/net/percent_encoding.hpp"
#include "actpip/resolver/provider.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <map>

namespace actpip::actors {

namespace {

struct provider_state {
    provider_state() = default; // not an aggregate: CAF would build it from the self pointer
    index_actor index;
    metadata_actor metadata;
    fetch_target target; // the session's: every question to the fetch side carries it
    std::map<std::string, std::map<std::string, wire_file>> files; // name -> version -> file
    static inline const char* name = "fetch_provider";
};

using self_ptr = data_provider_actor::stateful_pointer<provider_state>;

wire_unavailable unavailable(resolver::unavailable_kind kind, std::string message) {
    return wire_unavailable{kind, std::move(message)};
}

reply<versions_answer> to_versions(const versions_query& q, const reply<project_answer>& r) {
    if (!r)
        return r.error(); // an index that could not be read: not an answer about the project
    versions_answer out;
    out.name = q.name;
    out.url = q.url;
    const auto& a = *r;
    out.warnings = a.warnings;
    if (!a.available) {
        out.available = false;
        out.missing = unavailable(a.absence == project_absence::no_project
                                      ? resolver::unavailable_kind::not_found
                                      : resolver::unavailable_kind::no_compatible_wheel,
                                  a.missing);
        return out;
    }
    for (const auto& f : a.files) {
        wire_candidate c;
        c.version = f.version;
        c.requires_python = f.requires_python;
        c.yanked = f.yanked;
        c.yank_reason = f.yank_reason;
        out.candidates.push_back(std::move(c));
    }
    return out;
}

// Metadata that is invalid, names another project or needs a build makes that version
// unusable (pip and uv skip it); anything else (the network, a hash mismatch) is an error.
bool is_unusable_version(const core::error& e) {
    return e.code == core::errc::invalid_metadata || e.code == core::errc::unsupported ||
           e.code == core::errc::not_found;
}

reply<metadata_answer> to_metadata(const metadata_query& q, const reply<file_metadata>& r) {
    metadata_answer out;
    out.name = q.name;
    out.version = q.version;
    out.url = q.url;
    if (!r && !is_unusable_version(r.error()))
        return r.error();
    if (!r) {
        out.available = false;
        auto kind = r.error().code == core::errc::invalid_metadata
                        ? resolver::unavailable_kind::invalid_metadata
                        : resolver::unavailable_kind::metadata_unavailable;
        out.missing = unavailable(kind, r.error().describe());
        return out;
    }
    out.requires_dist = r->requires_dist;
    out.requires_python = r->requires_python;
    out.provides_extra = r->provides_extra;
    return out;
}

void ask_metadata(self_ptr self, const metadata_query& q, const wire_file& file,
                  caf::typed_response_promise<reply<metadata_answer>> rp) {
    self->request(self->state.metadata, caf::infinite,
                  metadata_fetch{file, q.session, q.prefetch, self->state.target})
        .then([q, rp](reply<file_metadata>& r) mutable { rp.deliver(to_metadata(q, r)); },
              [q, rp](caf::error& e) mutable {
                  reply<file_metadata> r(
                      from_caf(e, "the metadata actor, asked for " + q.name + " " + q.version));
                  rp.deliver(to_metadata(q, r));
              });
}

void remember(self_ptr self, const std::string& name, const reply<project_answer>& a) {
    if (!a)
        return;
    auto& files = self->state.files[name];
    for (const auto& f : a->files)
        files.emplace(f.version, f);
}

const wire_file* find_file(self_ptr self, const std::string& name, const std::string& version) {
    auto& files = self->state.files[name];
    auto it = files.find(version);
    if (it == files.end())
        if (auto v = core::version::parse(version))
            it = files.find(v->to_string());
    return it == files.end() ? nullptr : &it->second;
}

// The index's answer for `name` (usually already in the index actor's memory), then `then`.
template <class F>
void with_project(self_ptr self, const std::string& name, const std::string& session, bool prefetch,
                  F then) {
    self->request(self->state.index, caf::infinite,
                  project_query{name, session, prefetch, self->state.target})
        .then(
            [self, name, then](reply<project_answer>& a) mutable {
                remember(self, core::normalize_name(name), a);
                then(a);
            },
            [name, then](caf::error& e) mutable {
                reply<project_answer> a(from_caf(e, "the index actor, asked for " + name));
                then(a);
            });
}

data_provider_actor::behavior_type provider(self_ptr self, index_actor index,
                                            metadata_actor metadata, fetch_target target) {
    self->state.index = std::move(index);
    self->state.metadata = std::move(metadata);
    self->state.target = std::move(target);
    guard_exceptions(self, "the fetch provider");
    return {
        [self](versions_query& q) -> caf::typed_response_promise<reply<versions_answer>> {
            auto rp = self->make_response_promise<reply<versions_answer>>();
            if (!q.url.empty()) {
                versions_answer a;
                a.name = q.name;
                a.url = q.url;
                auto file = wire_file_for_url(q.name, q.url);
                if (!file) {
                    a.available = false;
                    a.missing =
                        unavailable(resolver::unavailable_kind::other, file.error().describe());
                } else {
                    wire_candidate c;
                    c.version = file->version;
                    a.candidates.push_back(c);
                    self->state.files[file->name].insert_or_assign(file->version, *file);
                }
                rp.deliver(reply<versions_answer>(std::move(a)));
                return rp;
            }
            with_project(
                self, q.name, q.session, q.prefetch,
                [q, rp](reply<project_answer>& a) mutable { rp.deliver(to_versions(q, a)); });
            return rp;
        },
        [self](metadata_query& q) -> caf::typed_response_promise<reply<metadata_answer>> {
            auto rp = self->make_response_promise<reply<metadata_answer>>();
            auto name = core::normalize_name(q.name);
            if (const auto* f = find_file(self, name, q.version)) {
                ask_metadata(self, q, *f, rp);
                return rp;
            }
            // Asked before the versions (or for a version the index does not list).
            with_project(self, q.name, q.session, q.prefetch,
                         [self, q, rp, name](reply<project_answer>&) mutable {
                             if (const auto* f = find_file(self, name, q.version)) {
                                 ask_metadata(self, q, *f, rp);
                                 return;
                             }
                             reply<file_metadata> r(core::error{
                                 core::errc::not_found, "no file of " + q.name + " " + q.version});
                             rp.deliver(to_metadata(q, r));
                         });
            return rp;
        },
        [self](file_query& q) -> caf::typed_response_promise<reply<wire_file>> {
            auto rp = self->make_response_promise<reply<wire_file>>();
            if (!q.url.empty()) {
                rp.deliver(reply<wire_file>(wire_file_for_url(q.name, q.url)));
                return rp;
            }
            auto name = core::normalize_name(q.name);
            if (const auto* f = find_file(self, name, q.version)) {
                rp.deliver(reply<wire_file>(*f));
                return rp;
            }
            with_project(self, q.name, q.session, false,
                         [self, q, rp, name](reply<project_answer>& a) mutable {
                             if (const auto* f = find_file(self, name, q.version))
                                 rp.deliver(reply<wire_file>(*f));
                             else if (!a)
                                 rp.deliver(reply<wire_file>(std::move(a).error()));
                             else
                                 rp.deliver(reply<wire_file>(core::error{
                                     core::errc::not_found,
                                     "no file of " + q.name + " " + q.version + " on the index"}));
                         });
            return rp;
        },
    };
}

} // namespace

core::result<wire_file> wire_file_for_url(const std::string& name, const std::string& url) {
    wire_file f;
    f.url = url.substr(0, url.find('#'));
    auto hash = core::find_url_hash(url);
    if (!hash)
        return std::unexpected(std::move(hash.error()).add_context(url));
    if (*hash)
        f.hashes.push_back((*hash)->to_string());
    auto path = f.url.substr(0, f.url.find('?'));
    f.filename = net::percent_decode_lenient(path.substr(path.rfind('/') + 1));
    if (!f.filename.ends_with(".whl"))
        return core::fail(core::errc::unsupported,
                          "building sdists is not supported yet: " + url + " is not a wheel");
    auto wheel = core::parse_wheel_filename(f.filename);
    if (!wheel)
        return std::unexpected(std::move(wheel.error()).add_context(url));
    if (wheel->name != core::normalize_name(name))
        return core::fail(core::errc::invalid_requirement, "the requirement names " + name +
                                                               " but " + url + " is a wheel of " +
                                                               wheel->name);
    f.name = wheel->name;
    f.version = wheel->version.to_string();
    f.source = url;
    return f;
}

data_provider_actor spawn_fetch_provider(caf::actor_system& sys, const fetch_service& service,
                                         fetch_target target) {
    return sys.spawn(provider, service.index, service.metadata, std::move(target));
}

std::vector<std::pair<caf::actor, std::string>> fetch_service::members() const {
    std::vector<std::pair<caf::actor, std::string>> out;
    auto add = [&out](const auto& handle, const char* who) {
        if (handle)
            out.emplace_back(caf::actor_cast<caf::actor>(handle), who);
    };
    add(index, "the index actor");
    add(metadata, "the metadata actor");
    add(download, "the download actor");
    add(cache, "the cache actor");
    return out;
}

void fetch_service::shutdown() {
    caf::anon_send_exit(index, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(metadata, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(download, caf::exit_reason::user_shutdown);
    if (cache)
        caf::anon_send_exit(cache, caf::exit_reason::user_shutdown);
    download = nullptr;
    cache = nullptr;
    index = nullptr;
    metadata = nullptr;
    if (pools)
        pools->shutdown();
    pools.reset();
}

fetch_service spawn_fetch_service(caf::actor_system& sys, std::shared_ptr<net::client> client,
                                  fetch_service_options options) {
    fetch_service service;
    auto opts = std::make_shared<const fetch_service_options>(std::move(options));
    service.pools = std::make_shared<fetch_pools>(sys, std::move(client));
    if (opts->cache_dir)
        service.cache = spawn_cache_actor(sys, *opts->cache_dir, opts->cache_keep_alive);
    service.metadata = spawn_metadata(sys, opts, service.pools, service.cache);
    service.index = spawn_index(sys, opts, service.pools, service.metadata, service.cache);
    service.download = spawn_download(sys, opts, service.pools, service.cache);
    caf::anon_send(service.metadata, crawl_to_atom::value, service.index.address());
    return service;
}

} // namespace actpip::actors
