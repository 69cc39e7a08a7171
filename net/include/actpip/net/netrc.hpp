#pragma once
// ~/.netrc credentials (machine/login/password, default; macdef skipped), looked up per host.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actpip/core/error.hpp"

namespace actpip::net {

struct credentials {
    std::string username;
    std::string password;
    friend bool operator==(const credentials&, const credentials&) = default;
};

class netrc {
public:
    netrc() = default;
    static netrc parse(std::string_view text);
    // Reads `path`; a missing file is an empty netrc, an unreadable one an error.
    static core::result<netrc> load(const std::string& path);
    // $NETRC, else $HOME/.netrc (empty when neither exists).
    static core::result<netrc> load_default();

    // The entry for `host`, else the default entry, else nothing.
    std::optional<credentials> lookup(std::string_view host) const;
    bool empty() const { return entries_.empty() && !default_; }

private:
    struct entry {
        std::string machine;
        credentials creds;
    };
    std::vector<entry> entries_;
    std::optional<credentials> default_;
};

} // namespace actpip::net
