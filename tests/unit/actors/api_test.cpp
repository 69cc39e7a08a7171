// actpip/api.hpp as a host uses it, on a find-links directory of wheels and a --target
// directory (python3 on PATH is the interpreter): a job's events and outcome, and what a
// host's callback that throws does (the job is cancelled and its error says why; wait()
// still returns).
#include <gtest/gtest.h>

#include "actpip/api.hpp"
#include "support/index.hpp"
#include "support/nginx.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"
#include "support/wheel_builder.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace actpip;

class api_test : public testing::Test {
protected:
    void SetUp() override {
        if (std::system("python3 -c pass") != 0)
            GTEST_SKIP() << "python3 is not on PATH";
        fs::create_directories(tmp_.path() / "wheels");
        test::wheel_builder("alpha", "1.0")
            .file("alpha/__init__.py", "")
            .write(tmp_.path() / "wheels");
    }
    job_options options() const {
        job_options o;
        o.kind = job_kind::resolve;
        o.requirements = {"alpha"};
        o.no_index = true;
        o.find_links = {(tmp_.path() / "wheels").string()};
        o.target = (tmp_.path() / "target").string();
        o.cache_dir = (tmp_.path() / "cache").string();
        return o;
    }
    test::temp_dir tmp_;
};

TEST_F(api_test, a_job_reports_its_events_and_outcome) {
    std::vector<progress_event::kind> kinds;
    auto o = run(options(), [&](const progress_event& e) { kinds.push_back(e.what); });
    ASSERT_EQ(o.exit_code, 0) << o.error;
    ASSERT_EQ(o.resolution.size(), 1u);
    EXPECT_EQ(o.resolution[0].name, "alpha");
    EXPECT_EQ(o.resolution[0].filename, "alpha-1.0-py3-none-any.whl");
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), progress_event::kind::resolved), kinds.end());
}

TEST_F(api_test, a_callback_that_throws_cancels_the_job_and_is_its_error) {
    int calls = 0;
    auto o = run(options(), [&](const progress_event&) {
        ++calls;
        throw std::runtime_error("the host's bar broke");
    });
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.error, "the progress callback threw: the host's bar broke");
    EXPECT_EQ(calls, 1) << "not called again after it threw";
}

// Two jobs of one process at once, from one index: they share the fetch side, so every page,
// metadata file and wheel is asked of the server once in all, and both get what they asked.
TEST(api_jobs, two_jobs_at_once_share_one_fetch_side) {
    if (std::system("python3 -c pass") != 0)
        GTEST_SKIP() << "python3 is not on PATH";
    test::temp_dir tmp;
    std::string why;
    ASSERT_TRUE(test::make_index(tmp.path() / "www", test::source_dir() / "demo" / "wheels", &why))
        << why;
    test::nginx_server nginx;
    ASSERT_TRUE(nginx.start(tmp.path())) << "nginx did not start";
    auto options_for = [&](const std::string& target) {
        job_options o;
        o.requirements = {"requests"};
        o.index_url = "http://127.0.0.1:" + std::to_string(nginx.http_port) + "/simple/";
        o.target = (tmp.path() / target).string();
        o.cache_dir = (tmp.path() / "cache").string();
        return o;
    };
    auto first = job::start(options_for("one"));
    auto second = job::start(options_for("two"));
    auto a = first->wait();
    auto b = second->wait();
    ASSERT_EQ(a.exit_code, 0) << a.error;
    ASSERT_EQ(b.exit_code, 0) << b.error;
    for (const char* target : {"one", "two"})
        for (const char* dist :
             {"requests-2.32.3.dist-info", "idna-3.10.dist-info", "urllib3-2.3.0.dist-info",
              "certifi-2025.1.31.dist-info", "charset_normalizer-3.0.1.dist-info"})
            EXPECT_TRUE(fs::exists(tmp.path() / target / dist / "RECORD")) << target << "/" << dist;
    std::map<std::string, int> asked;
    for (const auto& e : nginx.access_log())
        ++asked[e.uri];
    ASSERT_FALSE(asked.empty());
    for (const auto& [uri, times] : asked)
        EXPECT_EQ(times, 1) << uri << " was asked " << times << " times";
    EXPECT_GE(asked.size(), 10u) << "5 pages, their metadata and 5 wheels";
}

} // namespace
