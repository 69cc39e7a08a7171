#pragma once
// Finishing what a killed process left behind. Every transaction keeps a journal
// (`.actpip-journal-<id>` beside the environment's lock file) naming its staging
// directories before it creates them, and, before its first rename, every file it will
// place or move aside; once the last rename is done it marks the journal committed. The next
// transaction on the environment (under the environment lock) replays what it finds:
// - not committed: rolled back. Placed files whose staged copy is gone are removed, every
//   `*.actpip-old-<id>` file is renamed back over its original name, directories the commit
//   created are removed when empty, `.actpip-tx-<id>` staging directories are deleted. The
//   environment is as it was before the killed transaction.
// - committed: rolled forward. The `*.actpip-old-<id>` files and staging directories are
//   deleted. The environment is as the transaction left it.
// Only paths inside the environment and carrying the journal's id are touched.

#include "actpip/core/error.hpp"
#include "actpip/storage/environment.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace actpip::storage {

struct recovery_report {
    std::size_t rolled_back = 0;    // unfinished transactions undone
    std::size_t rolled_forward = 0; // committed transactions tidied
    std::vector<std::string> notes; // paths that could not be restored or removed
};

// The caller holds the environment lock (env_lock.hpp); install_transaction does this
// itself before its first change.
core::result<recovery_report> recover_environment(const target_environment& env);

// For whoever reads what is installed in order to plan a change: when a journal is there (a
// killed transaction's, or one still running), waits for the environment lock and recovers,
// so that the plan is made from a whole environment, never from a half-committed one. Without
// a journal it only lists the state directory (no lock, no write access needed).
core::result<recovery_report> recover_before_reading(const target_environment& env);

} // namespace actpip::storage
