// `actpip list/freeze/show/uninstall` through the real binary (ACTPIP_BINARY) against a
// virtual environment made with `python3 -m venv --without-pip`, where test wheels were
// installed through the library. Exit codes: 0 success, 1 errors, 2 usage.
#include "actpip/storage/environment.hpp"
#include "actpip/storage/installed.hpp"
#include "actpip/storage/transaction.hpp"
#include "actpip/storage/unpack.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"
#include "support/wheel_builder.hpp"

#include <fstream>
#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::test;

namespace {

struct run_result {
    int code = -1;
    std::string out;
    std::string err;
};

// Runs a shell command line, capturing stdout and stderr (stderr through a file).
run_result sh(const std::string& command, const fs::path& scratch) {
    const fs::path err = scratch / "stderr.txt";
    run_result r;
    std::FILE* p = ::popen((command + " 2>'" + err.string() + "' </dev/null").c_str(), "r");
    if (!p) {
        return r;
    }
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) {
        r.out.append(buf, n);
    }
    int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = read_file(err);
    return r;
}

class cli_environment : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new temp_dir();
        const fs::path venv = dir_->path() / "venv";
        if (std::system(("python3 -m venv --without-pip '" + venv.string() + "'").c_str()) != 0) {
            return;
        }
        python_ = (venv / "bin" / "python").string();
        environment_options opt;
        opt.python = python_;
        auto env = open_environment(opt);
        ASSERT_TRUE(env.has_value()) << env.error().describe();
        std::vector<wheel_to_install> wheels;
        for (auto [name, version] : {std::pair{"alpha", "1.0"}, std::pair{"Beta_Pkg", "2.5"}}) {
            wheel_builder w(name, version);
            w.file(std::string(name) + "/__init__.py", "pass\n");
            fs::create_directories(dir_->path() / "wheels");
            auto path = w.write(dir_->path() / "wheels");
            auto tree = unpack_wheel(path, dir_->path() / "unpacked" / w.filename());
            ASSERT_TRUE(tree.has_value()) << tree.error().describe();
            wheels.push_back({*tree, true, std::nullopt});
        }
        wheels[1].direct_url_json = direct_url_for_archive("file:///w/beta.whl", "");
        auto r = install_wheels(*env, wheels);
        ASSERT_TRUE(r.has_value()) << r.error().describe();
        // A summary and a dependency for `show` (RECORD's hash of METADATA goes stale, which
        // neither show nor uninstall minds).
        auto alpha = find_installed(*env, "alpha");
        ASSERT_TRUE(alpha.has_value());
        std::ofstream(alpha->dist_info / "METADATA", std::ios::app)
            << "Summary: the first letter\nRequires-Dist: beta-pkg\n";
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    void SetUp() override {
        if (python_.empty()) {
            GTEST_SKIP() << "python3 -m venv is not available";
        }
    }

    run_result actpip(const std::string& args) {
        return sh(std::string("'") + ACTPIP_BINARY + "' " + args, dir_->path());
    }
    std::string py() const { return " --python '" + python_ + "'"; }

    static inline temp_dir* dir_ = nullptr;
    static inline std::string python_;
};

} // namespace

TEST_F(cli_environment, list_shows_the_installed_wheels) {
    auto r = actpip("list" + py());
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "Package  Version\n"
                     "-------- -------\n"
                     "alpha    1.0\n"
                     "Beta_Pkg 2.5\n");
}

TEST_F(cli_environment, freeze_pins_versions_and_urls) {
    auto r = actpip("freeze" + py());
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "alpha==1.0\nBeta_Pkg @ file:///w/beta.whl\n");
}

TEST_F(cli_environment, show_prints_metadata_and_relations) {
    auto r = actpip("show alpha" + py());
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Name: alpha\nVersion: 1.0\nSummary: the first letter\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Requires: beta-pkg\n"), std::string::npos) << r.out;
    auto beta = actpip("show beta-pkg" + py());
    EXPECT_EQ(beta.code, 0);
    EXPECT_NE(beta.out.find("Required-by: alpha\n"), std::string::npos) << beta.out;
    auto missing = actpip("show nothing-here" + py());
    EXPECT_EQ(missing.code, 1);
    EXPECT_NE(missing.err.find("not found: nothing-here"), std::string::npos) << missing.err;
}

TEST_F(cli_environment, exit_codes_for_usage_and_errors) {
    EXPECT_EQ(actpip("").code, 2);
    EXPECT_EQ(actpip("list --no-such-option").code, 2);
    EXPECT_EQ(actpip("show").code, 2); // a name is required
    auto bad = actpip("list --python /nonexistent/python");
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("ERROR:"), std::string::npos) << bad.err;
}

// Last (gtest runs a suite's tests in order): it changes the environment.
TEST_F(cli_environment, uninstall_removes_and_reports) {
    const fs::path venv = dir_->path() / "venv";
    auto r = actpip("uninstall -y alpha not-installed" + py());
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Found existing installation: alpha 1.0\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Successfully uninstalled alpha-1.0\n"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("Skipping not-installed"), std::string::npos) << r.err;
    auto after = actpip("freeze" + py());
    EXPECT_EQ(after.out, "Beta_Pkg @ file:///w/beta.whl\n");
    for (const auto& path : tree_of(venv)) {
        EXPECT_EQ(path.find("alpha"), std::string::npos) << path;
        EXPECT_EQ(path.find(".actpip-"), std::string::npos) << path;
    }
    // The venv's own interpreter still imports what is left.
    EXPECT_EQ(sh("'" + python_ + "' -c 'import Beta_Pkg'", dir_->path()).code, 0);
    EXPECT_NE(sh("'" + python_ + "' -c 'import alpha'", dir_->path()).code, 0);
}
