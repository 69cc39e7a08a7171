#include "actpip/actors/cache_actor.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/storage/cache_wheels.hpp"
#include "actpip/storage/http_cache.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <system_error>

namespace actpip::actors {

std::int64_t cache_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string sha256_of(const std::vector<std::string>& hashes) {
    for (const auto& h : hashes)
        if (auto d = core::parse_hash(h); d && d->algorithm == core::hash_algorithm::sha256)
            return d->hex;
    return {};
}

namespace {

storage::http_headers to_storage(const std::vector<http_header>& in) {
    storage::http_headers out;
    for (const auto& h : in)
        out.push_back({h.name, h.value});
    return out;
}

std::vector<http_header> to_wire(const storage::http_headers& in) {
    std::vector<http_header> out;
    for (const auto& h : in)
        out.push_back({h.name, h.value});
    return out;
}

http_response to_response(const storage::http_cache_entry& e) {
    http_response r;
    r.status = static_cast<std::uint16_t>(e.response.status);
    r.headers = to_wire(e.response.headers);
    r.body = e.body;
    r.final_url = e.url;
    r.body_bytes = e.body.size();
    r.from_cache = true;
    return r;
}

struct cache_state {
    cache_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::optional<storage::http_cache> http;
    std::uint64_t temp_counter = 0;
    std::shared_ptr<const void> keep_alive; // what the cache lives in
    static inline const char* name = "cache";
};

using self_ptr = cache_actor::stateful_pointer<cache_state>;

http_cache_answer load(self_ptr self, const std::string& url, storage::cache_mode mode) {
    http_cache_answer a;
    auto found = self->state.http->load(url);
    if (found.dropped)
        a.note = std::move(*found.dropped);
    const storage::stored_response* stored = found.entry ? &found.entry->response : nullptr;
    auto decision = storage::decide_cache_action(stored, mode, cache_now());
    a.action = decision.action;
    if (found.entry) {
        a.stored = true;
        a.response = to_response(*found.entry);
    }
    for (const auto& h : decision.conditional_headers) {
        if (h.name == "If-None-Match")
            a.if_none_match = h.value;
        else if (h.name == "If-Modified-Since")
            a.if_modified_since = h.value;
    }
    if (decision.action == storage::cache_action::offline_miss)
        a.note = storage::offline_miss_error(url);
    return a;
}

// True: stored; false: not storable (RFC 9111).
reply<bool> put(self_ptr self, http_cache_put& p) {
    auto headers = to_storage(p.headers);
    if (!storage::is_storable(p.status, headers))
        return false;
    storage::http_cache_entry e;
    e.url = std::move(p.url);
    e.response.status = p.status;
    e.response.headers = std::move(headers);
    e.response.request_time = p.request_time;
    e.response.response_time = p.response_time;
    e.body = std::move(p.body);
    if (auto r = self->state.http->store(e); !r)
        return std::move(r.error());
    return true;
}

reply<wheel_slot> find_wheel(self_ptr self, const std::string& sha256,
                             const std::string& filename) {
    wheel_slot slot;
    const auto& layout = self->state.http->layout();
    if (!sha256.empty())
        if (auto w = storage::find_cached_wheel(layout, sha256)) {
            slot.found = true;
            slot.wheel = artifact{w->path.string(), w->sha256, w->size};
            return slot;
        }
    auto dir = layout.wheels_dir();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return core::error{core::errc::io, "cannot create " + dir.string() + ": " + ec.message()};
    slot.temp_path =
        (dir / (std::string(storage::temporary_prefix) + "download-" + std::to_string(::getpid()) +
                "-" + std::to_string(++self->state.temp_counter) + "-" + filename))
            .string();
    return slot;
}

reply<artifact> commit(self_ptr self, const wheel_commit& c) {
    struct remove_temp {
        std::string path;
        ~remove_temp() {
            std::error_code ec;
            std::filesystem::remove(path, ec);
        }
    } cleanup{c.temp_path};
    std::optional<core::hash_digest> expected;
    if (!c.expected.empty()) {
        auto h = core::parse_hash(c.expected);
        if (!h)
            return std::move(h.error());
        expected = std::move(*h);
    }
    auto writer = storage::wheel_writer::begin(self->state.http->layout(), c.filename, expected);
    if (!writer)
        return std::move(writer.error());
    std::ifstream in(c.temp_path, std::ios::binary);
    if (!in) {
        writer->abort();
        return core::error{core::errc::io, "cannot read the download of " + c.filename};
    }
    std::string buffer(1 << 16, '\0');
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0)
            break;
        if (auto w = writer->write(std::string_view(buffer.data(), n)); !w) {
            writer->abort();
            return std::move(w.error());
        }
    }
    auto done = writer->commit();
    if (!done)
        return std::move(done.error());
    return artifact{done->path.string(), done->sha256, done->size};
}

cache_actor::behavior_type cache(self_ptr self, std::filesystem::path root,
                                 std::shared_ptr<const void> keep_alive) {
    self->state.http.emplace(storage::cache_layout(std::move(root)));
    self->state.keep_alive = std::move(keep_alive);
    guard_exceptions(self, "the cache actor");
    return {
        [self](http_cache_query& q) { return load(self, q.url, q.mode); },
        [self](http_cache_put& p) { return put(self, p); },
        [self](not_modified_atom, std::string& url, std::vector<http_header>& headers,
               std::int64_t request_time, std::int64_t response_time) {
            http_cache_answer a;
            auto e = self->state.http->store_not_modified(url, to_storage(headers), request_time,
                                                          response_time);
            if (!e) {
                a.action = storage::cache_action::fetch;
                a.note = std::move(e.error());
                return a;
            }
            a.action = storage::cache_action::use_stored;
            a.stored = true;
            a.response = to_response(*e);
            return a;
        },
        [self](metadata_load_atom, std::string& sha256) {
            cached_text t;
            auto found = storage::load_cached_metadata(self->state.http->layout(), sha256);
            if (found.metadata) {
                t.found = true;
                t.text = std::move(*found.metadata);
            }
            return t;
        },
        [self](metadata_store_atom, std::string& sha256, std::string& text) -> reply<bool> {
            if (auto r = storage::store_cached_metadata(self->state.http->layout(), sha256, text);
                !r)
                return std::move(r.error());
            return true;
        },
        [self](wheel_find_atom, std::string& sha256, std::string& filename) {
            return find_wheel(self, sha256, filename);
        },
        [self](wheel_commit& c) { return commit(self, c); },
        [](discard_atom, std::string& path) {
            std::error_code ec;
            std::filesystem::remove(path, ec);
        },
    };
}

} // namespace

cache_actor spawn_cache_actor(caf::actor_system& sys, std::filesystem::path root,
                              std::shared_ptr<const void> keep_alive) {
    return sys.spawn<caf::detached>(cache, std::move(root), std::move(keep_alive));
}

} // namespace actpip::actors
