#pragma once
// The resolver's vocabulary: the questions it asks its data provider (the fetch side, or an
// in-memory universe in tests), the tentative pins it announces, and its outcome. Versions,
// specifiers and requirements travel as their text, so the provider can live in another
// process. Unavailability ("no such project", "no wheel fits") is an answer, not an error.

#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/actors/protocol/reply.hpp"
#include "actpip/resolver/provider.hpp"

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace actpip::actors {

// resolver::unavailable as data.
struct wire_unavailable {
    resolver::unavailable_kind kind = resolver::unavailable_kind::other;
    std::string message;
};

struct wire_candidate {
    std::string version;
    std::string requires_python; // empty: none given
    bool yanked = false;
    std::string yank_reason;
    bool usable = true;
    wire_unavailable unusable; // why, when not usable
};

// "Which versions of `name` are there?" `url` is set for a direct reference.
struct versions_query {
    std::string name;
    std::string url;
    bool prefetch = false; // asked ahead of need: lowest priority, may be dropped
    std::string session;
};

struct versions_answer {
    std::string name;
    std::string url;
    bool available = true;
    std::vector<wire_candidate> candidates;
    wire_unavailable missing;          // when not available
    std::vector<std::string> warnings; // for the user, e.g. the project is on two indexes
};

struct metadata_query {
    std::string name;
    std::string version;
    std::string url;
    bool prefetch = false;
    std::string session;
};

struct metadata_answer {
    std::string name;
    std::string version;
    std::string url;
    bool available = true;
    std::vector<std::string> requires_dist; // PEP 508 lines as the metadata has them
    std::string requires_python;            // empty: none given
    std::vector<std::string> provides_extra;
    wire_unavailable missing;
};

// "Which file is name==version?" (the one the provider chose when it listed the versions,
// or the direct reference's file).
struct file_query {
    std::string name;
    std::string version;
    std::string url; // a direct reference
    std::string session;
};

// The resolver chose name==version to try next (resolver::solver::take_tentative_pins). A
// tentative pin: the session starts its download at once; a later backtrack may drop it
// (the wheel then just stays in the cache).
struct pinned {
    std::string name;
    std::string version;
    std::string url; // a direct reference
};

struct resolved_pin {
    std::string name;
    std::string version;
    std::vector<std::string> extras;
    std::string url;
    bool installed = false;
    bool yanked = false;
    // What the metadata said (for pip's report): empty for an installed pin.
    std::vector<std::string> requires_dist;
    std::string requires_python;
    std::vector<std::string> provides_extra;
};

// A resolution that finds no solution is an outcome with its explanation (`ok` false), not
// an error: the explanation is what the user reads. So is a provider's error that ended it
// (the explanation is then the error, with its hints).
struct resolution_outcome {
    bool ok = false;
    std::vector<resolved_pin> pins; // sorted by name
    std::string explanation;        // when not ok: why no solution exists
    std::vector<std::string> hints;
    std::vector<std::string> warnings; // from the answers, each once (two indexes, ...)
    std::uint64_t steps = 0;
    std::uint64_t decisions = 0;
    std::uint64_t conflicts = 0;
    std::uint64_t queries = 0; // questions sent to the provider, prefetch included
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wire_unavailable& x) {
    return f(caf::meta::type_name("wire_unavailable"), x.kind, x.message);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wire_candidate& x) {
    return f(caf::meta::type_name("wire_candidate"), x.version, x.requires_python, x.yanked,
             x.yank_reason, x.usable, x.unusable);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, versions_query& x) {
    return f(caf::meta::type_name("versions_query"), x.name, x.url, x.prefetch, x.session);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, versions_answer& x) {
    return f(caf::meta::type_name("versions_answer"), x.name, x.url, x.available, x.candidates,
             x.missing, x.warnings);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metadata_query& x) {
    return f(caf::meta::type_name("metadata_query"), x.name, x.version, x.url, x.prefetch,
             x.session);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metadata_answer& x) {
    return f(caf::meta::type_name("metadata_answer"), x.name, x.version, x.url, x.available,
             x.requires_dist, x.requires_python, x.provides_extra, x.missing);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, file_query& x) {
    return f(caf::meta::type_name("file_query"), x.name, x.version, x.url, x.session);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pinned& x) {
    return f(caf::meta::type_name("pinned"), x.name, x.version, x.url);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resolved_pin& x) {
    return f(caf::meta::type_name("resolved_pin"), x.name, x.version, x.extras, x.url, x.installed,
             x.yanked, x.requires_dist, x.requires_python, x.provides_extra);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resolution_outcome& x) {
    return f(caf::meta::type_name("resolution_outcome"), x.ok, x.pins, x.explanation, x.hints,
             x.warnings, x.steps, x.decisions, x.conflicts, x.queries);
}

using resolve_atom = caf::atom_constant<caf::atom("resolve")>;

// Answers the resolver's questions, and the session's question for a pin's file.
// Unavailability is an answer (available = false: no such project, no file fits, metadata
// that is invalid or needs a build), which the resolver reasons about. An error (an index or
// file that could not be read, a hash mismatch) is not: it ends the resolution with that
// error, so that a network failure can never steer the resolver to another solution.
using data_provider_actor =
    caf::typed_actor<caf::replies_to<versions_query>::with<reply<versions_answer>>,
                     caf::replies_to<metadata_query>::with<reply<metadata_answer>>,
                     caf::replies_to<file_query>::with<reply<wire_file>>>;

// One resolution: it starts asking as soon as it is spawned, announces each tentative pin
// (`pinned`) to its observer, and `resolve` replies with the outcome once it is known (at
// once if it already is).
using resolver_actor = caf::typed_actor<caf::replies_to<resolve_atom>::with<resolution_outcome>>;

} // namespace actpip::actors
