// The session's download decisions without actors: when a download starts, what a landed
// or failed download means once the resolution is final, and the install order.
#include <gtest/gtest.h>

#include "actpip/actors/download_book.hpp"
#include "actpip/actors/resolution_wire.hpp"

namespace {

using namespace actpip;
using namespace actpip::actors;

wire_file file(const std::string& name, const std::string& version) {
    wire_file f;
    f.name = name;
    f.version = version;
    f.filename = name + "-" + version + "-py3-none-any.whl";
    f.url = "https://files.test/" + f.filename;
    return f;
}

downloaded_wheel wheel(const std::string& sha, std::uint32_t requests = 1) {
    downloaded_wheel w;
    w.wheel.path = "/cache/" + sha;
    w.wheel.sha256 = sha;
    w.requests = requests;
    return w;
}

resolved_pin pin(const std::string& name, const std::string& version, bool installed = false) {
    resolved_pin p;
    p.name = name;
    p.version = version;
    p.installed = installed;
    return p;
}

TEST(download_book, a_version_starts_downloading_once) {
    download_book book;
    EXPECT_TRUE(book.start(file("app", "1.0")));
    EXPECT_FALSE(book.start(file("app", "1.0")));
    EXPECT_FALSE(book.start(file("App", "1.00"))) << "the same version, spelled otherwise";
    EXPECT_TRUE(book.start(file("app", "2.0")));
    ASSERT_NE(book.filename_of_url("https://files.test/app-2.0-py3-none-any.whl"), nullptr);
    EXPECT_EQ(*book.filename_of_url("https://files.test/app-2.0-py3-none-any.whl"),
              "app-2.0-py3-none-any.whl");
    EXPECT_EQ(book.filename_of_url("https://elsewhere/x.whl"), nullptr);
}

TEST(download_book, a_known_file_may_still_be_downloaded) {
    download_book book;
    book.know(file("app", "1.0"));
    EXPECT_EQ(book.find("app==1.0")->status, download_book::state::known);
    EXPECT_TRUE(book.start(file("app", "1.0")));
    EXPECT_EQ(book.find("app==1.0")->status, download_book::state::downloading);
}

TEST(download_book, ready_when_every_final_pin_has_landed_in_resolution_order) {
    download_book book;
    for (auto [n, v] : {std::pair{"lib", "1.5"}, {"app", "2.0"}, {"app", "1.0"}})
        book.start(file(n, v));
    std::vector<resolved_pin> pins{pin("app", "1.0"), pin("kept", "3.0", true), pin("lib", "1.5")};
    auto r = book.check(pins, true);
    EXPECT_FALSE(r.ready());
    EXPECT_EQ(r.missing, (std::vector<std::string>{"app==1.0", "lib==1.5"}));
    book.landed("lib==1.5", wheel("l"));
    book.landed("app==1.0", wheel("a", 0));
    r = book.check(pins, true);
    ASSERT_TRUE(r.ready());
    ASSERT_EQ(r.wheels.size(), 2u) << "an installed pin needs no wheel";
    EXPECT_EQ(r.wheels[0].file.name, "app") << "the resolution's order, not the landing order";
    EXPECT_EQ(r.wheels[0].wheel.sha256, "a");
    EXPECT_EQ(r.wheels[1].file.name, "lib");
    EXPECT_TRUE(book.find("app==1.0")->from_cache);
    EXPECT_FALSE(book.find("lib==1.5")->from_cache);
}

TEST(download_book, a_failure_counts_only_for_a_final_pin_and_counts_at_once) {
    download_book book;
    book.start(file("app", "2.0"));
    book.start(file("app", "1.0"));
    book.start(file("lib", "1.5"));
    book.failed("app==2.0", core::error{core::errc::network, "HTTP 503 for app-2.0"});
    std::vector<resolved_pin> pins{pin("app", "1.0"), pin("lib", "1.5")};
    auto r = book.check(pins, true);
    EXPECT_FALSE(r.failure) << "app 2.0 was dropped by the resolution";
    book.failed("lib==1.5", core::error{core::errc::network, "HTTP 503 for lib-1.5"});
    r = book.check(pins, true);
    ASSERT_TRUE(r.failure) << "app 1.0 is still downloading, but lib has failed already";
    EXPECT_NE(r.failure->message.find("lib-1.5"), std::string::npos);
    EXPECT_FALSE(r.ready());
    EXPECT_TRUE(r.wheels.empty());
}

TEST(download_book, a_dry_run_needs_files_not_wheels) {
    download_book book;
    std::vector<resolved_pin> pins{pin("app", "1.0")};
    EXPECT_EQ(book.check(pins, false).missing, std::vector<std::string>{"app==1.0"});
    book.know(file("app", "1.0"));
    auto r = book.check(pins, false);
    EXPECT_TRUE(r.ready());
    EXPECT_TRUE(r.wheels.empty());
}

TEST(download_book, late_news_of_unknown_or_finished_downloads_changes_nothing) {
    download_book book;
    book.landed("ghost==1.0", wheel("g"));
    book.failed("ghost==1.0", core::error{core::errc::internal, "x"});
    EXPECT_FALSE(book.has("ghost==1.0"));
    book.start(file("app", "1.0"));
    book.landed("app==1.0", wheel("a"));
    book.landed("app==1.0", wheel("b"));
    EXPECT_EQ(book.find("app==1.0")->wheel.sha256, "a");
}

} // namespace
