#include "net/environment.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace actpip::test {

namespace {

std::unique_ptr<net_servers>& holder() {
    static std::unique_ptr<net_servers> servers;
    return servers;
}

class servers_environment : public testing::Environment {
public:
    void TearDown() override {
        if (holder())
            holder()->stop();
        holder().reset();
    }
};

[[maybe_unused]] auto* registered = testing::AddGlobalTestEnvironment(new servers_environment);

} // namespace

void clear_network_environment() {
    for (const char* name :
         {"SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTP_PROXY",
          "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
          "no_proxy", "NETRC"})
        unsetenv(name);
}

net_servers* shared_servers(std::string* why) {
    static std::string error;
    static bool tried = false;
    if (!tried) {
        tried = true;
        clear_network_environment();
        auto s = std::make_unique<net_servers>();
        if (s->start())
            holder() = std::move(s);
        else
            error = s->error;
    }
    if (why)
        *why = error;
    return holder().get();
}

} // namespace actpip::test
