#include "actpip/actors/metadata_actor.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/fetch_target.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/actors/metadata_zip.hpp"
#include "actpip/actors/protocol/timeouts.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/core/name.hpp"
#include "actpip/net/response.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace actpip::actors {

core::result<core::core_metadata> parse_file_metadata(const wire_file& file,
                                                      std::string_view text) {
    auto md = core::core_metadata::parse(text, file.filename + " METADATA");
    if (!md)
        return std::unexpected(std::move(md.error()));
    auto want = core::version::parse(file.version);
    if (md->normalized_name() != core::normalize_name(file.name) || !want ||
        !(md->version == *want))
        return core::fail(core::errc::invalid_metadata,
                          "the metadata of " + file.filename + " names " + md->name + " " +
                              md->version.to_string() + ", not " + file.name + " " + file.version);
    return md;
}

std::vector<std::string> crawl_names(const core::core_metadata& metadata,
                                     const core::marker_environment& env) {
    // Only the base requirements: crawling every extra's dependencies as well tripled the
    // requests on real trees (notebook: 444 against 165), mostly pages of test and docs
    // tools nobody asked for. An extra the resolver does need costs one round trip then.
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const auto& r : core::dependencies_for(metadata, env, {}).requirements)
        if (seen.insert(r.normalized_name()).second)
            names.push_back(r.normalized_name());
    return names;
}

core::result<void> verify_hash(std::string_view what, const std::vector<std::string>& hashes,
                               std::string_view body) {
    if (hashes.empty())
        return {};
    auto want = core::parse_hash(hashes.front());
    if (!want)
        return std::unexpected(std::move(want.error()));
    auto got = core::hash_bytes(want->algorithm, body);
    if (!got)
        return std::unexpected(std::move(got.error()));
    if (!(*got == *want))
        return core::fail(core::errc::hash_mismatch, "hash mismatch for " + std::string(what) +
                                                         ": expected " + want->to_string() +
                                                         ", got " + got->to_string());
    return {};
}

