#pragma once
// Where the parts of a wheel go: the five install-scheme directories of a distribution, laid
// out as pip 23.2 lays them for an interpreter (its sysconfig scheme), `--prefix DIR` and
// `--target DIR`.

#include "actpip/storage/interpreter.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace actpip::storage {

struct install_scheme {
    std::filesystem::path purelib;
    std::filesystem::path platlib;
    std::filesystem::path headers; // already specific to the distribution
    std::filesystem::path scripts;
    std::filesystem::path data;

    // The directory for a `<name>.data/<key>/` subdirectory, or empty for an unknown key.
    std::filesystem::path for_data_key(std::string_view key) const;
};

// The interpreter's own scheme (a virtual environment's, or the system's).
install_scheme interpreter_scheme(const interpreter_info& python, std::string_view dist_name);

// `--prefix DIR`: the interpreter's scheme with its base directories replaced by `prefix`.
install_scheme prefix_scheme(const interpreter_info& python, const std::filesystem::path& prefix,
                             std::string_view dist_name);

// `--target DIR`: libraries in DIR, scripts in DIR/bin, data in DIR, headers under
// DIR/include (what pip leaves after moving its temporary `--home` tree into DIR).
install_scheme target_scheme(const interpreter_info& python, const std::filesystem::path& target,
                             std::string_view dist_name);

} // namespace actpip::storage
