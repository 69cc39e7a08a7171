#pragma once
// The cache actor's vocabulary: HTTP entries with their caching decision (RFC 9111, made by
// the cache actor with the current time), core metadata by wheel hash, and wheels by sha256
// (found, or a temporary file to download into and then commit). Wheels travel as their
// path in the cache and their hash, never as bytes.

#include "actpip/actors/protocol/http.hpp"
#include "actpip/actors/protocol/reply.hpp"
#include "actpip/storage/http_cache_policy.hpp"

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace actpip::actors {

// "What should I do about this URL?" (the caching decision depends on the mode).
struct http_cache_query {
    std::string url;
    storage::cache_mode mode = storage::cache_mode::normal;
};

// What to do about a URL and what is stored for it.
struct http_cache_answer {
    storage::cache_action action = storage::cache_action::fetch;
    bool stored = false;    // `response` holds the stored entry
    http_response response; // status, headers, body of the stored entry
    std::string if_none_match;
    std::string if_modified_since;
    core::error note; // offline_miss: why; a corrupt entry that was dropped: what
};

// A response to keep (kept only when storage::is_storable says so).
struct http_cache_put {
    std::string url;
    std::uint16_t status = 0;
    std::vector<http_header> headers;
    std::string body;
    std::int64_t request_time = 0;
    std::int64_t response_time = 0;
};

// A wheel: where it is in the cache.
struct artifact {
    std::string path;
    std::string sha256;
    std::uint64_t size = 0;
};

// "Is the wheel with this sha256 stored? If not, where may I download it to?"
struct wheel_slot {
    bool found = false;
    artifact wheel;        // when found
    std::string temp_path; // when not found: a temporary file name in the cache (dir exists)
};

struct wheel_commit {
    std::string temp_path; // the downloaded file (removed in every case)
    std::string filename;  // for messages
    std::string expected;  // the index's hash "<alg>:<hex>", empty: none
};

struct cached_text {
    bool found = false;
    std::string text;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_cache_query& x) {
    return f(caf::meta::type_name("http_cache_query"), x.url, x.mode);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_cache_answer& x) {
    return f(caf::meta::type_name("http_cache_answer"), x.action, x.stored, x.response,
             x.if_none_match, x.if_modified_since, x.note);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_cache_put& x) {
    return f(caf::meta::type_name("http_cache_put"), x.url, x.status, x.headers, x.body,
             x.request_time, x.response_time);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, artifact& x) {
    return f(caf::meta::type_name("artifact"), x.path, x.sha256, x.size);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wheel_slot& x) {
    return f(caf::meta::type_name("wheel_slot"), x.found, x.wheel, x.temp_path);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wheel_commit& x) {
    return f(caf::meta::type_name("wheel_commit"), x.temp_path, x.filename, x.expected);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cached_text& x) {
    return f(caf::meta::type_name("cached_text"), x.found, x.text);
}

using not_modified_atom = caf::atom_constant<caf::atom("http_304")>;
using metadata_load_atom = caf::atom_constant<caf::atom("md_load")>;
using metadata_store_atom = caf::atom_constant<caf::atom("md_store")>;
using wheel_find_atom = caf::atom_constant<caf::atom("whl_find")>;
using discard_atom = caf::atom_constant<caf::atom("discard")>;

// http_cache_query: the decision and the stored entry.
// http_cache_put: stored when storable; the reply says whether it was (true) or not.
// http_304 (url, headers of the 304, request time, response time): the stored entry
//   freshened and written back (action use_stored), or `fetch` when it is gone.
// md_load / md_store (wheel sha256 hex[, METADATA text]).
// whl_find (sha256 hex or empty, filename): a stored wheel or a temporary file to fill.
// wheel_commit: verify the download, move it into place (a mismatch deletes it).
// discard (temp path): remove a failed download.
using cache_actor = caf::typed_actor<
    caf::replies_to<http_cache_query>::with<http_cache_answer>,
    caf::replies_to<http_cache_put>::with<reply<bool>>,
    caf::replies_to<not_modified_atom, std::string, std::vector<http_header>, std::int64_t,
                    std::int64_t>::with<http_cache_answer>,
    caf::replies_to<metadata_load_atom, std::string>::with<cached_text>,
    caf::replies_to<metadata_store_atom, std::string, std::string>::with<reply<bool>>,
    caf::replies_to<wheel_find_atom, std::string, std::string>::with<reply<wheel_slot>>,
    caf::replies_to<wheel_commit>::with<reply<artifact>>,
    caf::reacts_to<discard_atom, std::string>>;

} // namespace actpip::actors
