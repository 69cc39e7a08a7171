#pragma once
// The vocabulary of the index actor (a project name -> the files of it that fit the target)
// and the metadata actor (a file -> its core metadata), and the crawl between them. A file
// travels as its URL, name, version and hashes, never as a pointer into a page. "No index has
// this project" is an answer (data); an error is a source that could not be read.

#include "actpip/actors/protocol/reply.hpp"
#include "actpip/core/index_merge.hpp"
#include "actpip/core/platform_tags.hpp"
#include "actpip/storage/http_cache_policy.hpp"

#include <caf/actor_addr.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace actpip::actors {

// The facts that decide which wheel tags fit the target interpreter (core::interpreter_info
// in wire form, with pip's --platform values): the tags are computed from them where needed.
struct wire_interpreter {
    std::string implementation = "cp";
    std::uint32_t major = 3;
    bool has_minor = true;
    std::uint32_t minor = 12;
    std::vector<std::string> abis;
    core::os_kind os = core::os_kind::linux_family;
    std::string arch = "x86_64";
    bool has_glibc = false;
    std::uint32_t glibc_major = 0;
    std::uint32_t glibc_minor = 0;
    bool has_musl = false;
    std::uint32_t musl_major = 0;
    std::uint32_t musl_minor = 0;
    std::uint32_t macos_major = 11;
    std::uint32_t macos_minor = 0;
    std::string platform;               // os_kind::other
    std::vector<std::string> platforms; // --platform: replaces the machine's platforms
};

// What a fetch answer depends on besides the request itself: where projects come from, which
// files fit the target and by which rules they are chosen, the target's markers (which
// dependencies the crawl follows) and the cache mode. It travels in every request, so one
// fetch side serves every session of a process, and every client of `actpip serve`.
struct fetch_target {
    std::vector<std::string> index_urls; // --index-url then each --extra-index-url
    std::vector<std::string> find_links; // pages or file:// directories
    core::index_strategy strategy = core::index_strategy::first_index;
    wire_interpreter interpreter;
    std::string python_version; // the target's full version, for Requires-Python
    bool allow_prereleases = false;
    std::vector<std::string> no_binary; // names, ":all:"
    std::vector<std::string> only_binary;
    std::map<std::string, std::string> markers;
    // normal: fresh pages cost no request, stale ones a conditional one; refresh: revalidate
    // everything; offline: never the network, a miss is an error.
    storage::cache_mode cache_mode = storage::cache_mode::normal;
    bool crawl = true; // index -> metadata -> index prefetches
};

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
    fetch_target target;
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

// "What is the core metadata of this file?" (`target`: where the crawl goes on from it)
struct metadata_fetch {
    wire_file file;
    std::string session;
    bool prefetch = false;
    fetch_target target;
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
typename Inspector::result_type inspect(Inspector& f, wire_interpreter& x) {
    return f(caf::meta::type_name("wire_interpreter"), x.implementation, x.major, x.has_minor,
             x.minor, x.abis, x.os, x.arch, x.has_glibc, x.glibc_major, x.glibc_minor, x.has_musl,
             x.musl_major, x.musl_minor, x.macos_major, x.macos_minor, x.platform, x.platforms);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_target& x) {
    return f(caf::meta::type_name("fetch_target"), x.index_urls, x.find_links, x.strategy,
             x.interpreter, x.python_version, x.allow_prereleases, x.no_binary, x.only_binary,
             x.markers, x.cache_mode, x.crawl);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wire_file& x) {
    return f(caf::meta::type_name("wire_file"), x.name, x.version, x.filename, x.url, x.hashes,
             x.metadata_available, x.metadata_hashes, x.requires_python, x.yanked, x.yank_reason,
             x.source);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_query& x) {
    return f(caf::meta::type_name("project_query"), x.name, x.session, x.prefetch, x.target);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_answer& x) {
    return f(caf::meta::type_name("project_answer"), x.name, x.available, x.files, x.warnings,
             x.absence, x.missing);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metadata_fetch& x) {
    return f(caf::meta::type_name("metadata_fetch"), x.file, x.session, x.prefetch, x.target);
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
// prefetch (metadata_fetch): fetch it ahead of need, at low priority (the index actor's crawl).
using metadata_actor = caf::typed_actor<caf::replies_to<metadata_fetch>::with<reply<file_metadata>>,
                                        caf::reacts_to<prefetch_atom, metadata_fetch>,
                                        caf::reacts_to<crawl_to_atom, caf::actor_addr>>;

// project_query -> the project's files, or an error naming the source that failed.
// prefetch (project_query): fetch the pages ahead of need (the metadata actor's crawl).
using index_actor = caf::typed_actor<caf::replies_to<project_query>::with<reply<project_answer>>,
                                     caf::reacts_to<prefetch_atom, project_query>>;

} // namespace actpip::actors
