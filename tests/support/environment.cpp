#include "support/environment.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace actpip::test {

namespace {

constexpr std::array<std::string_view, 10> names = {
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NETRC",
    "VIRTUAL_ENV",   "HTTP_PROXY",   "HTTPS_PROXY",        "ALL_PROXY",      "NO_PROXY"};
constexpr std::array<std::string_view, 4> harness = {
    "ACTPIP_BINARY", "ACTPIP_SHARED", "ACTPIP_UPDATE_GOLDEN", "ACTPIP_TEST_SERVER_STDERR"};

bool scrubs(std::string_view name) {
    if (std::ranges::find(harness, name) != harness.end())
        return false;
    if (name.starts_with("PIP_") || name.starts_with("ACTPIP_"))
        return true;
    std::string upper(name);
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return std::ranges::find(names, upper) != names.end();
}

} // namespace

void scrub_environment() {
    std::vector<std::string> doomed;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string_view var = *e;
        auto name = var.substr(0, var.find('='));
        if (scrubs(name))
            doomed.emplace_back(name);
    }
    for (const auto& name : doomed)
        ::unsetenv(name.c_str());
}

} // namespace actpip::test
