#pragma once
// Conversions between the resolver's types and their wire form (resolution_protocol.hpp).
// Pure functions, so they are tested without an actor system.

#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/resolver/provider.hpp"
#include "actpip/resolver/solver.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

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

// "name==version" with the name normalized and the version canonical: how pins, downloads
// and answers are matched up.
std::string pin_key(const std::string& name, const std::string& version);

// What the provider's answers said, kept for the outcome: their warnings (each once), the
// yanked versions and every version's metadata, so that the outcome's pins carry what pip's
// report needs and the session needs no copy of the answers.
class answer_log {
public:
    void add(const versions_answer& a);
    void add(const metadata_answer& a);
    // Fills the pins' yanked flags and metadata and the outcome's warnings.
    void annotate(resolution_outcome& outcome) const;

private:
    std::vector<std::string> warnings_;
    std::set<std::string> yanked_;                    // pin keys
    std::map<std::string, metadata_answer> metadata_; // by pin key
};

} // namespace actpip::actors
