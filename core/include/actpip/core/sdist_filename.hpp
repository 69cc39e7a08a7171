#pragma once
// Source distribution filenames, {name}-{version}.tar.gz or .zip, parsed as packaging 21.3's
// utils.parse_sdist_filename: split at the last '-', the name normalized, the version PEP 440.

#include "actpip/core/error.hpp"
#include "actpip/core/version.hpp"

#include <string>
#include <string_view>

namespace actpip::core {

enum class sdist_format { tar_gz, zip };

std::string_view extension(sdist_format format); // ".tar.gz", ".zip"

struct sdist_filename {
    std::string name; // normalized (PEP 503), not otherwise checked (packaging does not)
    core::version version;
    sdist_format format = sdist_format::tar_gz;

    // "foo_bar-1.0.tar.gz": the name with '-' as '_' (PEP 625) and the normalized version.
    std::string to_string() const;
};

// Extensions are matched case-sensitively, as packaging does; other archive kinds (.tar.bz2,
// .tgz, ...) are errors.
result<sdist_filename> parse_sdist_filename(std::string_view filename);

} // namespace actpip::core
