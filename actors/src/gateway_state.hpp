#pragma once
// The gateway's insides, shared by its files: gateway.cpp (admission, the log, the behaviour),
// gateway_resolve.cpp (resolutions and a client's own questions), gateway_wheels.cpp (the
// disk worker, transfers in chunks, eviction), gateway_supervisor.cpp (publishing and
// republishing). Private to actors/src.

#include "actpip/actors/gateway.hpp"

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace actpip::actors::gateway_detail {

using clock = std::chrono::steady_clock;

// ---- the disk work, on threads of its own (gateway_wheels.cpp) ----

using read_atom = caf::atom_constant<caf::atom("read")>;
using evict_atom = caf::atom_constant<caf::atom("evict")>;
using used_atom = caf::atom_constant<caf::atom("used")>;

struct evicted {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, evicted& x) {
    return f(caf::meta::type_name("actpip_evicted"), x.files, x.bytes);
}

using disk_worker_actor = caf::typed_actor<
    caf::replies_to<read_atom, std::string, std::uint64_t, std::uint32_t>::with<reply<std::string>>,
    caf::replies_to<evict_atom, std::uint64_t, std::vector<std::string>>::with<reply<evicted>>,
    caf::reacts_to<used_atom, std::string>>;

// ---- the gateway ----

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using gateway_impl = gateway_host_actor::extend<caf::reacts_to<tick_atom>>;

struct transfer {
    wire_file file; // to fetch it again if it was evicted meanwhile
    std::string path;
    std::string sha256;
    std::string filename;
    std::string client;
    std::uint64_t size = 0;
    std::uint64_t sent = 0;
    bool from_cache = false;
    clock::time_point opened;
    clock::time_point last;
};

struct gateway_state {
    gateway_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::shared_ptr<const fetch_service> service;
    gateway_options options;
    disk_worker_actor disk;
    std::map<std::string, std::uint32_t> in_flight; // by client
    std::map<std::uint64_t, transfer> transfers;
    std::multiset<std::string> preparing; // sha256 of wheels being found or downloaded
    std::mt19937_64 ids{std::random_device{}()};
    std::uint64_t sessions = 0;
    bool evicting = false;
    bool evict_again = false; // a wheel landed or was released during an eviction
    std::vector<caf::typed_response_promise<bool>> drains;
    // Providers for clients that resolve themselves, by target, least recently used first out.
    std::map<std::string, std::pair<data_provider_actor, std::uint64_t>> providers;
    std::uint64_t provider_uses = 0;
    static inline const char* name = "gateway";
};

using self_ptr = gateway_impl::stateful_pointer<gateway_state>;

// ---- shared by the gateway's files (gateway.cpp) ----

// What one request may carry: so many items, so long each.
inline constexpr std::size_t max_items = 4096;
inline constexpr std::size_t max_text = 8192;

// One line per request: text (key=value) or JSON.
using log_fields = std::vector<std::pair<std::string, std::string>>;

// One line of the server's log: key=value pairs, or a JSON object with `json`.
std::string format_line(bool json, log_fields fields);
void log_line(self_ptr self, log_fields fields);
std::string ms_since(clock::time_point t);
// "name@host#pid" of the sender being handled; read before make_response_promise().
std::string client_of(self_ptr self, const std::string& name);
// A refusal: logged with why, answered with what the client is told.
core::error refuse(self_ptr self, const std::string& client, const char* request, const char* why,
                   core::errc code, std::string told);
// The checks every request passes first (token, the client's bound); `release` when done.
std::optional<core::error> admit(self_ptr self, const std::string& token, const std::string& client,
                                 const char* request);
void release(self_ptr self, const std::string& client);
void check_drains(self_ptr self);
// The client's target with the server's own sources.
fetch_target server_side(self_ptr self, fetch_target t);
bool too_big(const std::vector<std::string>& items);
bool too_big(const fetch_target& t);
std::string next_session(self_ptr self);
void end_server_session(self_ptr self, const std::string& session);

// ---- gateway_resolve.cpp ----

caf::typed_response_promise<reply<remote_resolution>> resolve(self_ptr self, remote_resolve& r);
caf::typed_response_promise<reply<versions_answer>> ask_versions(self_ptr self, remote_versions& r);
caf::typed_response_promise<reply<metadata_answer>> ask_metadata(self_ptr self, remote_metadata& r);
caf::typed_response_promise<reply<wire_file>> ask_file(self_ptr self, remote_file& r);

// ---- gateway_wheels.cpp ----

disk_worker_actor spawn_disk_worker(self_ptr self);
// Evicts down to the budget (one eviction at a time; a trigger meanwhile runs another).
void keep_within_budget(self_ptr self);
caf::typed_response_promise<reply<remote_transfer>> wheel(self_ptr self, remote_wheel_request& r);
caf::typed_response_promise<reply<remote_chunk>> chunk(self_ptr self, remote_chunk_request& r);

} // namespace actpip::actors::gateway_detail
