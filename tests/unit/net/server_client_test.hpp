#pragma once
// The fixture of the client tests against the loopback servers that the whole test program
// shares (support/net_servers.hpp): a client trusting the test CA, retrying fast.

#include "actpip/net/client.hpp"
#include "support/net_servers.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace actpip::test {

class server_client_test : public testing::Test {
protected:
    using client = net::client;
    using client_options = net::client_options;
    using request = net::request;
    using url = net::url;

    void SetUp() override {
        std::string why;
        servers_ = shared_net_servers(&why);
        ASSERT_NE(servers_, nullptr) << why;
    }
    virtual client_options options() const {
        client_options o;
        o.tls.ca_bundle = servers_->ca();
        o.retry.base_delay = std::chrono::milliseconds(5);
        return o;
    }
    std::unique_ptr<client> make(client_options o) {
        auto c = client::create(std::move(o));
        EXPECT_TRUE(c) << c.error().describe();
        return c ? std::move(*c) : nullptr;
    }
    net_servers* servers_ = nullptr;
};

} // namespace actpip::test
