#include "actpip/resolver/installed_check.hpp"

#include "actpip/core/name.hpp"

#include <deque>
#include <utility>

namespace actpip::resolver {

std::optional<std::set<std::string>>
satisfied_by_installed(const std::vector<core::requirement>& roots,
                       const std::vector<core::requirement>& constraints,
                       const core::marker_environment& environment,
                       const std::map<std::string, installed_project>& installed, bool no_deps) {
    std::set<std::pair<std::string, std::string>> seen; // (name, extra or "")
    std::deque<std::pair<std::string, std::string>> todo;
    // One requirement that applies: its project installed at a version it allows (an installed
    // pre-release satisfies, as in pip's check), and the extras it asks provided.
    auto need = [&](const core::requirement& r) {
        if (r.url) {
            return false; // whether the installed one came from that URL is the resolver's call
        }
        auto name = core::normalize_name(r.name);
        auto it = installed.find(name);
        if (it == installed.end() || !r.specifiers.contains(it->second.version, true)) {
            return false;
        }
        todo.emplace_back(name, "");
        for (const auto& e : r.extras) {
            auto extra = core::normalize_name(e);
            if (!it->second.provides_extra.contains(extra)) {
                return false;
            }
            todo.emplace_back(name, extra);
        }
        return true;
    };
    for (const auto& r : roots) {
        if (r.applies_to(environment) && !need(r)) {
            return std::nullopt;
        }
    }
    while (!todo.empty()) {
        auto key = std::move(todo.front());
        todo.pop_front();
        if (!seen.insert(key).second || no_deps) {
            continue;
        }
        const auto& project = installed.at(key.first);
        const auto extra_env =
            key.second.empty() ? environment : environment.with_extra(key.second);
        for (const auto& r : project.requires_dist) {
            // The base's requirements, or those the extra adds (as the solver reads them).
            bool applies = key.second.empty()
                               ? r.applies_to(environment)
                               : r.applies_to(extra_env) && !r.applies_to(environment);
            if (applies && !need(r)) {
                return std::nullopt;
            }
        }
    }
    for (const auto& c : constraints) {
        if (!c.applies_to(environment)) {
            continue;
        }
        auto name = core::normalize_name(c.name);
        if (!seen.contains({name, ""})) {
            continue; // constraints never add a project
        }
        if (c.url || !c.specifiers.contains(installed.at(name).version, true)) {
            return std::nullopt;
        }
    }
    std::set<std::string> names;
    for (const auto& [name, extra] : seen) {
        names.insert(name);
    }
    return names;
}

} // namespace actpip::resolver
