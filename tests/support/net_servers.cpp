#include "support/net_servers.hpp"

#include "support/files.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <memory>

namespace actpip::test {

bool net_servers::start() {
    auto fail = [this](std::string why) {
        error = std::move(why);
        return false;
    };
    if (tmp.path().empty())
        return fail("cannot create a temp dir");
    chmod(tmp.path().c_str(), 0755);
    certs = tmp.path() / "certs";
    www = tmp.path() / "www";
    std::filesystem::create_directories(www / "simple" / "pkg");
    if (!make_certificates(certs))
        return fail("make_certs.sh failed");
    std::string page;
    for (int i = 0; i < 400; ++i)
        page += "<a href=\"pkg-1." + std::to_string(i) + ".tar.gz\">pkg-1." + std::to_string(i) +
                "</a>\n";
    write_file(www / "simple" / "pkg" / "index.txt", page);
    write_file(www / "small.txt", "hello from nginx\n");
    write_file(www / "data.bin", payload(1 << 20));
    if (!nginx.start(tmp.path(), certs))
        return fail("nginx did not start: " + read_file(tmp.path() / "error.log"));
    if (!fault.start(certs) || !wrong_host.start(certs, "wrong") ||
        !self_signed.start(certs, "self"))
        return fail("fault_server.py did not start");
    return true;
}

void net_servers::stop() {
    nginx.stop();
    fault.stop();
    wrong_host.stop();
    self_signed.stop();
}

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

net_servers* shared_net_servers(std::string* why) {
    static std::string error;
    static bool tried = false;
    if (!tried) {
        tried = true;
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
