#include "actpip/actors/index_actor.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/fetch_target.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/actors/protocol/timeouts.hpp"
#include "actpip/core/index_url.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/project_page.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <map>
#include <set>

namespace actpip::actors {

wire_file to_wire_file(const core::candidate& c) {
    wire_file w;
    w.name = c.name;
    w.version = c.version.to_string();
    w.filename = c.file.filename;
    w.url = c.file.url;
    if (const auto* best = c.file.best_hash())
        w.hashes.push_back(best->to_string());
    for (const auto& h : c.file.hashes)
        if (w.hashes.empty() || h.to_string() != w.hashes.front())
            w.hashes.push_back(h.to_string());
    w.metadata_available = c.file.core_metadata.available;
    for (const auto& h : c.file.core_metadata.hashes)
        w.metadata_hashes.push_back(h.to_string());
    w.requires_python = c.file.requires_python.value_or("");
    w.yanked = c.file.yanked;
    w.yank_reason = c.file.yanked_reason.value_or("");
    w.source = c.source;
    return w;
}

project_answer make_project_answer(const std::string& name, const core::merged_candidates& merged,
                                   const core::selection_policy& policy,
                                   std::optional<wire_file>& crawl_best) {
    project_answer a;
    a.name = name;
    a.warnings = merged.warnings;
    if (merged.candidates.empty()) {
        a.available = false;
        a.absence = project_absence::no_project;
        a.missing = "no index has " + name;
        return a;
    }
    auto every = policy;
    every.allow_prereleases = true;
    auto sel = core::select_candidates(merged.candidates, core::specifier_set{}, every);
    std::set<std::string> versions;
    for (const auto* c : sel.best_per_version()) {
        a.files.push_back(to_wire_file(*c));
        versions.insert(c->version.to_string());
    }
    // Yanked files stay visible (marked) so that an == pin can still choose them.
    for (const auto& r : sel.rejected)
        if (r.why == core::rejection::yanked && versions.insert(r.what.version.to_string()).second)
            a.files.push_back(to_wire_file(r.what));
    if (a.files.empty()) {
        a.available = false;
        a.absence = project_absence::no_compatible_file;
        a.missing = "no file of " + name + " matches this environment";
        for (const auto& r : sel.rejected)
            if (r.why == core::rejection::source_not_allowed) {
                a.missing = "no wheel of " + name +
                            " matches this environment; building sdists is not supported yet";
                break;
            }
    }
    auto best = core::select_candidates(merged.candidates, core::specifier_set{}, policy);
    if (const auto* b = best.best())
        crawl_best = to_wire_file(*b);
    return a;
}

namespace {

// Answers depend on the project and the target: kept under "<name>\n<target key>".
std::string answer_key(const std::string& name, const std::string& target_key) {
    return name + '\n' + target_key;
}

struct page_fetch {
    std::string name; // normalized
    fetch_target target;
    std::shared_ptr<const compiled_target> compiled;
    std::vector<core::source_page> indexes;
    std::vector<core::source_page> find_links;
    std::size_t remaining = 0;
    std::optional<core::error> failure;
    std::string session;
    bool prefetch = true;
};

struct index_state {
    std::shared_ptr<const fetch_service_options> options;
    std::shared_ptr<fetch_pools> pools;
    metadata_actor metadata;
    cache_actor cache;                             // null: no disk cache
    std::map<std::string, project_answer> answers; // by answer_key
    std::map<std::string, page_fetch> fetching;    // by answer_key
    in_flight_table<caf::typed_response_promise<reply<project_answer>>> waiting; // answer_key
    std::set<std::string> crawled; // answer keys whose best file went to the metadata actor
    // Targets compiled once (their tags computed), by target key.
    std::map<std::string, std::shared_ptr<const compiled_target>> compiled;
    static inline const char* name = "index";
};

using self_ptr = index_actor::stateful_pointer<index_state>;

void finish(self_ptr self, const std::string& key) {
    auto& st = self->state;
    auto node = st.fetching.extract(key);
    auto& f = node.mapped();
    reply<project_answer> answer;
    std::optional<wire_file> best;
    if (f.failure) {
        answer = std::move(*f.failure).add_context("while looking up " + f.name);
    } else {
        auto merged = core::merge_sources(f.name, f.indexes, f.find_links, f.target.strategy);
        answer = make_project_answer(f.name, merged, f.compiled->policy, best);
        st.answers[key] = *answer;
    }
    for (auto& rp : st.waiting.complete(key))
        rp.deliver(answer);
    if (best && f.target.crawl && st.metadata && st.crawled.insert(key).second)
        caf::anon_send(st.metadata, prefetch_atom::value,
                       metadata_fetch{std::move(*best), f.session, true, std::move(f.target)});
}

void page_done(self_ptr self, const std::string& key) {
    auto it = self->state.fetching.find(key);
    if (it != self->state.fetching.end() && --it->second.remaining == 0)
        finish(self, key);
}

// `store`: the response came from the network at `request_time` and may go to the cache
// once it has parsed (a malformed page is never cached).
void landed(self_ptr self, const std::string& key, bool is_index, std::size_t slot, std::string url,
            reply<http_response>& r, bool store = false, std::int64_t request_time = 0) {
    auto it = self->state.fetching.find(key);
    if (it == self->state.fetching.end())
        return;
    auto& f = it->second;
    auto& page = is_index ? f.indexes[slot] : f.find_links[slot];
    bool good = false;
    if (!r) {
        f.failure = std::move(r).error(); // net/ already names the URL
    } else if (r->status == 404 || r->status == 410) {
        good = true; // The source does not have the project: data, not an error.
    } else if (r->status != 200) {
        f.failure =
            core::error{core::errc::network, "HTTP " + std::to_string(r->status) + " for " + url};
    } else {
        std::string content_type = "text/html";
        for (const auto& h : r->headers)
            if (net::iequals(h.name, "content-type"))
                content_type = h.value;
        auto base = r->final_url.empty() ? url : r->final_url;
        auto parsed = core::parse_project_page(r->body, content_type, base, is_index ? f.name : "");
        if (parsed) {
            page.page = std::move(*parsed);
            good = true;
        } else {
            f.failure = std::move(parsed.error());
        }
    }
    if (good && store && self->state.cache) {
        http_cache_put put{url,          r->status,  std::move(r->headers), std::move(r->body),
                           request_time, cache_now()};
        // A page that could not be stored is still good: the next run fetches it again.
        self->request(self->state.cache, cache_timeout, std::move(put))
            .then([self, key](reply<bool>&) { page_done(self, key); },
                  [self, key](caf::error&) { page_done(self, key); });
        return;
    }
    page_done(self, key);
}

void from_network(self_ptr self, const std::string& key, bool is_index, std::size_t slot,
                  const std::string& url, const http_cache_answer* validators) {
    auto& st = self->state;
    auto& f = st.fetching[key];
    auto pool = st.pools->for_url(url);
    if (!pool) {
        reply<http_response> bad(std::move(pool.error()));
        landed(self, key, is_index, slot, url, bad);
        return;
    }
    http_request req;
    req.url = url;
    req.accept = std::string(core::project_page_accept);
    req.priority = f.prefetch ? net::priority::prefetch : net::priority::critical;
    req.session = f.session;
    bool conditional = validators != nullptr;
    if (validators) {
        req.if_none_match = validators->if_none_match;
        req.if_modified_since = validators->if_modified_since;
    }
    auto request_time = cache_now();
    self->request(*pool, caf::infinite, req)
        .then(
            [self, key, is_index, slot, url, conditional, request_time](reply<http_response>& r) {
                if (!(conditional && r && r->status == 304)) {
                    landed(self, key, is_index, slot, url, r, true, request_time);
                    return;
                }
                // Not modified: the stored page, freshened with the 304's headers.
                self->request(self->state.cache, cache_timeout, not_modified_atom::value, url,
                              r->headers, request_time, cache_now())
                    .then(
                        [self, key, is_index, slot, url](http_cache_answer& a) {
                            if (!a.stored) { // the entry vanished: ask plainly
                                from_network(self, key, is_index, slot, url, nullptr);
                                return;
                            }
                            reply<http_response> stored(std::move(a.response));
                            landed(self, key, is_index, slot, url, stored);
                        },
                        [self, key, is_index, slot, url](caf::error&) {
                            from_network(self, key, is_index, slot, url, nullptr);
                        });
            },
            [self, key, is_index, slot, url](caf::error& e) {
                reply<http_response> bad(from_caf(e, "the host pool, asked for " + url));
                landed(self, key, is_index, slot, url, bad);
            });
}

// The cache first: fresh (or offline): no request; stale: a conditional one; a miss: a
// plain one (offline: an error naming the URL).
void fetch_page(self_ptr self, const std::string& key, bool is_index, std::size_t slot,
                const std::string& url) {
    auto& st = self->state;
    if (!st.cache) {
        from_network(self, key, is_index, slot, url, nullptr);
        return;
    }
    self->request(st.cache, cache_timeout,
                  http_cache_query{url, st.fetching[key].target.cache_mode})
        .then(
            [self, key, is_index, slot, url](http_cache_answer& a) {
                switch (a.action) {
                case storage::cache_action::use_stored: {
                    reply<http_response> stored(std::move(a.response));
                    landed(self, key, is_index, slot, url, stored);
                    return;
                }
                case storage::cache_action::offline_miss: {
                    reply<http_response> bad(std::move(a.note));
                    landed(self, key, is_index, slot, url, bad);
                    return;
                }
                case storage::cache_action::revalidate:
                    from_network(self, key, is_index, slot, url, &a);
                    return;
                case storage::cache_action::fetch:
                    break;
                }
                from_network(self, key, is_index, slot, url, nullptr);
            },
            [self, key, is_index, slot, url](caf::error&) {
                from_network(self, key, is_index, slot, url, nullptr);
            });
}

// The target of `q` compiled (once per target), or why it cannot be used.
core::result<std::shared_ptr<const compiled_target>>
compiled_for(self_ptr self, const fetch_target& target, const std::string& key) {
    auto& cache = self->state.compiled;
    if (auto it = cache.find(key); it != cache.end())
        return it->second;
    auto c = compile_target(target);
    if (!c)
        return std::unexpected(std::move(c.error()));
    auto shared = std::make_shared<const compiled_target>(std::move(*c));
    cache.emplace(key, shared);
    return shared;
}

void start(self_ptr self, const std::string& key, std::string name, const project_query& q,
           std::shared_ptr<const compiled_target> compiled) {
    auto& st = self->state;
    auto& f = st.fetching[key];
    f.name = std::move(name);
    f.target = q.target;
    f.compiled = std::move(compiled);
    f.session = q.session;
    f.prefetch = q.prefetch;
    std::vector<std::pair<bool, std::string>> urls;
    for (const auto& index : f.target.index_urls) {
        urls.emplace_back(true, core::project_page_url(index, f.name));
        f.indexes.push_back({core::url_without_credentials(index), std::nullopt}); // for messages
    }
    for (const auto& link : f.target.find_links) {
        urls.emplace_back(false, link);
        f.find_links.push_back({core::url_without_credentials(link), std::nullopt});
    }
    f.remaining = urls.size();
    if (urls.empty()) {
        finish(self, key);
        return;
    }
    std::size_t index_slot = 0, link_slot = 0;
    for (auto& [is_index, url] : urls)
        fetch_page(self, key, is_index, is_index ? index_slot++ : link_slot++, url);
}

index_actor::behavior_type index(self_ptr self,
                                 std::shared_ptr<const fetch_service_options> options,
                                 std::shared_ptr<fetch_pools> pools, metadata_actor metadata,
                                 cache_actor cache) {
    self->state.options = std::move(options);
    self->state.cache = std::move(cache);
    self->state.pools = std::move(pools);
    self->state.metadata = std::move(metadata);
    guard_exceptions(self, "the index actor");
    return {
        [self](project_query& q) -> caf::typed_response_promise<reply<project_answer>> {
            auto rp = self->make_response_promise<reply<project_answer>>();
            auto name = core::normalize_name(q.name);
            auto tkey = target_key(q.target);
            auto key = answer_key(name, tkey);
            if (auto it = self->state.answers.find(key); it != self->state.answers.end()) {
                rp.deliver(reply<project_answer>(it->second));
                return rp;
            }
            auto compiled = compiled_for(self, q.target, tkey);
            if (!compiled) {
                rp.deliver(reply<project_answer>(std::move(compiled.error())));
                return rp;
            }
            // A crawl prefetch of this name may be fetching already: the asker joins it.
            if (self->state.waiting.join(key, rp) && !self->state.fetching.count(key))
                start(self, key, std::move(name), q, std::move(*compiled));
            return rp;
        },
        [self](prefetch_atom, project_query& q) {
            auto name = core::normalize_name(q.name);
            auto tkey = target_key(q.target);
            auto key = answer_key(name, tkey);
            if (self->state.answers.count(key) || self->state.fetching.count(key))
                return;
            auto compiled = compiled_for(self, q.target, tkey);
            if (!compiled)
                return; // the asker learns why when it asks
            q.prefetch = true;
            start(self, key, std::move(name), q, std::move(*compiled));
        },
    };
}

} // namespace

index_actor spawn_index(caf::actor_system& sys,
                        std::shared_ptr<const fetch_service_options> options,
                        std::shared_ptr<fetch_pools> pools, metadata_actor metadata,
                        cache_actor cache) {
    return sys.spawn(index, std::move(options), std::move(pools), std::move(metadata),
                     std::move(cache));
}

} // namespace actpip::actors
