#pragma once
// Messages between the resolver actor and whoever answers its questions (the index and
// metadata actors, or an in-memory universe in tests). Plain serializable values: versions,
// specifiers and requirements travel as their text, so the fetch side can live in another
// process.

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

// resolver::unavailable as data: `kind` is resolver::unavailable_kind.
struct wire_unavailable {
    std::uint8_t kind = 0;
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

struct resolved_pin {
    std::string name;
    std::string version;
    std::vector<std::string> extras;
    std::string url;
    bool installed = false;
};

struct resolution_outcome {
    bool ok = false;
    std::vector<resolved_pin> pins; // sorted by name
    std::string explanation;        // when not ok: why no solution exists
    std::vector<std::string> hints;
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
typename Inspector::result_type inspect(Inspector& f, resolved_pin& x) {
    return f(caf::meta::type_name("resolved_pin"), x.name, x.version, x.extras, x.url, x.installed);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resolution_outcome& x) {
    return f(caf::meta::type_name("resolution_outcome"), x.ok, x.pins, x.explanation, x.hints,
             x.steps, x.decisions, x.conflicts, x.queries);
}

using resolve_atom = caf::atom_constant<caf::atom("resolve")>;

// Answers the resolver's questions. Unavailability is an answer (available = false), not an
// error; a caf::error means the provider itself failed.
using data_provider_actor =
    caf::typed_actor<caf::replies_to<versions_query>::with<versions_answer>,
                     caf::replies_to<metadata_query>::with<metadata_answer>>;

// One resolution: it starts asking as soon as it is spawned; `resolve` replies with the
// outcome once it is known (at once if it already is).
using resolver_actor = caf::typed_actor<caf::replies_to<resolve_atom>::with<resolution_outcome>>;

} // namespace actpip::actors
