#include "actpip/actors/download_actor.hpp"

#include "actpip/actors/in_flight_table.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

namespace actpip::actors {

namespace {

struct download_state {
    download_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::shared_ptr<const fetch_options> options;
    std::shared_ptr<fetch_pools> pools;
    cache_actor cache;
    in_flight_table<caf::typed_response_promise<download_result>> in_flight; // by URL
    static inline const char* name = "download";
};

using self_ptr = download_actor::stateful_pointer<download_state>;

void finish(self_ptr self, const std::string& key, const download_result& r) {
    for (auto& rp : self->state.in_flight.complete(key))
        rp.deliver(r);
}

void fail(self_ptr self, const wire_file& file, core::error e, std::uint32_t requests = 0) {
    download_result r;
    r.requests = requests;
    r.error = std::move(e).add_context("while downloading " + file.filename);
    finish(self, file.url, r);
}

void verify(self_ptr self, const wire_file& file, const std::string& temp) {
    wheel_commit c{temp, file.filename, file.hashes.empty() ? std::string() : file.hashes.front()};
    self->request(self->state.cache, caf::infinite, std::move(c))
        .then(
            [self, file](artifact_result& a) {
                if (!a.ok) {
                    fail(self, file, std::move(a.error), 1);
                    return;
                }
                download_result r;
                r.ok = true;
                r.wheel = std::move(a.wheel);
                r.requests = 1;
                finish(self, file.url, r);
            },
            [self, file](caf::error& e) {
                fail(self, file, core::error{core::errc::internal, caf::to_string(e)}, 1);
            });
}

void fetch(self_ptr self, const wire_file& file, const std::string& session,
           const std::string& temp) {
    auto& st = self->state;
    if (st.options->cache_mode == storage::cache_mode::offline) {
        fail(self, file, storage::offline_miss_error(file.url));
        return;
    }
    auto pool = st.pools->for_url(file.url);
    if (!pool) {
        fail(self, file, std::move(pool.error()));
        return;
    }
    http_request req;
    req.url = file.url;
    req.priority = 2; // bulk
    req.session = session;
    req.body_limit = 1ull << 40;
    req.to_file = temp;
    auto discard_and_fail = [self, file, temp](core::error e) {
        caf::anon_send(self->state.cache, discard_atom::value, temp);
        fail(self, file, std::move(e), 1);
    };
    self->request(*pool, caf::infinite, req)
        .then(
            [self, file, temp, discard_and_fail](http_result& r) {
                if (!r.ok)
                    discard_and_fail(std::move(r.error));
                else if (r.response.status != 200)
                    discard_and_fail(core::error{core::errc::network,
                                                 "HTTP " + std::to_string(r.response.status) +
                                                     " for " + file.url});
                else
                    verify(self, file, temp);
            },
            [discard_and_fail](caf::error& e) {
                discard_and_fail(
                    core::error{core::errc::network, "host pool failed: " + caf::to_string(e)});
            });
}

void start(self_ptr self, const download_request& m) {
    auto file = m.file;
    auto session = m.session;
    self->request(self->state.cache, caf::infinite, wheel_find_atom::value, sha256_of(file.hashes),
                  file.filename)
        .then(
            [self, file, session](wheel_slot& slot) {
                if (slot.found) { // never fetched twice
                    download_result r;
                    r.ok = true;
                    r.wheel = std::move(slot.wheel);
                    finish(self, file.url, r);
                } else if (slot.temp_path.empty()) {
                    fail(self, file, std::move(slot.error));
                } else {
                    fetch(self, file, session, slot.temp_path);
                }
            },
            [self, file](caf::error& e) {
                fail(self, file, core::error{core::errc::internal, caf::to_string(e)});
            });
}

download_actor::behavior_type download(self_ptr self, std::shared_ptr<const fetch_options> options,
                                       std::shared_ptr<fetch_pools> pools, cache_actor cache) {
    self->state.options = std::move(options);
    self->state.pools = std::move(pools);
    self->state.cache = std::move(cache);
    self->set_exception_handler([](caf::scheduled_actor*, std::exception_ptr&) -> caf::error {
        return caf::make_error(caf::sec::runtime_error, "unexpected exception in download");
    });
    return {
        [self](download_request& m) -> caf::typed_response_promise<download_result> {
            auto rp = self->make_response_promise<download_result>();
            if (!self->state.cache) {
                download_result r;
                r.error = core::error{core::errc::unsupported,
                                      "downloading " + m.file.filename + " needs a cache"};
                rp.deliver(r);
                return rp;
            }
            if (self->state.in_flight.join(m.file.url, rp))
                start(self, m);
            return rp;
        },
    };
}

} // namespace

download_actor spawn_download(caf::actor_system& sys, std::shared_ptr<const fetch_options> options,
                              std::shared_ptr<fetch_pools> pools, cache_actor cache) {
    return sys.spawn(download, std::move(options), std::move(pools), std::move(cache));
}

} // namespace actpip::actors
