#include "actpip/core/sdist_filename.hpp"

#include "actpip/core/name.hpp"

#include <algorithm>

namespace actpip::core {

std::string_view extension(sdist_format format) {
    switch (format) {
    case sdist_format::tar_gz:
        return ".tar.gz";
    case sdist_format::zip:
        return ".zip";
    }
    return "";
}

std::string sdist_filename::to_string() const {
    std::string out = name;
    std::replace(out.begin(), out.end(), '-', '_');
    out += '-';
    out += version.to_string();
    out += extension(format);
    return out;
}

result<sdist_filename> parse_sdist_filename(std::string_view filename) {
    sdist_filename out;
    std::string_view stem;
    if (filename.ends_with(".tar.gz")) {
        out.format = sdist_format::tar_gz;
    } else if (filename.ends_with(".zip")) {
        out.format = sdist_format::zip;
    } else {
        return std::unexpected(parse_error(errc::invalid_filename, "sdist filename", filename,
                                           std::string_view::npos,
                                           "the extension must be '.tar.gz' or '.zip'"));
    }
    stem = filename.substr(0, filename.size() - extension(out.format).size());
    // A PEP 440 version holds no '-', so the name ends at the last one.
    const auto dash = stem.rfind('-');
    if (dash == std::string_view::npos) {
        return std::unexpected(parse_error(errc::invalid_filename, "sdist filename", filename,
                                           std::string_view::npos,
                                           "expected name-version before the extension"));
    }
    out.name = normalize_name(stem.substr(0, dash));
    auto parsed = version::parse(stem.substr(dash + 1));
    if (!parsed) {
        return std::unexpected(parse_error(errc::invalid_filename, "sdist filename", filename,
                                           dash + 1, parsed.error().message));
    }
    out.version = std::move(*parsed);
    return out;
}

} // namespace actpip::core
