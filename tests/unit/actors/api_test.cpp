// actpip/api.hpp as a host uses it, on a find-links directory of wheels and a --target
// directory (python3 on PATH is the interpreter): a job's events and outcome, and what a
// host's callback that throws does (the job is cancelled and its error says why; wait()
// still returns).
#include <gtest/gtest.h>

#include "actpip/api.hpp"
#include "support/temp_dir.hpp"
#include "support/wheel_builder.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

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

} // namespace
