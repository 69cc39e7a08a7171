#include "actpip/core/index_merge.hpp"

#include "actpip/core/name.hpp"

namespace actpip::core {

std::optional<index_strategy> parse_index_strategy(std::string_view text) {
    if (text == "first-index" || text == "first-match") {
        return index_strategy::first_index;
    }
    if (text == "unsafe-best-match") {
        return index_strategy::unsafe_best_match;
    }
    return std::nullopt;
}

merged_candidates merge_sources(std::string_view name, std::span<const source_page> indexes,
                                std::span<const source_page> find_links, index_strategy strategy) {
    merged_candidates out;
    std::string project = normalize_name(name);
    auto take = [&](const page_candidates& found, const std::string& source) {
        out.candidates.insert(out.candidates.end(), found.candidates.begin(),
                              found.candidates.end());
        out.skipped.insert(out.skipped.end(), found.skipped.begin(), found.skipped.end());
        out.sources_used.push_back(source);
    };
    std::optional<std::string> chosen;
    for (const auto& index : indexes) {
        if (!index.page) {
            continue;
        }
        auto found = candidates_from_page(*index.page, project, index.source);
        if (found.candidates.empty()) {
            continue;
        }
        if (!chosen || strategy == index_strategy::unsafe_best_match) {
            if (!chosen) {
                chosen = index.source;
            }
            take(found, index.source);
        } else {
            out.warnings.push_back(project + " is also on " + index.source +
                                   "; ignoring it and "
                                   "using " +
                                   *chosen +
                                   ", the first index that has it "
                                   "(--index-strategy unsafe-best-match considers every index)");
        }
    }
    for (const auto& location : find_links) {
        if (!location.page) {
            continue;
        }
        auto found = candidates_from_page(*location.page, project, location.source);
        if (!found.candidates.empty()) {
            take(found, location.source);
        }
    }
    return out;
}

} // namespace actpip::core
