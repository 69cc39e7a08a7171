// A gateway's wheels: found on the server's index, fetched into its cache (joining a
// download in flight), streamed in chunks the client pulls, fetched again if evicted between
// two chunks; the cache kept within its budget, never evicting a wheel being served.

#include "gateway_state.hpp"

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/error_bridge.hpp"
#include "actpip/core/name.hpp"
#include "actpip/storage/cache_budget.hpp"

#include <caf/send.hpp>

#include <algorithm>
#include <fstream>

namespace actpip::actors::gateway_detail {

namespace {

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

} // namespace

disk_worker_actor spawn_disk_worker(self_ptr self) {
    return self->spawn<caf::detached + caf::linked>(disk_worker, self->state.options.cache_dir);
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

} // namespace actpip::actors::gateway_detail
