#pragma once
// The loopback servers of the network tests (the net and actors suites), all in one temp dir:
// nginx over HTTP and HTTPS serving www/ (simple/pkg/index.txt, a 400-link page; small.txt;
// data.bin, payload(1 MiB)), and fault_server.py plain, with a wrong-host certificate and with
// a self-signed one. Everything stops and is removed with the object.

#include "support/fault_server.hpp"
#include "support/nginx.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>

namespace actpip::test {

struct net_servers {
    temp_dir tmp;
    std::filesystem::path certs; // make_certificates()
    std::filesystem::path www;   // what nginx serves
    nginx_server nginx;
    fault_server fault;
    fault_server wrong_host;
    fault_server self_signed;
    std::string error; // why start() failed

    bool start();
    void stop();
    std::string ca() const { return (certs / "ca.pem").string(); }
};

// One net_servers for the whole test program, started on first use and stopped when the
// program ends (a GoogleTest environment); null, with the reason in `why`, when they could not
// start.
net_servers* shared_net_servers(std::string* why = nullptr);

} // namespace actpip::test
