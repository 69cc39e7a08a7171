#include "actpip/actors/remote_client.hpp"

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/actors/protocol/timeouts.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace actpip::actors {

namespace {

constexpr std::chrono::seconds remote_connect_timeout{15};
// Opening a transfer waits for the server to fetch the wheel from its index first (a large
// wheel on a slow link takes minutes); the server's own network timeouts end a stalled fetch
// and a lost server is seen through the monitor, so this bound only catches a hung server.
constexpr std::chrono::minutes remote_wheel_fetch{30};

std::string host_name() {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

} // namespace

core::result<remote_link> connect_remote(caf::actor_system& sys, const std::string& where,
                                         const std::string& token, bool tls) {
    auto colon = where.rfind(':');
    std::uint16_t port = 0;
    if (colon == std::string::npos || colon == 0 ||
        std::from_chars(where.data() + colon + 1, where.data() + where.size(), port).ec !=
            std::errc{} ||
        port == 0)
        return core::fail(core::errc::invalid_requirement,
                          "--remote takes HOST:PORT, not '" + where + "'");
    auto host = where.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']'))
        host = host.substr(1, host.size() - 2);
    auto fail = [&](const std::string& why) {
        return core::fail(core::errc::network, "the server at " + where + " " + why);
    };
    if (!sys.has_middleman())
        return fail("cannot be used: the actor system has no middleman loaded");
    if (tls && !sys.has_openssl_manager())
        return fail("cannot be used over TLS: the actor system has no caf::openssl loaded");
    // Asked of the middleman as a request, so that a server that never answers the handshake
    // costs a timeout, not a hang.
    auto mm = tls ? sys.openssl_manager().actor_handle() : sys.middleman().actor_handle();
    caf::scoped_actor self{sys};
    caf::strong_actor_ptr found;
    std::set<std::string> interface;
    std::optional<core::error> unreachable;
    self->request(mm, remote_connect_timeout, caf::connect_atom::value, host, port)
        .receive(
            [&](caf::node_id&, caf::strong_actor_ptr& ptr, std::set<std::string>& ifs) {
                found = std::move(ptr);
                interface = std::move(ifs);
            },
            [&](caf::error& e) {
                unreachable =
                    core::error{core::errc::network, "the server at " + where + " " +
                                                         (e == caf::sec::cannot_connect_to_node
                                                              ? std::string("cannot be reached")
                                                              : describe(e))};
            });
    if (unreachable)
        return std::unexpected(std::move(*unreachable));
    if (!found)
        return fail("published no actor");
    if (interface != sys.message_types<gateway_actor>())
        return fail("is not an actpip server of this version");
    auto gateway = caf::actor_cast<gateway_actor>(std::move(found));
    remote_link link{gateway, token, host_name(), where, {}};
    std::optional<core::error> refused;
    self->request(link.gateway, std::chrono::seconds(15), remote_hello{token, link.client})
        .receive(
            [&](reply<remote_welcome>& w) {
                if (!w)
                    refused = std::move(w).error();
                else
                    link.server = std::move(*w);
            },
            [&](caf::error& e) { refused = from_caf(e, "the server at " + where); });
    if (refused)
        return std::unexpected(std::move(*refused));
    return link;
}

