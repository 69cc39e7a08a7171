#include "actpip/actors/download_actor.hpp"

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/actors/protocol/timeouts.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

namespace actpip::actors {

namespace {

struct download_state {
    download_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::shared_ptr<const fetch_service_options> options;
    std::shared_ptr<fetch_pools> pools;
    cache_actor cache;
    in_flight_table<caf::typed_response_promise<reply<downloaded_wheel>>> in_flight; // by URL
    static inline const char* name = "download";
};

using self_ptr = download_actor::stateful_pointer<download_state>;

void finish(self_ptr self, const std::string& key, const reply<downloaded_wheel>& r) {
    for (auto& rp : self->state.in_flight.complete(key))
        rp.deliver(r);
}

void fail(self_ptr self, const wire_file& file, core::error e) {
    finish(self, file.url, std::move(e).add_context("while downloading " + file.filename));
}

void verify(self_ptr self, const wire_file& file, const std::string& temp) {
    wheel_commit c{temp, file.filename, file.hashes.empty() ? std::string() : file.hashes.front()};
    self->request(self->state.cache, cache_timeout, std::move(c))
        .then(
            [self, file](reply<artifact>& a) {
                if (!a)
                    return fail(self, file, std::move(a).error());
                finish(self, file.url, downloaded_wheel{std::move(*a), 1});
            },
            [self, file](caf::error& e) {
                fail(self, file, from_caf(e, "the cache, storing " + file.filename));
            });
}

void fetch(self_ptr self, const wire_file& file, const std::string& session, bool offline,
           const std::string& temp) {
    auto& st = self->state;
    if (offline)
        return fail(self, file, storage::offline_miss_error(file.url));
    auto pool = st.pools->for_url(file.url);
    if (!pool)
        return fail(self, file, std::move(pool.error()));
    http_request req;
    req.url = file.url;
    req.priority = net::priority::bulk;
    req.session = session;
    req.body_limit = 1ull << 40;
    req.to_file = temp;
    auto discard_and_fail = [self, file, temp](core::error e) {
        caf::anon_send(self->state.cache, discard_atom::value, temp);
        fail(self, file, std::move(e));
    };
    self->request(*pool, caf::infinite, req)
        .then(
            [self, file, temp, discard_and_fail](reply<http_response>& r) {
                if (!r)
                    discard_and_fail(std::move(r).error());
                else if (r->status != 200)
                    discard_and_fail(
                        core::error{core::errc::network,
                                    "HTTP " + std::to_string(r->status) + " for " + file.url});
                else
                    verify(self, file, temp);
            },
            [discard_and_fail, file](caf::error& e) {
                discard_and_fail(from_caf(e, "the host pool, asked for " + file.url));
            });
}

void start(self_ptr self, const download_request& m) {
    auto file = m.file;
    auto session = m.session;
    bool offline = m.cache_mode == storage::cache_mode::offline;
    self->request(self->state.cache, cache_timeout, wheel_find_atom::value, sha256_of(file.hashes),
                  file.filename)
        .then(
            [self, file, session, offline](reply<wheel_slot>& slot) {
                if (!slot)
                    fail(self, file, std::move(slot).error());
                else if (slot->found) // never fetched twice
                    finish(self, file.url, downloaded_wheel{std::move(slot->wheel), 0});
                else
                    fetch(self, file, session, offline, slot->temp_path);
            },
            [self, file](caf::error& e) {
                fail(self, file, from_caf(e, "the cache, asked for " + file.filename));
            });
}

download_actor::behavior_type download(self_ptr self,
                                       std::shared_ptr<const fetch_service_options> options,
                                       std::shared_ptr<fetch_pools> pools, cache_actor cache) {
    self->state.options = std::move(options);
    self->state.pools = std::move(pools);
    self->state.cache = std::move(cache);
    guard_exceptions(self, "the download actor");
    return {
        [self](download_request& m) -> caf::typed_response_promise<reply<downloaded_wheel>> {
            auto rp = self->make_response_promise<reply<downloaded_wheel>>();
            if (!self->state.cache) {
                rp.deliver(reply<downloaded_wheel>(core::error{
                    core::errc::unsupported, "downloading " + m.file.filename + " needs a cache"}));
                return rp;
            }
            if (self->state.in_flight.join(m.file.url, rp))
                start(self, m);
            return rp;
        },
    };
}

} // namespace

download_actor spawn_download(caf::actor_system& sys,
                              std::shared_ptr<const fetch_service_options> options,
                              std::shared_ptr<fetch_pools> pools, cache_actor cache) {
    return sys.spawn(download, std::move(options), std::move(pools), std::move(cache));
}

} // namespace actpip::actors
