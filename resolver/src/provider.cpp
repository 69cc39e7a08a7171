#include "actpip/resolver/provider.hpp"

namespace actpip::resolver {

std::string unavailable::describe() const {
    std::string base;
    switch (kind) {
    case unavailable_kind::not_found:
        base = "was not found in the package index";
        break;
    case unavailable_kind::offline:
        base = "could not be looked up because the network is off (--offline)";
        break;
    case unavailable_kind::no_compatible_wheel:
        base = "has no wheel compatible with the target";
        break;
    case unavailable_kind::metadata_unavailable:
        base = "has no metadata available";
        break;
    case unavailable_kind::invalid_metadata:
        base = "has invalid metadata";
        break;
    case unavailable_kind::other:
        base = "is unavailable";
        break;
    }
    return message.empty() ? base : base + " (" + message + ")";
}

std::string to_string(const request& r) {
    if (const auto* v = std::get_if<versions_request>(&r)) {
        return "versions of " + v->name + (v->url ? " @ " + *v->url : "");
    }
    const auto& m = std::get<metadata_request>(r);
    return "metadata of " + m.name + " " + m.version.to_string() + (m.url ? " @ " + *m.url : "");
}

} // namespace actpip::resolver
