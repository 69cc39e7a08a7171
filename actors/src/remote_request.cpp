#include "actpip/actors/remote_request.hpp"

#include "actpip/net/url.hpp"
#include "actpip/resolver/options.hpp"

namespace actpip::actors {

namespace {

std::string listed(const std::vector<std::string>& urls) {
    std::string out;
    for (const auto& u : urls)
        out += (out.empty() ? "" : ", ") + u;
    return out.empty() ? "none" : out;
}

} // namespace

std::vector<std::string> masked_sources(const std::vector<std::string>& urls) {
    std::vector<std::string> out;
    for (const auto& u : urls) {
        auto parsed = net::url::parse(u);
        auto shown = parsed ? parsed->redacted() : std::string("(an unparsable URL)");
        while (shown.ends_with('/')) // ".../simple" and ".../simple/" are one index
            shown.pop_back();
        out.push_back(std::move(shown));
    }
    return out;
}

std::string other_sources(const job_options& options, const job_sources& sources,
                          const remote_welcome& server) {
    auto mine = masked_sources(sources.index_urls);
    if (mine != server.index_urls)
        return "its indexes are " + listed(server.index_urls) + ", this job's " + listed(mine);
    auto links = masked_sources(sources.find_links);
    if (links != server.find_links)
        return "its --find-links are " + listed(server.find_links) + ", this job's " +
               listed(links);
    auto strategy = options.index_strategy == index_strategy::unsafe_best_match
                        ? core::index_strategy::unsafe_best_match
                        : core::index_strategy::first_index;
    if (strategy != server.strategy)
        return "it uses another --index-strategy";
    return {};
}

std::string why_not_remote(const job_sources& sources) {
    for (const auto& r : sources.requirements)
        if (r.url)
            return "a direct reference (" + r.name + ")";
    for (const auto& c : sources.constraints)
        if (c.url)
            return "a direct reference among the constraints (" + c.name + ")";
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
