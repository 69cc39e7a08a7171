// file:// URLs through the client: files, ranges, directory listings, missing files.
#include <gtest/gtest.h>

#include "actpip/net/client.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace actpip;

class file_urls : public testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir_.path().empty());
        std::filesystem::create_directories(dir_.path() / "links" / "sub dir");
        test::write_file(dir_.path() / "links" / "pkg-1.0-py3-none-any.whl", test::payload(5000));
        test::write_file(dir_.path() / "links" / "a&b.tar.gz", "x");
        auto c = net::client::create({});
        ASSERT_TRUE(c);
        client_ = std::move(*c);
    }
    net::url at(const std::string& rel) {
        return net::url::parse("file://" + (dir_.path() / rel).string()).value();
    }
    test::temp_dir dir_;
    std::unique_ptr<net::client> client_;
};

TEST_F(file_urls, reads_files_and_ranges) {
    auto r = client_->fetch(net::request::get(at("links/pkg-1.0-py3-none-any.whl")));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, test::payload(5000));
    auto req = net::request::get(at("links/pkg-1.0-py3-none-any.whl"));
    req.range = net::byte_range::suffix(100);
    r = client_->fetch(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 206u);
    EXPECT_EQ(r->body, test::payload(5000).substr(4900));
    EXPECT_EQ(r->range(), (net::content_range{4900, 4999, 5000}));
    req.range = net::byte_range::from(6000);
    r = client_->fetch(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 416u);
}

TEST_F(file_urls, streams_to_a_sink) {
    std::string got;
    auto req = net::request::get(at("links/pkg-1.0-py3-none-any.whl"));
    req.sink = [&](std::string_view s) -> core::result<void> {
        got.append(s);
        return {};
    };
    auto r = client_->fetch(req);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->body.empty());
    EXPECT_EQ(got, test::payload(5000));
}

TEST_F(file_urls, lists_directories_as_link_pages) {
    auto r = client_->fetch(net::request::get(at("links")));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r->body.find("href=\"pkg-1.0-py3-none-any.whl\""), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("href=\"a%26b.tar.gz\""), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("href=\"sub%20dir/\""), std::string::npos) << r->body;
}

TEST_F(file_urls, missing_files_are_404_and_remote_hosts_refused) {
    auto r = client_->fetch(net::request::get(at("nope.whl")));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404u);
    auto remote =
        client_->fetch(net::request::get(net::url::parse("file://server/share/x").value()));
    EXPECT_FALSE(remote);
}

TEST_F(file_urls, unsupported_scheme) {
    auto r = client_->fetch(net::request::get(net::url::parse("ftp://host/x").value()));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::errc::unsupported);
}

} // namespace
