#pragma once
// The metadata actor: a distribution file -> its core metadata, by the PEP 658 `.metadata`
// file (its hash checked when the page gives one), else by HTTP Range reads of the wheel's
// zip (a suffix range for the tail, then the central directory and the METADATA member if
// they were not in it: at most three requests, no HEAD), else by downloading the whole file
// (its hash checked). The metadata must name the file's project and version. Answers are
// kept by file URL; concurrent askers join. When metadata lands, every dependency whose
// marker can hold on the target goes to the index actor as a prefetch (the crawl).

#include "actpip/actors/cache_actor.hpp"
#include "actpip/actors/fetch_options.hpp"
#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/core/core_metadata.hpp"
#include "actpip/core/marker.hpp"

#include <caf/actor_system.hpp>

#include <memory>

namespace actpip::actors {

// How many bytes the first Range request asks for (the zip's tail).
inline constexpr std::uint64_t metadata_tail_size = 16 * 1024;

// Parses METADATA text of `file` and checks that it names the file's project and version.
core::result<core::core_metadata> parse_file_metadata(const wire_file& file, std::string_view text);

// The dependency names (normalized, each once) whose markers can hold on `env`, extras
// included.
std::vector<std::string> crawl_names(const core::core_metadata& metadata,
                                     const core::marker_environment& env);

// Checks `body` against the first hash of `hashes` ("sha256:<hex>"); no hash: nothing to do.
core::result<void> verify_hash(std::string_view what, const std::vector<std::string>& hashes,
                               std::string_view body);

// `cache` may be null. With a cache, metadata is looked up by the wheel's sha256 (when the
// page gives it) before any request (route `cached`, no request), and metadata read from
// the network is stored there. Offline (options->cache_mode), a miss is an error.
metadata_actor spawn_metadata(caf::actor_system& sys,
                              std::shared_ptr<const fetch_service_options> options,
                              std::shared_ptr<fetch_pools> pools, cache_actor cache = {});

} // namespace actpip::actors
