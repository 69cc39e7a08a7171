#include "runtime.hpp"

#include "actpip/embed.hpp"

#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

namespace actpip::detail {

std::shared_ptr<runtime> runtime::acquire(const tls_identity& tls) {
    static std::mutex mutex;
    // Never keeps a runtime alive (the jobs and servers do): one per TLS identity.
    static std::map<std::string, std::weak_ptr<runtime>> current;
    std::lock_guard lock(mutex);
    auto key = tls.certificate + '\n' + tls.key + '\n' + tls.ca;
    if (auto r = current[key].lock())
        return r;
    auto r = std::make_shared<runtime>(tls);
    current[key] = r;
    return r;
}

runtime::runtime(const tls_identity& tls) : config_(std::make_unique<caf::actor_system_config>()) {
    auto& c = *config_;
    // Two workers measured faster than CAF's default of four on small machines.
    auto threads = std::max(2u, std::min(4u, std::thread::hardware_concurrency()));
    c.set("scheduler.max-threads", threads);
    // Work sharing waits on a condition variable; CAF's default work stealing polls with
    // short sleeps (13,000 nanosleep calls in one install), taking CPU from unpacking.
    c.set("scheduler.policy", caf::atom("sharing"));
    embed::add_message_types(c);
    c.load<caf::io::middleman>();
    if (tls.enabled()) {
        c.load<caf::openssl::manager>();
        c.openssl_certificate = tls.certificate;
        c.openssl_key = tls.key;
        c.openssl_cafile = tls.ca;
        tls_ = true;
    }
    system_ = std::make_unique<caf::actor_system>(c);
}

} // namespace actpip::detail
