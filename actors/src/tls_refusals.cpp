#include "tls_refusals.hpp"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <mutex>

namespace actpip::actors {

namespace {

std::mutex sink_mutex;
tls_refusal_sink current_sink;

std::string peer_of(SSL* ssl) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = SSL_get_fd(ssl);
    if (fd < 0 || ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return "an unknown peer";
    char host[INET6_ADDRSTRLEN] = {};
    unsigned port = 0;
    if (addr.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
        ::inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
        port = ntohs(a.sin_port);
        return std::string(host) + ":" + std::to_string(port);
    }
    if (addr.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
        ::inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
        port = ntohs(a.sin6_port);
        return "[" + std::string(host) + "]:" + std::to_string(port);
    }
    return "an unknown peer";
}

// What OpenSSL says of the failure, read without taking it off the error queue (CAF reads it
// after us).
std::string reason_of(SSL* ssl, int code) {
    if (auto e = ERR_peek_last_error(); e != 0) {
        char buf[256] = {};
        ERR_error_string_n(e, buf, sizeof buf);
        std::string why = buf;
        if (why.find("wrong version number") != std::string::npos)
            return "the peer does not speak TLS (a client without --remote-tls-*?): " + why;
        if (auto v = SSL_get_verify_result(ssl); v != X509_V_OK)
            why += " (" + std::string(X509_verify_cert_error_string(v)) + ")";
        return why;
    }
    return code == SSL_ERROR_SYSCALL ? "the connection ended during the handshake"
                                     : "the handshake failed";
}

void report(SSL* ssl, int code) {
    std::lock_guard lock(sink_mutex);
    if (current_sink)
        current_sink(peer_of(ssl), reason_of(ssl, code));
}

} // namespace

void watch_tls_refusals(tls_refusal_sink sink) {
    std::lock_guard lock(sink_mutex);
    current_sink = std::move(sink);
}

} // namespace actpip::actors

// Interposes libssl's SSL_accept for libcaf_openssl (the executable's definition comes first
// in symbol lookup): the real one runs, and a failed handshake is reported on the way out.
extern "C" int SSL_accept(SSL* ssl) {
    using accept_fn = int (*)(SSL*);
    static const auto real = [] {
        auto f = reinterpret_cast<accept_fn>(::dlvsym(RTLD_NEXT, "SSL_accept", "OPENSSL_3.0.0"));
        return f ? f : reinterpret_cast<accept_fn>(::dlsym(RTLD_NEXT, "SSL_accept"));
    }();
    int r = real(ssl);
    if (r <= 0) {
        int code = SSL_get_error(ssl, r);
        if (code == SSL_ERROR_SSL || code == SSL_ERROR_SYSCALL)
            actpip::actors::report(ssl, code);
    }
    return r;
}
