#pragma once
// One project's candidates across the configured sources: the indexes in order
// (--index-url first, then each --extra-index-url) and the find-links locations. The default
// guards against dependency confusion as uv does: the project is taken from the first index
// that has it, and a later index that also has it is ignored with a warning.
// `unsafe_best_match` (pip's behaviour) merges every index. Find-links candidates are always
// added: the user pointed at them explicitly.

#include "actpip/core/candidate.hpp"
#include "actpip/core/project_page.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

enum class index_strategy {
    first_index,       // default: the first index that has the project wins
    unsafe_best_match, // every index's files compete
};

// "first-index", "unsafe-best-match" (the --index-strategy values).
std::optional<index_strategy> parse_index_strategy(std::string_view text);

// One source's answer for the project: its page, or nullopt when the source does not have
// the project (404 on an index, no matching file in a find-links location).
struct source_page {
    std::string source; // the index URL or find-links location, for messages
    std::optional<project_page> page;
};

struct merged_candidates {
    std::vector<candidate> candidates;
    std::vector<std::string> sources_used; // in order
    std::vector<std::string> warnings;     // for the user
    std::vector<skipped_file> skipped;
};

// `indexes` in configuration order; `find_links` pages may list other projects' files too.
// An index "has" the project when its page has at least one candidate file of it.
merged_candidates merge_sources(std::string_view name, std::span<const source_page> indexes,
                                std::span<const source_page> find_links,
                                index_strategy strategy = index_strategy::first_index);

} // namespace actpip::core
