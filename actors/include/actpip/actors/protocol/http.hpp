#pragma once
// The host pool's vocabulary: one HTTP request to one origin, its response, and the events
// (connections, bytes, retries) its subscribers receive. Plain values, so a host pool can
// serve a session in another process; a large body goes to the file the request names.

#include "actpip/actors/protocol/reply.hpp"
#include "actpip/net/event.hpp"
#include "actpip/net/request.hpp"

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace actpip::actors {

enum class range_kind : std::uint8_t { none, from, span, suffix };

struct http_request {
    std::string url;
    std::string method = "GET";
    range_kind range = range_kind::none;
    std::uint64_t range_first = 0; // from, span
    std::uint64_t range_last = 0;  // span (inclusive); suffix: the length
    std::string if_none_match;
    std::string if_modified_since;
    std::string accept; // the Accept header (index pages prefer PEP 691 JSON)
    net::priority priority = net::priority::critical;
    std::string session; // who asked (events carry it)
    std::uint64_t body_limit = 64ull << 20;
    std::string to_file; // when set, a 2xx body is written to this path, not into the reply
};

struct http_header {
    std::string name;
    std::string value;
};

struct http_response {
    std::uint16_t status = 0;
    std::string reason;
    std::vector<http_header> headers;
    std::string body;
    std::string file; // the request's to_file when the body went there
    std::string final_url;
    std::uint64_t body_bytes = 0;
    bool from_cache = false;
};

struct http_event {
    std::string session;
    net::event_kind kind = net::event_kind::request_started;
    std::string origin;
    std::string url; // credentials masked
    std::uint64_t bytes = 0;
    std::uint64_t total = 0; // 0: unknown
    std::uint16_t status = 0;
    std::string detail;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_request& x) {
    return f(caf::meta::type_name("http_request"), x.url, x.method, x.range, x.range_first,
             x.range_last, x.if_none_match, x.if_modified_since, x.accept, x.priority, x.session,
             x.body_limit, x.to_file);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_header& x) {
    return f(caf::meta::type_name("http_header"), x.name, x.value);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_response& x) {
    return f(caf::meta::type_name("http_response"), x.status, x.reason, x.headers, x.body, x.file,
             x.final_url, x.body_bytes, x.from_cache);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_event& x) {
    return f(caf::meta::type_name("http_event"), x.session, x.kind, x.origin, x.url, x.bytes,
             x.total, x.status, x.detail);
}

using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using unsubscribe_atom = caf::atom_constant<caf::atom("unsub")>;
using cancel_session_atom = caf::atom_constant<caf::atom("cancel_ses")>;
using preconnect_atom = caf::atom_constant<caf::atom("preconnect")>;

// One per scheme+host+port. The reply is the response (any status) or our error value
// (connection refused, timeout, TLS, cancelled), never a caf::error for a network failure.
// - `subscribe`/`unsubscribe`: any number of subscribers get every `http_event`; an event of
//   a request that several sessions joined is sent once per session (a session that joins
//   after the request started gets its `request_started` at once). Subscribers are
//   monitored.
// - `cancel_session`: the requests of a session that ended and are still queued at prefetch
//   or bulk priority are answered with an error ("cancelled") and never sent; a request also
//   asked for by a live session, or at critical priority, goes on.
// - `preconnect`: opens up to that many connections ahead of need.
using host_pool_actor = caf::typed_actor<caf::replies_to<http_request>::with<reply<http_response>>,
                                         caf::reacts_to<subscribe_atom, caf::actor>,
                                         caf::reacts_to<unsubscribe_atom, caf::actor>,
                                         caf::reacts_to<cancel_session_atom, std::string>,
                                         caf::reacts_to<preconnect_atom, std::uint32_t>>;

// The key under which identical requests are joined (method, URL, range, validators, file).
std::string request_key(const http_request& r);

} // namespace actpip::actors
