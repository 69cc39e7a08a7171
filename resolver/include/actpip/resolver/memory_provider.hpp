#pragma once
// A package universe held in memory that answers the solver's requests: the provider of
// tests and benchmarks, and the reference for what an actor-side provider must answer.

#include "actpip/resolver/provider.hpp"
#include "actpip/resolver/solver.hpp"

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace actpip::resolver {

class memory_provider {
public:
    struct release {
        candidate listing;
        std::variant<dist_metadata, unavailable> metadata;
    };

    // Adds one version of a project (names are normalized).
    void add(const std::string& name, release r);
    // The project answers with this unavailability instead of a version list.
    void add_unavailable(const std::string& name, unavailable why);
    // What a direct reference `name @ url` points to.
    void add_url(const std::string& name, const std::string& url, release r);

    // Projects the universe does not know answer not_found.
    versions_response answer(const versions_request& r) const;
    metadata_response answer(const metadata_request& r) const;
    void answer_into(solver& s, const request& r) const;

    // Drives the solver to the end, answering what it asks (and, with `prefetch`, what it
    // hints at) in the order asked.
    step_result resolve(solver& s, bool prefetch = true) const;

private:
    struct project {
        std::optional<unavailable> missing;
        std::vector<release> releases;
    };
    std::map<std::string, project> projects_;
    std::map<std::string, release> urls_; // key: name + '\n' + url
};

} // namespace actpip::resolver
