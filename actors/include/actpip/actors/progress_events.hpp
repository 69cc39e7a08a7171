#pragma once
// Every progress event a job reports, built in one place with its fields named (api.hpp
// documents what each kind carries). The session stamps `elapsed` when it sends one.

#include "actpip/api.hpp"

#include <cstdint>
#include <string>

namespace actpip::actors::progress {

inline progress_event of_kind(progress_event::kind what) {
    progress_event e;
    e.what = what;
    return e;
}
inline progress_event resolving(std::uint64_t known_packages) {
    auto e = of_kind(progress_event::kind::resolving);
    e.count = known_packages;
    return e;
}
inline progress_event resolved(std::uint64_t packages, double seconds) {
    auto e = of_kind(progress_event::kind::resolved);
    e.count = packages;
    e.seconds = seconds;
    return e;
}
inline progress_event download_started(std::string filename) {
    auto e = of_kind(progress_event::kind::download_started);
    e.subject = std::move(filename);
    return e;
}
inline progress_event download_progress(std::string filename, std::uint64_t bytes,
                                        std::uint64_t total) {
    auto e = of_kind(progress_event::kind::download_progress);
    e.subject = std::move(filename);
    e.bytes = bytes;
    e.total = total;
    return e;
}
inline progress_event download_finished(std::string filename, std::uint64_t bytes,
                                        bool from_cache) {
    auto e = of_kind(progress_event::kind::download_finished);
    e.subject = std::move(filename);
    e.bytes = bytes;
    e.total = bytes;
    e.from_cache = from_cache;
    return e;
}
inline progress_event installing(std::uint64_t wheels) {
    auto e = of_kind(progress_event::kind::installing);
    e.count = wheels;
    return e;
}
inline progress_event installed(std::uint64_t wheels, double seconds) {
    auto e = of_kind(progress_event::kind::installed);
    e.count = wheels;
    e.seconds = seconds;
    return e;
}
inline progress_event warning(std::string subject, std::string message) {
    auto e = of_kind(progress_event::kind::warning);
    e.subject = std::move(subject);
    e.message = std::move(message);
    return e;
}

} // namespace actpip::actors::progress
