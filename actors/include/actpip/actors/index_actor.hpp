#pragma once
// The index actor: a project name -> the files of it that may be installed on the target,
// across the configured indexes and find-links pages (first index wins unless
// unsafe-best-match). Pages are fetched through the host pools, parsed, merged and selected
// once per name; later askers get the stored answer, concurrent ones join. When an answer
// lands it sends its best file to the metadata actor unasked (the crawl).

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/fetch_options.hpp"
#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/core/candidate.hpp"
#include "actpip/core/candidate_selector.hpp"
#include "actpip/core/index_merge.hpp"

#include <caf/actor_system.hpp>

#include <memory>
#include <optional>

namespace actpip::actors {

wire_file to_wire_file(const core::candidate& c);

// The answer for `name` from its merged candidates: every version's best file, newest first
// (pre-releases included: the resolver decides), plus the best file by `policy` for the crawl.
project_answer make_project_answer(const std::string& name, const core::merged_candidates& merged,
                                   const core::selection_policy& policy,
                                   std::optional<wire_file>& crawl_best);

// One per process: each query carries its target, and answers are kept per project and
// target. `metadata` may be null (no crawl); `cache` may be null (no disk cache). With a
// cache, pages are looked up there first per the target's cache_mode (fresh: no request;
// stale: a conditional request, a 304 answered from the cache; offline miss: an error naming
// the URL), and pages that parsed are stored when storable.
index_actor spawn_index(caf::actor_system& sys,
                        std::shared_ptr<const fetch_service_options> options,
                        std::shared_ptr<fetch_pools> pools, metadata_actor metadata,
                        cache_actor cache = {});

} // namespace actpip::actors
