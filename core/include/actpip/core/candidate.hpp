#pragma once
// A candidate: one file of a project page that is a distribution of that project (a wheel
// or an sdist), with its parsed name, version and tags, and the index it came from.

#include "actpip/core/project_page.hpp"
#include "actpip/core/version.hpp"
#include "actpip/core/wheel_filename.hpp"

#include <optional>
#include <string>
#include <vector>

namespace actpip::core {

enum class distribution_kind { wheel, sdist };

struct candidate {
    std::string name; // normalized
    core::version version;
    distribution_kind kind = distribution_kind::wheel;
    std::optional<wheel_filename> wheel; // set for wheels
    project_file file;
    std::string source; // the index (or find-links location) the page came from

    bool is_wheel() const { return kind == distribution_kind::wheel; }
};

// Why a file of a page is not a candidate at all.
struct skipped_file {
    std::string filename;
    std::string reason; // "not a wheel or sdist", "wheel of another project", ...
};

struct page_candidates {
    std::vector<candidate> candidates; // in page order
    std::vector<skipped_file> skipped;
};

// The page's wheels and sdists (.tar.gz, .zip) of project `name` (normalized here; an empty
// name takes the page's own). Files that are not distributions, whose names do not parse,
// or that belong to another project (find-links pages mix projects) are skipped, as pip
// does, and listed with the reason.
page_candidates candidates_from_page(const project_page& page, std::string_view name,
                                     std::string_view source);

} // namespace actpip::core
