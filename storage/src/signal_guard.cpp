#include "actpip/storage/signal_guard.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <unistd.h>

namespace actpip::storage {

namespace {

constexpr int guarded[] = {SIGINT, SIGTERM};

std::mutex guard_mutex;
int guard_depth = 0;                            // under guard_mutex
struct sigaction saved[2];                      // under guard_mutex
volatile std::sig_atomic_t recorded_signal = 0; // set by the handler

extern "C" void record_signal(int sig) {
    recorded_signal = sig;
}

} // namespace

signal_guard::signal_guard() {
    std::lock_guard lock(guard_mutex);
    if (guard_depth++ > 0) {
        return;
    }
    recorded_signal = 0;
    struct sigaction action {};
    action.sa_handler = record_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < 2; ++i) {
        ::sigaction(guarded[i], &action, &saved[i]);
    }
}

signal_guard::~signal_guard() {
    int sig = 0;
    {
        std::lock_guard lock(guard_mutex);
        if (--guard_depth > 0) {
            return;
        }
        for (int i = 0; i < 2; ++i) {
            ::sigaction(guarded[i], &saved[i], nullptr);
        }
        sig = recorded_signal;
        recorded_signal = 0;
    }
    if (sig != 0) {
        // Delivered now under the restored disposition (the default one ends the process).
        ::kill(::getpid(), sig);
    }
}

int signal_guard::pending_signal() {
    return recorded_signal;
}

} // namespace actpip::storage
