#pragma once
// The remote boundary (`actpip serve`, `actpip install --remote`): what a client asks a
// server's gateway. Every request carries the client's token; the server answers with its
// own indexes (a client's target says which files fit its interpreter, never where to fetch
// from), resolves with its warm fetch side, and streams wheels in chunks the client pulls one
// after another (flow control: the server never holds more than one chunk for a client).
// Files are named by project, version, file name and sha256, never by a path or a URL.

#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/actors/protocol/reply.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/resolver/options.hpp"

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace actpip::actors {

// The version of this vocabulary; a server refuses a client of another one.
inline constexpr std::uint32_t remote_protocol_version = 3;

// "May I?": the token checked before anything is asked; `client` names the client in logs.
struct remote_hello {
    std::string token;
    std::string client;
    std::uint32_t protocol = remote_protocol_version;
};

// Who answers, and from where it takes packages (credentials masked): a client whose own
// sources differ would get another result through it, so it fetches directly instead.
struct remote_welcome {
    std::string server; // "actpip <version>"
    std::uint32_t protocol = remote_protocol_version;
    std::vector<std::string> index_urls;
    std::vector<std::string> find_links;
    core::index_strategy strategy = core::index_strategy::first_index;
    std::uint32_t max_in_flight = 64; // the client keeps its requests within this
};

// "Resolve these for my target." Requirements and constraints as PEP 508 text (no direct
// references: those a client resolves itself), the choice options, and what is installed.
struct remote_resolve {
    std::string token;
    std::string client;
    std::vector<std::string> requirements;
    std::vector<std::string> constraints;
    resolver::resolution_strategy strategy = resolver::resolution_strategy::highest;
    bool upgrade = false;
    std::vector<std::string> upgrade_packages;
    bool force_reinstall = false;
    bool no_deps = false;
    std::vector<std::string> installed; // "name==version"
    fetch_target target;
};

// The outcome, and the file of every pin that is not installed (as the server's index
// lists it).
struct remote_resolution {
    resolution_outcome outcome;
    std::vector<wire_file> files;
};

// While it resolves, the server tells the asker of each tentative pin's file, so that the
// client starts that wheel's transfer at once, as its own resolution would (unasked: sent to
// the actor that asked for the resolution; a backtrack may drop the pin).
struct remote_pinned {
    wire_file file;
};

// A client that resolves itself (direct references among its requirements) asks the server's
// fetch side for project pages, metadata and pins' files, one question at a time: the
// server's provider for the client's target (with the server's own sources) answers, and its
// crawl runs ahead as it does for the server's own resolutions.
template <class Query>
struct remote_question {
    std::string token;
    std::string client;
    fetch_target target;
    Query query;
};

using remote_versions = remote_question<versions_query>;
using remote_metadata = remote_question<metadata_query>;
using remote_file = remote_question<file_query>;

// The name each kind of question travels under.
template <class Query>
inline constexpr const char* remote_question_name = nullptr;
template <>
inline constexpr const char* remote_question_name<versions_query> = "remote_versions";
template <>
inline constexpr const char* remote_question_name<metadata_query> = "remote_metadata";
template <>
inline constexpr const char* remote_question_name<file_query> = "remote_file";

// "Send me this wheel": the server finds it on its own index (by the target's rules) and
// opens a transfer from its cache.
struct remote_wheel_request {
    std::string token;
    std::string client;
    std::string name;
    std::string version;
    std::string filename;
    std::string sha256; // hex; empty: the index's
    fetch_target target;
};

struct remote_transfer {
    std::uint64_t id = 0; // for the chunks
    std::string sha256;
    std::uint64_t size = 0;
    bool from_cache = false; // the server had it already
};

// The next piece of a transfer; a transfer not asked for a while is dropped.
struct remote_chunk_request {
    std::string token;
    std::uint64_t transfer = 0;
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
};

struct remote_chunk {
    std::string bytes;
    bool last = false; // the transfer is complete (and closed on the server)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_hello& x) {
    return f(caf::meta::type_name("remote_hello"), x.token, x.client, x.protocol);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_welcome& x) {
    return f(caf::meta::type_name("remote_welcome"), x.server, x.protocol, x.index_urls,
             x.find_links, x.strategy, x.max_in_flight);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_resolve& x) {
    return f(caf::meta::type_name("remote_resolve"), x.token, x.client, x.requirements,
             x.constraints, x.strategy, x.upgrade, x.upgrade_packages, x.force_reinstall, x.no_deps,
             x.installed, x.target);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_resolution& x) {
    return f(caf::meta::type_name("remote_resolution"), x.outcome, x.files);
}

template <class Inspector, class Query>
typename Inspector::result_type inspect(Inspector& f, remote_question<Query>& x) {
    return f(caf::meta::type_name(remote_question_name<Query>), x.token, x.client, x.target,
             x.query);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_pinned& x) {
    return f(caf::meta::type_name("remote_pinned"), x.file);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_wheel_request& x) {
    return f(caf::meta::type_name("remote_wheel_request"), x.token, x.client, x.name, x.version,
             x.filename, x.sha256, x.target);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_transfer& x) {
    return f(caf::meta::type_name("remote_transfer"), x.id, x.sha256, x.size, x.from_cache);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_chunk_request& x) {
    return f(caf::meta::type_name("remote_chunk_request"), x.token, x.transfer, x.offset, x.length);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remote_chunk& x) {
    return f(caf::meta::type_name("remote_chunk"), x.bytes, x.last);
}

// The largest chunk a client may ask for.
inline constexpr std::uint32_t remote_max_chunk = 1u << 20;

// The server's one published actor. A request with a wrong token, of another protocol
// version, or over the client's bound on requests in flight is answered with an error.
using gateway_actor =
    caf::typed_actor<caf::replies_to<remote_hello>::with<reply<remote_welcome>>,
                     caf::replies_to<remote_resolve>::with<reply<remote_resolution>>,
                     caf::replies_to<remote_versions>::with<reply<versions_answer>>,
                     caf::replies_to<remote_metadata>::with<reply<metadata_answer>>,
                     caf::replies_to<remote_file>::with<reply<wire_file>>,
                     caf::replies_to<remote_wheel_request>::with<reply<remote_transfer>>,
                     caf::replies_to<remote_chunk_request>::with<reply<remote_chunk>>>;

// Client side: (remote_failed, why) tells the session once that the server failed and the
// job goes on directly.
using remote_failed_atom = caf::atom_constant<caf::atom("remote_ko")>;

} // namespace actpip::actors
