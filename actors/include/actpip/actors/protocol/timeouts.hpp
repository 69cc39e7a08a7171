#pragma once
// How long a request may wait for an actor that can die or hang. A request to an actor whose
// work is bounded (the cache: one disk operation) carries a timeout, so a stuck cache becomes
// an error naming it. Work that is not bounded (a download of any size, a resolution, an
// install) carries none: whoever waits on it monitors the actor, and its death fails the wait.

#include <chrono>

namespace actpip::actors {

inline constexpr std::chrono::minutes cache_timeout{5};

// A server that says nothing for this long about a bounded question (a chunk, a page, a
// metadata file) is taken for stalled; the client then goes on without it.
inline constexpr std::chrono::seconds remote_silence{60};

} // namespace actpip::actors
