#pragma once
// CAF 0.17's caf::openssl drops a peer whose TLS handshake fails (no client certificate, one
// of another CA) without a word to the program: the only place that sees the failure is
// OpenSSL's SSL_accept, which tls_refusals.cpp wraps. A server that accepts over mutual TLS
// names its sink here, and every failed handshake reaches it with the peer's address.

#include <functional>
#include <string>

namespace actpip::actors {

using tls_refusal_sink = std::function<void(const std::string& peer, const std::string& why)>;

// The sink of this process's failed TLS handshakes (one per process: the last one set; empty
// to stop).
void watch_tls_refusals(tls_refusal_sink sink);

} // namespace actpip::actors
