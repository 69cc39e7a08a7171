#include "actpip/actors/remote_request.hpp"

#include "actpip/resolver/options.hpp"

namespace actpip::actors {

std::string why_not_remote(const job_sources& sources) {
    for (const auto& r : sources.requirements)
        if (r.url)
            return "a direct reference (" + r.name + ")";
    for (const auto& c : sources.constraints)
        if (c.url)
            return "a direct reference among the constraints (" + c.name + ")";
    for (const auto& u : sources.index_urls)
        if (u.starts_with("file:"))
            return "a local index";
    for (const auto& u : sources.find_links)
        if (u.starts_with("file:"))
            return "local --find-links";
    return {};
}

remote_resolve make_remote_resolve(const job_options& options, const job_sources& sources,
                                   const job_target& target, const fetch_target& fetch,
                                   const std::string& token, const std::string& client) {
    auto resolve = make_resolve_options(options, sources, target);
    remote_resolve r;
    r.token = token;
    r.client = client;
    for (const auto& req : sources.requirements)
        r.requirements.push_back(req.to_string());
    for (const auto& c : sources.constraints)
        r.constraints.push_back(c.to_string());
    r.strategy = resolve.strategy;
    r.upgrade = resolve.upgrade;
    r.upgrade_packages.assign(resolve.upgrade_packages.begin(), resolve.upgrade_packages.end());
    r.force_reinstall = resolve.force_reinstall;
    r.no_deps = resolve.no_deps;
    for (const auto& d : resolve.installed)
        r.installed.push_back(d.name + "==" + d.version.to_string());
    r.target = fetch;
    return r;
}

} // namespace actpip::actors
