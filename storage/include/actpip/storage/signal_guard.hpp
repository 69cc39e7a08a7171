#pragma once
// Holds back SIGINT and SIGTERM while an environment is being changed in place (the rename
// phase of a commit), so an interrupt cannot leave half a commit. While a guard lives, both
// signals are recorded instead of acted on; when the last guard of the process ends, the
// previous handlers come back and a recorded signal is raised again, so it takes effect
// (ending the process by default) only once the commit is whole. Process-wide: it changes
// the signal dispositions for every thread. SIGKILL cannot be held back; the recovery of
// the next transaction (transaction_recovery.hpp) covers it.

namespace actpip::storage {

class signal_guard {
public:
    signal_guard();
    ~signal_guard();
    signal_guard(const signal_guard&) = delete;
    signal_guard& operator=(const signal_guard&) = delete;

    // The signal recorded while guards were held and not yet raised again (0: none).
    static int pending_signal();
};

} // namespace actpip::storage
