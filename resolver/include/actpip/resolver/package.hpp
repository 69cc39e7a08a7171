#pragma once
// The packages PubGrub reasons about: the root (the user's requirements), a distribution
// (`flask`), or a distribution with one extra (`flask[async]`), which depends on the base at
// exactly the same version plus the extra's own requirements.

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace actpip::resolver {

using package_id = std::uint32_t;
inline constexpr package_id root_package = 0;

struct package_key {
    std::string name;  // normalized; empty for the root
    std::string extra; // normalized; empty for the base distribution
    friend auto operator<=>(const package_key&, const package_key&) = default;

    bool is_root() const { return name.empty(); }
    std::string to_string() const; // "flask", "flask[async]", "your requirements"
};

// Interns package keys: ids are handed out in discovery order, which the solver's decision
// order relies on, so they are deterministic for given inputs.
class package_table {
public:
    package_table();
    package_id intern(const package_key& key);
    const package_key& key(package_id id) const { return keys_[id]; }
    std::size_t size() const { return keys_.size(); }

private:
    std::vector<package_key> keys_;
    std::map<package_key, package_id> ids_;
};

} // namespace actpip::resolver
