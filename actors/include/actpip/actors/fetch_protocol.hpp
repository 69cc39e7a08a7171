#pragma once
// Messages of the fetch side: the index actor (name -> files) and the metadata actor
// (file -> core metadata), and the crawl between them. Plain serializable values: a file
// travels as its URL, name, version and hashes, never as a pointer into a page.

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "actpip/actors/error_inspect.hpp"
#include "actpip/core/error.hpp"

namespace actpip::actors {

// One distribution file of a project page, as the fetch actors pass it around.
struct wire_file {
    std::string name; // normalized project name
    std::string version;
    std::string filename;
    std::string url;                 // absolute, without fragment
    std::vector<std::string> hashes; // "sha256:<hex>", strongest first
    bool metadata_available = false; // PEP 658/714
    std::vector<std::string> metadata_hashes;
    std::string requires_python; // empty: none given
    bool yanked = false;
    std::string yank_reason;
    std::string source; // the index or find-links location it came from
};

// "Which files of `name` may be installed on the target?"
struct project_query {
    std::string name;
    std::string session;
    bool prefetch = false;
};

struct project_answer {
    std::string name;                  // normalized
    bool ok = true;                    // false: `error` says why the sources could not be read
    bool available = true;             // false: no source has the project
    std::vector<wire_file> files;      // the best file of each version, newest first
    std::vector<std::string> warnings; // e.g. the project is on two indexes
    std::string missing;               // when not available: why
    core::error error;
};

// "What is the core metadata of this file?"
struct metadata_fetch {
    wire_file file;
    std::string session;
    bool prefetch = false;
};

// cached: from the disk cache by the wheel's sha256 (no request).
enum class metadata_route : std::uint8_t { none, pep658, range, download, cached };

struct metadata_reply {
    bool ok = false;
    std::string name; // as the metadata writes it
    std::string version;
    std::vector<std::string> requires_dist;
    std::string requires_python;
    std::vector<std::string> provides_extra;
    metadata_route route = metadata_route::none;
    std::uint32_t requests = 0; // HTTP requests this answer cost
    core::error error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wire_file& x) {
    return f(caf::meta::type_name("wire_file"), x.name, x.version, x.filename, x.url, x.hashes,
             x.metadata_available, x.metadata_hashes, x.requires_python, x.yanked, x.yank_reason,
             x.source);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_query& x) {
    return f(caf::meta::type_name("project_query"), x.name, x.session, x.prefetch);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_answer& x) {
    return f(caf::meta::type_name("project_answer"), x.name, x.ok, x.available, x.files, x.warnings,
             x.missing, x.error);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metadata_fetch& x) {
    return f(caf::meta::type_name("metadata_fetch"), x.file, x.session, x.prefetch);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metadata_reply& x) {
    return f(caf::meta::type_name("metadata_reply"), x.ok, x.name, x.version, x.requires_dist,
             x.requires_python, x.provides_extra, x.route, x.requests, x.error);
}

// The crawl: fire-and-forget, lowest priority.
using prefetch_atom = caf::atom_constant<caf::atom("prefetch")>;
// Tells the metadata actor where to send its dependency prefetches (a weak address, so the
// index and metadata actors do not keep each other alive).
using crawl_to_atom = caf::atom_constant<caf::atom("crawl_to")>;

using metadata_actor = caf::typed_actor<caf::replies_to<metadata_fetch>::with<metadata_reply>,
                                        caf::reacts_to<prefetch_atom, wire_file, std::string>,
                                        caf::reacts_to<crawl_to_atom, caf::actor_addr>>;

using index_actor = caf::typed_actor<caf::replies_to<project_query>::with<project_answer>,
                                     caf::reacts_to<prefetch_atom, std::string, std::string>>;

} // namespace actpip::actors
