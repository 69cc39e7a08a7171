#pragma once
// The vocabulary of the index actor (a project name -> the files of it that fit the target)
// and the metadata actor (a file -> its core metadata), and the crawl between them. A file
// travels as its URL, name, version and hashes, never as a pointer into a page. "No index has
// this project" is an answer (data); an error is a source that could not be read.

#include "actpip/actors/protocol/reply.hpp"

#include <caf/actor_addr.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

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

// Why a project answer has no files.
enum class project_absence : std::uint8_t {
    no_project,         // no source has the project
    no_compatible_file, // files exist, none fits the target (or only sdists)
};

struct project_answer {
    std::string name;                  // normalized
    bool available = true;             // false: see `absence` and `missing`
    std::vector<wire_file> files;      // the best file of each version, newest first
    std::vector<std::string> warnings; // e.g. the project is on two indexes
    project_absence absence = project_absence::no_project;
    std::string missing; // when not available: why, for people
};

// "What is the core metadata of this file?"
struct metadata_fetch {
    wire_file file;
    std::string session;
    bool prefetch = false;
};

// How the metadata was obtained; cached: from the disk cache by the wheel's sha256.
enum class metadata_route : std::uint8_t { none, pep658, range, download, cached };

struct file_metadata {
    std::string name; // as the metadata writes it
    std::string version;
    std::vector<std::string> requires_dist;
    std::string requires_python;
    std::vector<std::string> provides_extra;
    metadata_route route = metadata_route::none;
    std::uint32_t requests = 0; // HTTP requests this answer cost
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
    return f(caf::meta::type_name("project_answer"), x.name, x.available, x.files, x.warnings,
             x.absence, x.missing);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metadata_fetch& x) {
    return f(caf::meta::type_name("metadata_fetch"), x.file, x.session, x.prefetch);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, file_metadata& x) {
    return f(caf::meta::type_name("file_metadata"), x.name, x.version, x.requires_dist,
             x.requires_python, x.provides_extra, x.route, x.requests);
}

// The crawl: fire-and-forget, lowest priority.
using prefetch_atom = caf::atom_constant<caf::atom("prefetch")>;
// Tells the metadata actor where to send its dependency prefetches (a weak address, so the
// index and metadata actors do not keep each other alive).
using crawl_to_atom = caf::atom_constant<caf::atom("crawl_to")>;

// metadata_fetch -> the metadata, or an error naming the file and the cause.
// prefetch (file, session): fetch it ahead of need (the index actor's crawl).
using metadata_actor = caf::typed_actor<caf::replies_to<metadata_fetch>::with<reply<file_metadata>>,
                                        caf::reacts_to<prefetch_atom, wire_file, std::string>,
                                        caf::reacts_to<crawl_to_atom, caf::actor_addr>>;

// project_query -> the project's files, or an error naming the source that failed.
// prefetch (name, session): fetch the pages ahead of need (the metadata actor's crawl).
using index_actor = caf::typed_actor<caf::replies_to<project_query>::with<reply<project_answer>>,
                                     caf::reacts_to<prefetch_atom, std::string, std::string>>;

} // namespace actpip::actors
