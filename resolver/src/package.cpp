#include "actpip/resolver/package.hpp"

namespace actpip::resolver {

std::string package_key::to_string() const {
    if (is_root()) {
        return "your requirements";
    }
    return extra.empty() ? name : name + "[" + extra + "]";
}

package_table::package_table() {
    intern(package_key{});
}

package_id package_table::intern(const package_key& key) {
    auto [it, inserted] = ids_.try_emplace(key, static_cast<package_id>(keys_.size()));
    if (inserted) {
        keys_.push_back(key);
    }
    return it->second;
}

} // namespace actpip::resolver
