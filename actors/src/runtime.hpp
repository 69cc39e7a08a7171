#pragma once
// The actor system that api.hpp's jobs and servers run on: one per process and TLS identity
// while anything uses it (so that jobs share the fetch side), with the middleman loaded for
// the remote boundary and caf::openssl when a certificate is given.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <memory>
#include <string>

namespace actpip::detail {

// The certificate, key and CA of this end of a mutual-TLS connection; all empty: plain TCP.
struct tls_identity {
    std::string certificate;
    std::string key;
    std::string ca;
    bool enabled() const { return !certificate.empty() || !key.empty() || !ca.empty(); }
    bool complete() const { return !certificate.empty() && !key.empty() && !ca.empty(); }
};

class runtime {
public:
    static std::shared_ptr<runtime> acquire(const tls_identity& tls = {});
    explicit runtime(const tls_identity& tls);
    caf::actor_system& system() { return *system_; }
    bool tls() const { return tls_; }

private:
    std::unique_ptr<caf::actor_system_config> config_; // the system keeps a reference
    std::unique_ptr<caf::actor_system> system_;
    bool tls_ = false;
};

} // namespace actpip::detail
