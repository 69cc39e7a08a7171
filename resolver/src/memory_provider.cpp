#include "actpip/resolver/memory_provider.hpp"

#include "actpip/core/name.hpp"

namespace actpip::resolver {

void memory_provider::add(const std::string& name, release r) {
    projects_[core::normalize_name(name)].releases.push_back(std::move(r));
}

void memory_provider::add_unavailable(const std::string& name, unavailable why) {
    projects_[core::normalize_name(name)].missing = std::move(why);
}

void memory_provider::add_url(const std::string& name, const std::string& url, release r) {
    urls_.insert_or_assign(core::normalize_name(name) + '\n' + url, std::move(r));
}

versions_response memory_provider::answer(const versions_request& r) const {
    versions_response out{r.name, r.url, std::vector<candidate>{}};
    if (r.url) {
        auto it = urls_.find(r.name + '\n' + *r.url);
        if (it == urls_.end()) {
            out.result = unavailable{unavailable_kind::not_found, "no such URL: " + *r.url};
        } else {
            out.result = std::vector<candidate>{it->second.listing};
        }
        return out;
    }
    auto it = projects_.find(r.name);
    if (it == projects_.end()) {
        out.result = unavailable{unavailable_kind::not_found, {}};
        return out;
    }
    if (it->second.missing) {
        out.result = *it->second.missing;
        return out;
    }
    std::vector<candidate> list;
    for (const auto& rel : it->second.releases) {
        list.push_back(rel.listing);
    }
    out.result = std::move(list);
    return out;
}

metadata_response memory_provider::answer(const metadata_request& r) const {
    metadata_response out{r.name, r.version, r.url,
                          unavailable{unavailable_kind::metadata_unavailable, "unknown version"}};
    if (r.url) {
        auto it = urls_.find(r.name + '\n' + *r.url);
        if (it != urls_.end()) {
            out.result = it->second.metadata;
        }
        return out;
    }
    auto it = projects_.find(r.name);
    if (it == projects_.end()) {
        return out;
    }
    for (const auto& rel : it->second.releases) {
        if (rel.listing.version == r.version) {
            out.result = rel.metadata;
            break;
        }
    }
    return out;
}

void memory_provider::answer_into(solver& s, const request& r) const {
    if (const auto* v = std::get_if<versions_request>(&r)) {
        s.provide(answer(*v));
    } else {
        s.provide(answer(std::get<metadata_request>(r)));
    }
}

step_result memory_provider::resolve(solver& s, bool prefetch) const {
    for (;;) {
        step_result r = s.step();
        auto* n = std::get_if<needs>(&r);
        if (n == nullptr) {
            return r;
        }
        for (const auto& q : n->required) {
            answer_into(s, q);
        }
        if (prefetch) {
            for (const auto& q : n->prefetch) {
                answer_into(s, q);
            }
        }
    }
}

} // namespace actpip::resolver
