#pragma once
// nginx on loopback, a child of the test (it stops with the test, even one that crashes),
// serving <root>/www with the one configuration that scripts/serve_index.sh writes: PEP 691
// negotiation under /simple/, gzip, keep-alive, ETag; HTTPS too when given certificates.
// Config, logs and temp files live in <root>; the access log is there to count requests.

#include "support/process.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::test {

// One request in nginx's access log.
struct access_entry {
    std::string connection; // nginx's connection serial number
    std::string method;
    std::string uri; // nginx's $uri: decoded, without the query, after internal redirects
    int status = 0;
};

class nginx_server {
public:
    // Serves <root>/www over HTTP on http_port and, with `certs` (a make_certificates()
    // directory), over HTTPS on https_port, where client certificates are optional and
    // /client-cert answers nginx's verdict ("NONE", "SUCCESS"). <root>/conf.d/*.conf may add
    // locations. False when nginx does not answer (see error.log in <root>).
    bool start(const std::filesystem::path& root, const std::filesystem::path& certs = {});
    void stop() { proc_.stop(); }

    std::vector<access_entry> access_log() const;
    // Requests whose path starts with `prefix`, and the distinct connections that served them.
    std::size_t requests_for(std::string_view prefix) const;
    std::size_t connections_for(std::string_view prefix) const;

    std::uint16_t http_port = 0;
    std::uint16_t https_port = 0; // 0 without certificates

private:
    std::filesystem::path root_;
    child_process proc_;
};

// Writes a test CA and certificates into `dir` (tests/support/make_certs.sh): ca.pem/ca.key,
// server.pem/.key (localhost, 127.0.0.1, ::1), wrong.pem/.key (wrong.example only),
// self.pem/.key (self-signed), client.pem/.key (a client certificate from the CA).
bool make_certificates(const std::filesystem::path& dir);

} // namespace actpip::test
