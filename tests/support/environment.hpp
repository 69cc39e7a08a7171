#pragma once
// The test machines set TLS, proxy, pip and actpip variables globally; the code under test
// must not see them. Every test program calls scrub_environment() first (support/main.cpp).

namespace actpip::test {

// Unsets SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, NETRC, VIRTUAL_ENV,
// the proxy variables in either case, and every PIP_* and ACTPIP_* variable but the test
// harness's own (ACTPIP_BINARY, ACTPIP_SHARED, ACTPIP_UPDATE_GOLDEN,
// ACTPIP_TEST_SERVER_STDERR). tests/support/scrub_env.py does the same for Python and shell.
void scrub_environment();

} // namespace actpip::test
