#pragma once
// Private: the state behind actpip::resolver::solver and the pieces of the algorithm, split
// over solver.cpp (the step loop and decisions), solver_propagation.cpp (unit propagation and
// conflict resolution) and solver_dependencies.cpp (incompatibilities from requirements).

#include "actpip/resolver/solver.hpp"

#include "candidate_selector.hpp"
#include "partial_solution.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace actpip::resolver {

struct solver::impl {
    impl(std::vector<core::requirement> reqs, resolve_options o);

    resolve_options opts;
    std::vector<core::requirement> root_requirements;
    core::marker_environment base_env; // opts.environment with extra=""

    package_table packages;
    std::vector<incompatibility> incompats;
    std::vector<std::vector<incompat_id>> by_package;
    std::vector<std::uint32_t> conflict_count;
    detail::partial_solution partial;

    struct versions_entry {
        std::optional<unavailable> missing;
        std::vector<candidate> candidates; // ascending
    };
    std::map<std::string, versions_entry> versions;
    std::map<std::string, std::variant<dist_metadata, unavailable>> metadata;

    // What the requirements seen so far say about a distribution (by normalized name).
    struct name_info {
        bool named_prerelease = false; // a specifier names a pre-release
        bool pinned = false;           // a specifier uses == or ===
        bool direct = false;           // named by a root requirement
        std::optional<std::string> url;
    };
    std::map<std::string, name_info> names;
    std::set<std::pair<package_id, std::string>> dependencies_added;
    std::map<std::string, core::version> installed;

    enum class stage { start, propagate, choose, done };
    stage current = stage::start;
    package_id next = root_package;
    std::optional<step_result> final_result;
    statistics stats;
    std::vector<pin> tentative; // chosen to try since take_tentative_pins() last ran

    // solver.cpp
    step_result step();
    struct choice {
        enum class kind { need, propagate, done } k = kind::done;
        needs wanted;
        package_id package = root_package;
    };
    choice choose();
    std::optional<package_id> next_package() const;
    needs make_needs(request required) const;
    resolver::solution make_solution() const;
    failure make_failure(incompat_id root_cause);
    const versions_entry* find_versions(const std::string& name) const;
    const std::variant<dist_metadata, unavailable>* find_metadata(const std::string& name,
                                                                  const core::version& v) const;
    std::optional<std::string> url_of(const std::string& name) const;
    detail::selection_policy policy_for(const package_key& key) const;

    // solver_propagation.cpp
    incompat_id store(incompatibility inc); // kept for derivations only
    incompat_id add(incompatibility inc);   // also used for propagation
    // Returns the id of a terminal incompatibility when resolution has failed.
    std::optional<incompat_id> propagate(package_id start);
    struct resolved {
        incompat_id id;
        bool terminal;
    };
    resolved resolve_conflict(incompat_id conflict);
    bool is_terminal(const incompatibility& inc) const;

    // solver_dependencies.cpp
    void add_root_facts();
    // Adds the dependency incompatibilities of `p` at `v`; returns whether one of them is
    // already violated by the partial solution (then `v` must not be decided).
    bool add_dependencies(package_id p, const core::version& v, const dist_metadata& m);
    bool add_requirement(package_id depender, const version_set& depender_set,
                         const core::requirement& req, std::vector<incompat_id>& added);
    void note_requirement(const core::requirement& req, bool direct);
};

std::string versions_key(const std::string& name, const std::optional<std::string>& url);
std::string metadata_key(const std::string& name, const core::version& v,
                         const std::optional<std::string>& url);

} // namespace actpip::resolver
