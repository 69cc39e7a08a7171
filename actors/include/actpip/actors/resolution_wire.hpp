#pragma once
// Conversions between the resolver's types and their wire form (resolution_protocol.hpp).
// Pure functions, so they are tested without an actor system.

#include "actpip/actors/resolution_protocol.hpp"
#include "actpip/resolver/provider.hpp"
#include "actpip/resolver/solver.hpp"

namespace actpip::actors {

versions_query to_query(const resolver::versions_request& r, bool prefetch);
metadata_query to_query(const resolver::metadata_request& r, bool prefetch);

versions_answer to_wire(const resolver::versions_response& r);
metadata_answer to_wire(const resolver::metadata_response& r);

// Text that does not parse (a version, a specifier, a Requires-Dist line) turns the answer
// into an unavailability that names the package, the text and the cause.
resolver::versions_response from_wire(const versions_answer& a);
resolver::metadata_response from_wire(const metadata_answer& a);

resolution_outcome to_outcome(const resolver::solution& s);
resolution_outcome to_outcome(const resolver::failure& f);

// The answer to give the solver when the provider could not be asked at all.
resolver::versions_response provider_failed(const versions_query& q, const std::string& why);
resolver::metadata_response provider_failed(const metadata_query& q, const std::string& why);

} // namespace actpip::actors