namespace {

constexpr std::uint32_t max_range_requests = 3;

struct job {
    wire_file file;
    std::string session;
    // Where the crawl goes on from this file: every distinct target that asked for it.
    std::vector<std::pair<std::string, fetch_target>> crawl_for;
    net::priority priority = net::priority::critical;
    std::uint32_t requests = 0;
    std::optional<zip_metadata_reader> reader;
};

// A metadata answer kept for later askers, with the dependencies the crawl follows.
struct known_metadata {
    file_metadata answer;
    std::vector<core::requirement> requires_dist;
};

struct metadata_state {
    std::shared_ptr<const fetch_service_options> options;
    std::shared_ptr<fetch_pools> pools;
    cache_actor cache;                             // null: no disk cache
    caf::actor_addr index;                         // weak: where the crawl goes
    std::map<std::string, known_metadata> answers; // by file URL
    std::set<std::string> crawled;                 // "<file URL>\n<target key>"
    std::map<std::string, job> jobs;
    in_flight_table<caf::typed_response_promise<reply<file_metadata>>> waiting; // by file URL
    static inline const char* name = "metadata";
};

using self_ptr = metadata_actor::stateful_pointer<metadata_state>;

// The crawl: once per file and target, every dependency whose marker can hold on the target
// goes to the index actor as a prefetch.
void crawl(self_ptr self, const std::string& url, const std::string& session,
           const fetch_target& target) {
    auto& st = self->state;
    auto known = st.answers.find(url);
    auto index = caf::actor_cast<caf::actor>(st.index);
    if (!target.crawl || known == st.answers.end() || !index ||
        !st.crawled.insert(url + '\n' + target_key(target)).second)
        return;
    core::core_metadata md;
    md.requires_dist = known->second.requires_dist;
    core::marker_environment env;
    for (const auto& [k, v] : target.markers)
        env.values.emplace(k, v);
    for (const auto& name : crawl_names(md, env))
        caf::anon_send(index, prefetch_atom::value, project_query{name, session, true, target});
}

void deliver(self_ptr self, const std::string& key, core::result<core::core_metadata> md,
             metadata_route route) {
    auto node = self->state.jobs.extract(key);
    auto& j = node.mapped();
    reply<file_metadata> answer;
    if (md) {
        file_metadata m;
        m.route = route;
        m.requests = j.requests;
        m.name = md->name;
        m.version = md->version.to_string();
        for (const auto& r : md->requires_dist)
            m.requires_dist.push_back(r.to_string());
        m.requires_python = md->requires_python.to_string();
        for (const auto& e : md->provides_extra)
            m.provides_extra.push_back(e.raw);
        self->state.answers[key] = known_metadata{m, md->requires_dist};
        answer = std::move(m);
    } else {
        answer =
            std::move(md.error()).add_context("while reading the metadata of " + j.file.filename);
    }
    for (auto& rp : self->state.waiting.complete(key))
        rp.deliver(answer);
    if (md)
        for (const auto& [session, target] : j.crawl_for)
            crawl(self, key, session, target);
}

// Delivers the answer; metadata read from the network (`text`) is stored first by the
// wheel's sha256, so that the next run (another process) costs no request.
void complete(self_ptr self, const std::string& key, core::result<core::core_metadata> md,
              metadata_route route, std::string text = {}) {
    auto sha = sha256_of(self->state.jobs[key].file.hashes);
    if (!md || text.empty() || sha.empty() || !self->state.cache) {
        deliver(self, key, std::move(md), route);
        return;
    }
    // Metadata that could not be stored is still good: the next run fetches it again.
    self->request(self->state.cache, cache_timeout, metadata_store_atom::value, sha,
                  std::move(text))
        .then([self, key, md,
               route](reply<bool>&) mutable { deliver(self, key, std::move(md), route); },
              [self, key, md, route](caf::error&) mutable {
                  deliver(self, key, std::move(md), route);
              });
}

template <class F>
void fetch(self_ptr self, const std::string& key, http_request req, F on_result) {
    auto& j = self->state.jobs[key];
    ++j.requests;
    req.priority = j.priority;
    req.session = j.session;
    bool offline = !j.crawl_for.empty() &&
                   j.crawl_for.front().second.cache_mode == storage::cache_mode::offline;
    if (offline) {
        reply<http_response> bad(storage::offline_miss_error(req.url));
        on_result(bad);
        return;
    }
    auto pool = self->state.pools->for_url(req.url);
    if (!pool) {
        reply<http_response> bad(std::move(pool.error()));
        on_result(bad);
        return;
    }
    self->request(*pool, caf::infinite, req)
        .then([on_result](reply<http_response>& r) mutable { on_result(r); },
              [on_result, url = req.url](caf::error& e) mutable {
                  reply<http_response> bad(from_caf(e, "the host pool, asked for " + url));
                  on_result(bad);
              });
}

void from_whole_file(self_ptr self, const std::string& key, const std::string& body,
                     metadata_route route) {
    auto& j = self->state.jobs[key];
    if (auto v = verify_hash(j.file.filename, j.file.hashes, body); !v) {
        complete(self, key, std::unexpected(std::move(v.error())), route);
        return;
    }
    zip_metadata_reader reader(body.size());
    reader.add(0, body);
    auto step = reader.next();
    if (auto* text = std::get_if<std::string>(&step))
        complete(self, key, parse_file_metadata(j.file, *text), route, *text);
    else if (auto* e = std::get_if<core::error>(&step))
        complete(self, key, std::unexpected(std::move(*e)), route);
    else
        complete(self, key, core::fail(core::errc::internal, "zip reader wants more"), route);
}

void download(self_ptr self, const std::string& key) {
    http_request req;
    req.url = self->state.jobs[key].file.url;
    fetch(self, key, req, [self, key, url = req.url](reply<http_response>& r) {
        if (!r)
            complete(self, key, std::unexpected(std::move(r).error()), metadata_route::download);
        else if (r->status != 200)
            complete(self, key,
                     core::fail(core::errc::network,
                                "HTTP " + std::to_string(r->status) + " for " + url),
                     metadata_route::download);
        else
            from_whole_file(self, key, r->body, metadata_route::download);
    });
}

void range_step(self_ptr self, const std::string& key);

void range_landed(self_ptr self, const std::string& key, reply<http_response>& r) {
    auto& j = self->state.jobs[key];
    if (!r || (r->status != 206 && r->status != 200)) {
        download(self, key);
        return;
    }
    if (r->status == 200) { // no Range support: this is the whole file
        from_whole_file(self, key, r->body, metadata_route::range);
        return;
    }
    std::optional<net::content_range> cr;
    for (const auto& h : r->headers)
        if (net::iequals(h.name, "content-range"))
            cr = net::parse_content_range(h.value);
    if (!cr || !cr->total || cr->last - cr->first + 1 != r->body.size()) {
        download(self, key);
        return;
    }
    if (!j.reader)
        j.reader.emplace(*cr->total);
    j.reader->add(cr->first, std::move(r->body));
    range_step(self, key);
}

void range_step(self_ptr self, const std::string& key) {
    auto& j = self->state.jobs[key];
    auto step = j.reader->next();
    if (auto* text = std::get_if<std::string>(&step)) {
        complete(self, key, parse_file_metadata(j.file, *text), metadata_route::range, *text);
        return;
    }
    auto* need = std::get_if<zip_metadata_reader::need_range>(&step);
    if (!need || j.requests >= max_range_requests) {
        download(self, key);
        return;
    }
    http_request req;
    req.url = j.file.url;
    req.range = range_kind::span;
    req.range_first = need->first;
    req.range_last = need->last;
    fetch(self, key, req, [self, key](reply<http_response>& r) { range_landed(self, key, r); });
}

void by_range(self_ptr self, const std::string& key) {
    http_request req;
    req.url = self->state.jobs[key].file.url;
    req.range = range_kind::suffix;
    req.range_last = metadata_tail_size;
    fetch(self, key, req, [self, key](reply<http_response>& r) { range_landed(self, key, r); });
}

void start(self_ptr self, const std::string& key) {
    auto& j = self->state.jobs[key];
    if (!j.file.filename.ends_with(".whl")) {
        complete(self, key,
                 core::fail(core::errc::unsupported,
                            "reading metadata from " + j.file.filename +
                                " needs a build; building sdists is not supported yet"),
                 metadata_route::none);
        return;
    }
    if (!j.file.metadata_available) {
        by_range(self, key);
        return;
    }
    http_request req;
    req.url = j.file.url + ".metadata";
    fetch(self, key, req, [self, key](reply<http_response>& r) {
        if (!r || r->status != 200) {
            by_range(self, key); // a page that promised more than the server has
            return;
        }
        auto& j = self->state.jobs[key];
        if (auto v = verify_hash(j.file.filename + ".metadata", j.file.metadata_hashes, r->body);
            !v) {
            complete(self, key, std::unexpected(std::move(v.error())), metadata_route::pep658);
            return;
        }
        complete(self, key, parse_file_metadata(j.file, r->body), metadata_route::pep658, r->body);
    });
}

void ask(self_ptr self, const metadata_fetch& m) {
    auto key = m.file.url;
    if (auto it = self->state.jobs.find(key); it != self->state.jobs.end()) {
        auto tkey = target_key(m.target);
        auto& targets = it->second.crawl_for;
        if (std::none_of(targets.begin(), targets.end(),
                         [&](const auto& t) { return target_key(t.second) == tkey; }))
            targets.emplace_back(m.session, m.target);
        return;
    }
    auto& j = self->state.jobs[key];
    j.file = m.file;
    j.session = m.session;
    j.crawl_for.emplace_back(m.session, m.target);
    j.priority = m.prefetch ? net::priority::prefetch : net::priority::critical;
    auto sha = sha256_of(j.file.hashes);
    if (!self->state.cache || sha.empty()) {
        start(self, key);
        return;
    }
    // The cache by wheel hash first: the same wheel's metadata never costs a second request.
    self->request(self->state.cache, cache_timeout, metadata_load_atom::value, sha)
        .then(
            [self, key](cached_text& t) {
                auto& j = self->state.jobs[key];
                if (t.found)
                    if (auto md = parse_file_metadata(j.file, t.text)) {
                        deliver(self, key, std::move(md), metadata_route::cached);
                        return;
                    }
                start(self, key);
            },
            [self, key](caf::error&) { start(self, key); });
}

metadata_actor::behavior_type metadata(self_ptr self,
                                       std::shared_ptr<const fetch_service_options> options,
                                       std::shared_ptr<fetch_pools> pools, cache_actor cache) {
    self->state.options = std::move(options);
    self->state.cache = std::move(cache);
    self->state.pools = std::move(pools);
    guard_exceptions(self, "the metadata actor");
    return {
        [self](metadata_fetch& m) -> caf::typed_response_promise<reply<file_metadata>> {
            auto rp = self->make_response_promise<reply<file_metadata>>();
            if (auto it = self->state.answers.find(m.file.url); it != self->state.answers.end()) {
                rp.deliver(reply<file_metadata>(it->second.answer));
                crawl(self, m.file.url, m.session, m.target);
                return rp;
            }
            self->state.waiting.join(m.file.url, rp);
            ask(self, m); // joins a prefetch of the same file in flight
            return rp;
        },
        [self](prefetch_atom, metadata_fetch& m) {
            if (self->state.answers.count(m.file.url)) {
                crawl(self, m.file.url, m.session, m.target);
                return;
            }
            m.prefetch = true;
            ask(self, m);
        },
        [self](crawl_to_atom, caf::actor_addr& index) { self->state.index = std::move(index); },
    };
}

} // namespace

metadata_actor spawn_metadata(caf::actor_system& sys,
                              std::shared_ptr<const fetch_service_options> options,
                              std::shared_ptr<fetch_pools> pools, cache_actor cache) {
    return sys.spawn(metadata, std::move(options), std::move(pools), std::move(cache));
}

} // namespace actpip::actors