namespace {

struct remote_download_state {
    remote_download_state() = default; // not an aggregate: CAF would build it from self
    remote_link link;
    fetch_target target;
    cache_actor cache;
    download_actor direct;
    caf::actor reporter;
    bool dead = false; // the server failed once: everything goes direct from now on
    in_flight_table<caf::typed_response_promise<reply<downloaded_wheel>>> in_flight; // by URL
    // Downloads on their way from the server (by URL), with their temporary file: what goes
    // direct if the connection is lost, whose late answers are then ignored.
    std::map<std::string, std::pair<download_request, std::string>> from_server;
    // The server bounds the requests in flight per client: a transfer has one at a time (its
    // opening or one chunk), so at most `window` transfers run, the rest wait their turn.
    // The server refusing a request as busy (other jobs of this process share its bound)
    // shrinks the window to the turns held (the refused step waits for the next free one, or
    // a moment when none is held); each transfer that ends widens it again, up to `widest`.
    std::size_t window = 1;
    std::size_t widest = 1;
    bool retry_scheduled = false;
    std::set<std::string> pulling;             // URLs whose transfer holds a turn
    std::deque<std::function<void()>> waiting; // steps waiting for a turn, in order
    static inline const char* name = "remote_download";
};

using retry_atom = caf::atom_constant<caf::atom("retry")>;
// download_actor, plus the timer of a step the server was too busy for.
using remote_download_actor = download_actor::extend<caf::reacts_to<retry_atom>>;
using self_ptr = remote_download_actor::stateful_pointer<remote_download_state>;

void pump(self_ptr self);
bool busy(self_ptr self, const std::string& url, const core::error& e, std::function<void()> retry);

void finish(self_ptr self, const std::string& url, const reply<downloaded_wheel>& r) {
    auto& st = self->state;
    st.from_server.erase(url);
    if (st.pulling.erase(url) > 0) {
        st.window = std::min(st.widest, st.window + 1);
        pump(self);
    }
    for (auto& rp : self->state.in_flight.complete(url))
        rp.deliver(r);
}

// Whether a reply from the server about `url` still matters (not re-routed since).
bool awaited(self_ptr self, const std::string& url) {
    return self->state.from_server.contains(url);
}

void go_direct(self_ptr self, const download_request& m) {
    self->request(self->state.direct, caf::infinite, m)
        .then([self, url = m.file.url](reply<downloaded_wheel>& r) { finish(self, url, r); },
              [self, url = m.file.url](caf::error& e) {
                  finish(self, url, from_caf(e, "the download actor"));
              });
}

// The server failed: said once, then this download (and every later one) goes direct.
void server_failed(self_ptr self, const download_request& m, const std::string& temp,
                   const core::error& why) {
    auto& st = self->state;
    if (!awaited(self, m.file.url))
        return; // re-routed already
    st.from_server.erase(m.file.url);
    if (!temp.empty())
        caf::anon_send(st.cache, discard_atom::value, temp);
    if (!st.dead) {
        st.dead = true;
        if (st.reporter)
            caf::anon_send(st.reporter, remote_failed_atom::value, why.describe());
    }
    go_direct(self, m);
    if (st.pulling.erase(m.file.url) > 0)
        pump(self);
}

struct pull {
    download_request request;
    std::string temp;
    remote_transfer transfer;
    std::FILE* out = nullptr;
    std::uint64_t received = 0;
    ~pull() {
        if (out)
            std::fclose(out);
    }
};

void next_chunk(self_ptr self, std::shared_ptr<pull> p) {
    auto& st = self->state;
    remote_chunk_request c{st.link.token, p->transfer.id, p->received, remote_max_chunk};
    self->request(st.link.gateway, remote_silence, std::move(c))
        .then(
            [self, p](reply<remote_chunk>& chunk) {
                if (!awaited(self, p->request.file.url))
                    return;
                if (!chunk) {
                    if (busy(self, p->request.file.url, chunk.error(),
                             [self, p] { next_chunk(self, p); }))
                        return;
                    return server_failed(self, p->request, p->temp, chunk.error());
                }
                if (!chunk->bytes.empty() &&
                    std::fwrite(chunk->bytes.data(), 1, chunk->bytes.size(), p->out) !=
                        chunk->bytes.size())
                    return server_failed(self, p->request, p->temp,
                                         core::error{core::errc::io, "cannot write " + p->temp});
                p->received += chunk->bytes.size();
                if (!chunk->last) {
                    if (chunk->bytes.empty())
                        return server_failed(
                            self, p->request, p->temp,
                            core::error{core::errc::network, "the server sent an empty chunk"});
                    return next_chunk(self, p);
                }
                std::fclose(p->out);
                p->out = nullptr;
                const auto& f = p->request.file;
                // The cache checks the bytes against the index's hash, and they must be
                // what the server said it sends.
                auto expected =
                    f.hashes.empty() ? "sha256:" + p->transfer.sha256 : f.hashes.front();
                self->request(self->state.cache, cache_timeout,
                              wheel_commit{p->temp, f.filename, expected})
                    .then(
                        [self, p](reply<artifact>& a) {
                            if (!a)
                                return server_failed(self, p->request, "", a.error());
                            if (a->sha256 != p->transfer.sha256)
                                return server_failed(
                                    self, p->request, "",
                                    core::error{core::errc::hash_mismatch,
                                                p->request.file.filename +
                                                    " from the server is not what it said"});
                            finish(self, p->request.file.url, downloaded_wheel{*a, 1});
                        },
                        [self, p](caf::error& e) {
                            finish(self, p->request.file.url,
                                   from_caf(e, "the cache, storing " + p->request.file.filename));
                        });
            },
            [self, p](caf::error& e) {
                server_failed(self, p->request, p->temp,
                              from_caf(e, "the server at " + self->state.link.where));
            });
}

void start_pull(self_ptr self, const download_request& m, const std::string& temp) {
    auto& st = self->state;
    const auto& f = m.file;
    remote_wheel_request r{st.link.token, st.link.client,      f.name,   f.version,
                           f.filename,    sha256_of(f.hashes), st.target};
    self->request(st.link.gateway, remote_wheel_fetch, std::move(r))
        .then(
            [self, m, temp](reply<remote_transfer>& t) {
                if (!awaited(self, m.file.url))
                    return;
                if (!t) {
                    if (busy(self, m.file.url, t.error(),
                             [self, m, temp] { start_pull(self, m, temp); }))
                        return;
                    return server_failed(self, m, temp, t.error());
                }
                auto p = std::make_shared<pull>();
                p->request = m;
                p->temp = temp;
                p->transfer = *t;
                p->out = std::fopen(temp.c_str(), "wb");
                if (!p->out)
                    return server_failed(self, m, temp,
                                         core::error{core::errc::io, "cannot write " + temp});
                next_chunk(self, p);
            },
            [self, m, temp](caf::error& e) {
                server_failed(self, m, temp,
                              from_caf(e, "the server at " + self->state.link.where));
            });
}

// Runs waiting steps while the window allows (once the server failed, every step goes
// direct at once).
void pump(self_ptr self) {
    auto& st = self->state;
    if (st.retry_scheduled && !st.dead)
        return;
    while (!st.waiting.empty() && (st.dead || st.pulling.size() < st.window)) {
        auto step = std::move(st.waiting.front());
        st.waiting.pop_front();
        step();
    }
}

// A step of the transfer of `url` for its turn: `go` if it still comes from the server.
void wait_turn(self_ptr self, const std::string& url, bool first, std::function<void()> go) {
    auto step = [self, url, go = std::move(go)] {
        auto& st = self->state;
        auto it = st.from_server.find(url);
        if (it == st.from_server.end())
            return; // re-routed meanwhile
        if (st.dead) {
            auto [m, temp] = it->second;
            return server_failed(self, m, temp,
                                 core::error{core::errc::network, "the server failed earlier"});
        }
        st.pulling.insert(url);
        go();
    };
    if (first)
        self->state.waiting.push_back(std::move(step));
    else
        self->state.waiting.push_front(std::move(step));
    pump(self);
}

// The server said it is busy with this client: the step waits for a turn freed by another
// transfer of ours, or, holding none, tries again in a moment.
bool busy(self_ptr self, const std::string& url, const core::error& e,
          std::function<void()> retry) {
    auto& st = self->state;
    if (e.code != core::errc::busy)
        return false;
    st.pulling.erase(url);
    st.window = std::max<std::size_t>(1, st.pulling.size());
    if (st.pulling.empty() && !st.retry_scheduled) {
        st.retry_scheduled = true;
        self->delayed_send(self, std::chrono::milliseconds(200), retry_atom::value);
        st.window = 0; // nothing starts before the retry
    }
    wait_turn(self, url, false, std::move(retry));
    return true;
}

void from_server(self_ptr self, const download_request& m, const std::string& temp) {
    self->state.from_server.emplace(m.file.url, std::make_pair(m, temp));
    wait_turn(self, m.file.url, true, [self, m, temp] { start_pull(self, m, temp); });
}

remote_download_actor::behavior_type remote_download(self_ptr self, remote_link link,
                                                     fetch_target target, cache_actor cache,
                                                     download_actor direct, caf::actor reporter) {
    guard_exceptions(self, "the remote download actor");
    auto& st = self->state;
    st.link = std::move(link);
    st.target = std::move(target);
    st.cache = std::move(cache);
    st.direct = std::move(direct);
    st.reporter = std::move(reporter);
    // Half the server's bound: the session's resolution and other jobs of this process share it.
    st.widest = std::max<std::size_t>(1, st.link.server.max_in_flight / 2);
    st.window = st.widest;
    // A lost connection answers nothing: the monitor re-routes what was on its way.
    self->monitor(st.link.gateway);
    self->set_down_handler([self](caf::down_msg& dm) {
        auto& st = self->state;
        if (dm.source != st.link.gateway.address())
            return;
        auto pending = st.from_server;
        for (const auto& [url, entry] : pending)
            server_failed(self, entry.first, entry.second,
                          core::error{core::errc::network, "the connection was lost"});
        if (!st.dead) {
            st.dead = true;
            if (st.reporter)
                caf::anon_send(st.reporter, remote_failed_atom::value,
                               std::string("the connection was lost"));
        }
    });
    return {
        [self](retry_atom) {
            self->state.retry_scheduled = false;
            self->state.window = std::max<std::size_t>(1, self->state.window);
            pump(self);
        },
        [self](download_request& m) -> caf::typed_response_promise<reply<downloaded_wheel>> {
            auto rp = self->make_response_promise<reply<downloaded_wheel>>();
            auto& st = self->state;
            if (!st.in_flight.join(m.file.url, rp))
                return rp;
            if (st.dead || !st.cache || m.cache_mode == storage::cache_mode::offline) {
                go_direct(self, m);
                return rp;
            }
            // The local cache first: a wheel this machine has needs nobody.
            self->request(st.cache, cache_timeout, wheel_find_atom::value, sha256_of(m.file.hashes),
                          m.file.filename)
                .then(
                    [self, m](reply<wheel_slot>& slot) {
                        if (!slot)
                            return finish(self, m.file.url, slot.error());
                        if (slot->found)
                            return finish(self, m.file.url, downloaded_wheel{slot->wheel, 0});
                        if (self->state.dead)
                            return go_direct(self, m);
                        from_server(self, m, slot->temp_path);
                    },
                    [self, m](caf::error&) { go_direct(self, m); });
            return rp;
        },
    };
}

} // namespace

download_actor spawn_remote_download(caf::actor_system& sys, remote_link link, fetch_target target,
                                     cache_actor cache, download_actor direct,
                                     caf::actor reporter) {
    // Detached: it writes the chunks to disk as they come.
    return caf::actor_cast<download_actor>(
        sys.spawn<caf::detached>(remote_download, std::move(link), std::move(target),
                                 std::move(cache), std::move(direct), std::move(reporter)));
}

} // namespace actpip::actors
