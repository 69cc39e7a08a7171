#pragma once
// The servers shared by the net tests: started on first use, stopped when the test program
// ends (a GoogleTest environment). The variables that change TLS and proxy behaviour are
// cleared first, so the ambient environment cannot leak in.

#include "net/servers.hpp"

namespace actpip::test {

// Null (with the reason in `why`) when the servers could not start.
net_servers* shared_servers(std::string* why = nullptr);

// Unsets SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE, the proxy variables and NETRC.
void clear_network_environment();

} // namespace actpip::test
