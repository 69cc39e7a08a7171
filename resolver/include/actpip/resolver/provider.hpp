#pragma once
// The data the solver asks for and what answers look like. The solver never fetches: it
// returns the requests it needs (see solver.hpp) and the caller hands the answers back with
// solver::provide. Unavailability (not found, offline, no usable file, no metadata) is an
// answer like any other and ends up in the explanation of a failure.

#include "actpip/core/requirement.hpp"
#include "actpip/core/specifier.hpp"
#include "actpip/core/version.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace actpip::resolver {

enum class unavailable_kind {
    not_found,            // the index has no such project
    offline,              // the data was needed but the network may not be used
    no_compatible_wheel,  // no file of this version fits the target (or only an sdist)
    metadata_unavailable, // the metadata could not be obtained
    invalid_metadata,     // the metadata could not be parsed
    other,
};

struct unavailable {
    unavailable_kind kind = unavailable_kind::other;
    std::string message; // detail for people, may be empty

    // "was not found in the package index", "has no wheel compatible with the target", ...
    std::string describe() const;
};

// One version of a project as the index lists it (after the files that do not fit the
// target's tags were dropped; a version without any usable file carries `unusable`).
struct candidate {
    core::version version;
    std::optional<core::specifier_set> requires_python; // data-requires-python
    bool yanked = false;
    std::string yank_reason;
    std::optional<unavailable> unusable;
};

// `url` is set for direct references (`name @ url`): the answer lists the one version behind
// the URL.
struct versions_request {
    std::string name; // normalized
    std::optional<std::string> url;
    friend bool operator==(const versions_request&, const versions_request&) = default;
};

struct versions_response {
    std::string name;
    std::optional<std::string> url;
    std::variant<std::vector<candidate>, unavailable> result;
};

struct metadata_request {
    std::string name; // normalized
    core::version version;
    std::optional<std::string> url;
    friend bool operator==(const metadata_request&, const metadata_request&) = default;
};

// The part of core metadata the solver reads.
struct dist_metadata {
    std::vector<core::requirement> requires_dist;
    std::optional<core::specifier_set> requires_python;
    std::vector<std::string> provides_extra; // as written; compared normalized
};

struct metadata_response {
    std::string name;
    core::version version;
    std::optional<std::string> url;
    std::variant<dist_metadata, unavailable> result;
};

using request = std::variant<versions_request, metadata_request>;

// What the solver is waiting for. `required` holds what its next step cannot do without (the
// decision order is fixed, so this is one request, sometimes two); `prefetch` holds what it
// will probably ask for later: the version lists of every package reachable so far and the
// metadata of their preferred candidates. Asking for a request more than once is normal; the
// caller joins duplicates.
struct needs {
    std::vector<request> required;
    std::vector<request> prefetch;
};

std::string to_string(const request& r); // "versions of flask", "metadata of flask 3.0.0"

} // namespace actpip::resolver
