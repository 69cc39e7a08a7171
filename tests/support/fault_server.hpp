#pragma once
// tests/support/fault_server.py, the HTTP server that misbehaves on purpose (resets, stalls,
// redirect loops, bad certificates, a proxy, ...), a child of the test on a free port.

#include "support/process.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace actpip::test {

class fault_server {
public:
    // `tls_name`: empty for plain HTTP, else "server", "wrong" or "self" (a certificate in
    // `certs`, from make_certificates()). `extra`: more fault_server.py options ("--bind",
    // "::1", "--proxy-auth", "u:p").
    bool start(const std::filesystem::path& certs, const std::string& tls_name = {},
               const std::vector<std::string>& extra = {});
    void stop() { proc_.stop(); }
    std::uint16_t port = 0;

private:
    child_process proc_;
};

} // namespace actpip::test
