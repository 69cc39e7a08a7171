#include "actpip/actors/host_pool.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/in_flight_table.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace actpip::actors {

namespace {

// Completions and events coming back from the network thread: the pool's own messages,
// outside its public interface.
using fetch_done_atom = caf::atom_constant<caf::atom("fetch_done")>;
using pool_event_atom = caf::atom_constant<caf::atom("pool_event")>;

using host_pool_impl =
    host_pool_actor::extend<caf::reacts_to<fetch_done_atom, std::string, reply<http_response>>,
                            caf::reacts_to<pool_event_atom, std::string, http_event>>;

// What the pool knows of one request in flight (one key of `in_flight`).
struct host_pool_request {
    net::priority priority = net::priority::critical; // as sent to the client
    std::vector<std::string> sessions; // every session that asked, in order, distinct
    std::vector<std::string> live;     // those not cancelled since
    bool critical_asker = false;       // somebody asked at critical priority: never cancelled
    net::cancel_flag cancel;
    std::optional<http_event> started; // replayed to sessions joining later
};

struct host_pool_state {
    std::shared_ptr<net::client> client; // shared by every host pool of the process
    std::string origin;                  // "https://host:443"
    std::vector<caf::actor> subscribers;
    in_flight_table<caf::typed_response_promise<reply<http_response>>> in_flight;
    std::map<std::string, host_pool_request> requests; // by request_key
    // Files being downloaded into (by request key); removed if the pool ends first.
    std::shared_ptr<std::map<std::string, std::string>> partial_files =
        std::make_shared<std::map<std::string, std::string>>();
    static inline const char* name = "host_pool";
};

core::result<net::request> to_net(const http_request& m) {
    auto u = net::url::parse(m.url);
    if (!u)
        return std::unexpected(std::move(u.error()));
    net::request r;
    r.method = m.method;
    r.target = std::move(*u);
    switch (m.range) {
    case range_kind::none:
        break;
    case range_kind::from:
        r.range = net::byte_range::from(m.range_first);
        break;
    case range_kind::span:
        r.range = net::byte_range::span(m.range_first, m.range_last);
        break;
    case range_kind::suffix:
        r.range = net::byte_range::suffix(m.range_last);
        break;
    }
    if (!m.if_none_match.empty())
        r.if_none_match = m.if_none_match;
    if (!m.if_modified_since.empty())
        r.if_modified_since = m.if_modified_since;
    if (!m.accept.empty())
        r.headers.push_back({"Accept", m.accept});
    r.prio = m.priority;
    r.body_limit = m.body_limit;
    return r;
}

reply<http_response> to_reply(core::result<net::response> r, const std::string& file) {
    if (!r)
        return std::move(r.error());
    http_response resp;
    resp.status = static_cast<std::uint16_t>(r->status);
    resp.reason = std::move(r->reason);
    for (auto& h : r->headers)
        resp.headers.push_back({std::move(h.name), std::move(h.value)});
    resp.body = std::move(r->body);
    if (!file.empty() && r->ok())
        resp.file = file;
    resp.final_url = r->final_url.to_string();
    resp.body_bytes = r->body_bytes;
    return resp;
}

http_event to_event(const net::event& e, const std::string& session) {
    return http_event{session,
                      e.kind,
                      e.origin,
                      e.url,
                      e.bytes,
                      e.total.value_or(0),
                      static_cast<std::uint16_t>(e.status),
                      e.detail};
}

// A file sink shared by the request (on the network thread) and nobody else.
struct file_sink {
    std::FILE* f = nullptr;
    ~file_sink() {
        if (f)
            std::fclose(f);
    }
};

using self_ptr = host_pool_impl::stateful_pointer<host_pool_state>;

void publish(self_ptr self, const http_event& e) {
    for (const auto& sub : self->state.subscribers)
        caf::anon_send(sub, e);
}

// Answers every asker of `key` and forgets the request.
void finish(self_ptr self, const std::string& key, const reply<http_response>& r) {
    self->state.requests.erase(key);
    for (auto& w : self->state.in_flight.complete(key))
        w.deliver(r);
}

void fail(self_ptr self, const std::string& key, core::error e) {
    finish(self, key, reply<http_response>(std::move(e)));
}

// A later asker of a request in flight: its session gets the events from now on.
void join(self_ptr self, host_pool_request& entry, const http_request& m) {
    if (m.priority == net::priority::critical)
        entry.critical_asker = true;
    if (std::find(entry.live.begin(), entry.live.end(), m.session) == entry.live.end())
        entry.live.push_back(m.session);
    if (std::find(entry.sessions.begin(), entry.sessions.end(), m.session) != entry.sessions.end())
        return;
    entry.sessions.push_back(m.session);
    if (entry.started) {
        auto e = *entry.started;
        e.session = m.session;
        publish(self, e);
    }
}

host_pool_impl::behavior_type host_pool(self_ptr self, std::shared_ptr<net::client> client,
                                        std::string origin) {
    self->state.client = std::move(client);
    self->state.origin = std::move(origin);
    guard_exceptions(self, "the host pool for " + self->state.origin);
    self->attach_functor([partial = self->state.partial_files](const caf::error&) {
        for (const auto& [key, path] : *partial)
            std::remove(path.c_str());
    });
    self->set_down_handler([self](caf::down_msg& dm) {
        std::erase_if(self->state.subscribers,
                      [&](const caf::actor& a) { return a.address() == dm.source; });
    });
    return {
        [self](http_request& m) -> caf::typed_response_promise<reply<http_response>> {
            auto rp = self->make_response_promise<reply<http_response>>();
            auto key = request_key(m);
            if (!self->state.in_flight.join(key, rp)) {
                join(self, self->state.requests[key], m);
                return rp; // joined an identical request in flight
            }
            auto& entry = self->state.requests[key];
            entry.priority = m.priority;
            entry.critical_asker = m.priority == net::priority::critical;
            entry.sessions = {m.session};
            entry.live = {m.session};
            entry.cancel = net::make_cancel_flag();
            auto req = to_net(m);
            if (req && req->target.scheme() != "file" && req->target.origin() != self->state.origin)
                req = core::fail(core::errc::internal, "host pool for " + self->state.origin +
                                                           " asked for " + req->target.redacted());
            if (!req) {
                fail(self, key, std::move(req.error()));
                return rp;
            }
            req->cancel = entry.cancel;
            auto me = caf::actor_cast<host_pool_impl>(self);
            // Events come back through the mailbox, which knows who joined meanwhile.
            req->on_event = [me, key, session = m.session](const net::event& e) {
                caf::anon_send(me, pool_event_atom::value, key, to_event(e, session));
            };
            std::shared_ptr<file_sink> sink;
            if (!m.to_file.empty()) {
                sink = std::make_shared<file_sink>();
                sink->f = std::fopen(m.to_file.c_str(), "wb");
                if (!sink->f) {
                    fail(self, key, core::error{core::errc::io, "cannot write " + m.to_file});
                    return rp;
                }
                (*self->state.partial_files)[key] = m.to_file;
                req->sink = [sink](std::string_view chunk) -> core::result<void> {
                    if (std::fwrite(chunk.data(), 1, chunk.size(), sink->f) != chunk.size())
                        return core::fail(core::errc::io, "write failed");
                    return {};
                };
            }
            self->state.client->async_fetch(
                std::move(*req), [me, key, sink, file = m.to_file](core::result<net::response> r) {
                    if (sink && sink->f) {
                        std::fclose(sink->f);
                        sink->f = nullptr;
                    }
                    caf::anon_send(me, fetch_done_atom::value, key, to_reply(std::move(r), file));
                });
            return rp;
        },
        [self](fetch_done_atom, const std::string& key, reply<http_response>& r) {
            self->state.partial_files->erase(key); // the asker owns the file now
            finish(self, key, r);
        },
        [self](pool_event_atom, const std::string& key, http_event& e) {
            auto it = self->state.requests.find(key);
            if (it == self->state.requests.end()) {
                publish(self, e);
                return;
            }
            if (e.kind == net::event_kind::request_started)
                it->second.started = e;
            for (const auto& session : it->second.sessions) {
                e.session = session;
                publish(self, e);
            }
        },
        [self](subscribe_atom, caf::actor& subscriber) {
            auto& subs = self->state.subscribers;
            if (!subscriber || std::find(subs.begin(), subs.end(), subscriber) != subs.end())
                return;
            self->monitor(subscriber);
            subs.push_back(std::move(subscriber));
        },
        [self](unsubscribe_atom, const caf::actor& subscriber) {
            std::erase(self->state.subscribers, subscriber);
            self->demonitor(subscriber);
        },
        [self](cancel_session_atom, const std::string& session) {
            for (auto& [key, entry] : self->state.requests) {
                std::erase(entry.live, session);
                if (entry.live.empty() && !entry.critical_asker &&
                    entry.priority != net::priority::critical)
                    self->state.client->cancel(entry.cancel);
            }
        },
        [self](preconnect_atom, std::uint32_t count) {
            if (auto u = net::url::parse(self->state.origin))
                self->state.client->preconnect(*u, count);
        },
    };
}

} // namespace

host_pool_actor spawn_host_pool(caf::actor_system& sys, std::shared_ptr<net::client> client,
                                std::string origin) {
    return caf::actor_cast<host_pool_actor>(
        sys.spawn(host_pool, std::move(client), std::move(origin)));
}

} // namespace actpip::actors
