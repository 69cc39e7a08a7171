// Real wheels from ../shared/corpus installed into real virtual environments, compared file
// by file with what pip 23 makes from the same wheels, then imported, run, checked with
// `pip check`, upgraded with a failure injected, and uninstalled.

#include "actpip/storage/installed.hpp"
#include "actpip/storage/subprocess.hpp"
#include "actpip/storage/transaction.hpp"
#include "actpip/storage/unpack.hpp"
#include "support/files.hpp"
#include "support/paths.hpp"
#include "support/venv.hpp"

#include <cstdlib>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using namespace actpip::test;

namespace {

fs::path corpus_dir() {
    return shared_dir() / "corpus" / "wheels";
}

// pip is run from the base interpreter against the venv (--python), so the venvs need no pip.
class InstallCorpus : public ::testing::Test {
protected:
    // The machine's PIP_* variables are gone (support/environment.hpp); pip gets these.
    static void SetUpTestSuite() {
        ::setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1", 1);
        ::setenv("PIP_NO_INPUT", "1", 1);
        ::setenv("PIP_NO_CACHE_DIR", "1", 1);
    }

    void SetUp() override {
        if (!fs::is_directory(corpus_dir())) {
            GTEST_SKIP() << "\n*** corpus not found at " << corpus_dir()
                         << ": set ACTPIP_SHARED; real-wheel install tests SKIPPED ***";
        }
        auto r = run_capture({"python3", "-m", "venv", "--without-pip", venv().string()});
        ASSERT_TRUE(r && r->exit_code == 0) << (r ? r->stderr_text : r.error().describe());
        python_ = (venv() / "bin" / "python").string();
        environment_options opt;
        opt.python = python_;
        auto env = open_environment(opt);
        ASSERT_TRUE(env.has_value()) << env.error().describe();
        env_ = *env;
    }

    fs::path venv() const { return dir_.path() / "venv"; }
    fs::path wheel(const std::string& file) const { return corpus_dir() / file; }

    process_output run(std::vector<std::string> argv) {
        auto r = run_capture(argv);
        EXPECT_TRUE(r.has_value()) << r.error().describe();
        return r ? *r : process_output{};
    }
    process_output pip(std::vector<std::string> args) {
        std::vector<std::string> argv{"python3", "-m", "pip", "--python", python_};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv);
    }

    wheel_to_install unpacked(const std::string& file) {
        auto r = unpack_wheel(wheel(file), dir_.path() / "cache" / file);
        EXPECT_TRUE(r.has_value()) << r.error().describe();
        auto digest =
            actpip::core::hash_bytes(actpip::core::hash_algorithm::sha256, read_file(wheel(file)));
        return {
            *r, true,
            direct_url_for_archive("file://" + fs::canonical(wheel(file)).string(), digest->hex)};
    }

    // The environment's files with contents, INSTALLER normalized to compare with pip's.
    std::map<std::string, std::string> normalized_tree() {
        auto tree = snapshot(venv());
        for (auto& [path, content] : tree) {
            if (path.ends_with(".dist-info/INSTALLER")) {
                content = "<installer>";
            }
            if (path.ends_with(".dist-info/RECORD")) {
                std::string out;
                auto rows = parse_record(content.substr(0, content.rfind('|')), path);
                for (const auto& row : *rows) {
                    bool installer = row.path.ends_with("/INSTALLER");
                    out += row.path + "," + (installer ? "<hash>" : row.hash) + "," +
                           (installer ? "<size>" : row.size) + "\n";
                }
                content = out;
            }
        }
        return tree;
    }

    temp_dir dir_;
    std::string python_;
    target_environment env_;
};

const std::vector<std::string> wheels = {
    "six-1.16.0-py3-none-any.whl", "chardet-5.2.0-py3-none-any.whl",
    "colorama-0.4.6-py3-none-any.whl", "coverage-6.5.0-cp311-cp311-linux_x86_64.whl"};

} // namespace

TEST_F(InstallCorpus, SameTreeAsPipThenImportsRunsAndUninstallsCleanly) {
    const auto fresh = snapshot(venv());
    std::vector<std::string> args{"install", "--no-deps", "--no-compile", "--no-index"};
    for (const auto& w : wheels) {
        args.push_back(wheel(w).string());
    }
    auto by_pip = pip(args);
    ASSERT_EQ(by_pip.exit_code, 0) << by_pip.stderr_text;
    const auto pip_tree = normalized_tree();
    auto un = pip({"uninstall", "-y", "six", "chardet", "colorama", "coverage"});
    ASSERT_EQ(un.exit_code, 0) << un.stderr_text;
    ASSERT_EQ(snapshot(venv()), fresh);

    std::vector<wheel_to_install> plan;
    for (const auto& w : wheels) {
        plan.push_back(unpacked(w));
    }
    auto r = install_wheels(env_, plan);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const auto our_tree = normalized_tree();
    EXPECT_EQ(our_tree.size(), pip_tree.size());
    for (const auto& [path, content] : pip_tree) {
        auto it = our_tree.find(path);
        if (it == our_tree.end()) {
            ADD_FAILURE() << "pip installs " << path << ", actpip does not";
        } else {
            EXPECT_EQ(it->second, content) << path;
        }
    }
    for (const auto& [path, content] : our_tree) {
        EXPECT_TRUE(pip_tree.contains(path)) << "actpip installs " << path << ", pip does not";
    }

    auto imported = run({python_, "-c", "import six, chardet, colorama, coverage.tracer"});
    EXPECT_EQ(imported.exit_code, 0) << imported.stderr_text;
    auto chardetect = run({(venv() / "bin" / "chardetect").string(), "--version"});
    EXPECT_EQ(chardetect.exit_code, 0) << chardetect.stderr_text;
    EXPECT_NE(chardetect.stdout_text.find("5.2.0"), std::string::npos);
    auto coverage = run({(venv() / "bin" / "python-coverage").string(), "--version"});
    EXPECT_EQ(coverage.exit_code, 0) << coverage.stderr_text;
    auto check = pip({"check"});
    EXPECT_EQ(check.exit_code, 0) << check.stdout_text;
    auto listed = list_installed(env_);
    ASSERT_EQ(listed.size(), 4u);
    EXPECT_EQ(listed[0].project_name, "chardet");

    // Files Python wrote on import (__pycache__) go with the modules.
    auto removed = uninstall_projects(env_, {"six", "chardet", "colorama", "coverage"});
    ASSERT_TRUE(removed.has_value()) << removed.error().describe();
    EXPECT_EQ(snapshot(venv()), fresh);
}

TEST_F(InstallCorpus, CompileRecordsPycFiles) {
    install_options opt;
    opt.compile = true;
    auto r = install_wheels(env_, {unpacked("six-1.17.0-py3-none-any.whl")}, opt);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const auto lib = fs::path(env_.python.paths.at("purelib"));
    const auto record = read_file(lib / "six-1.17.0.dist-info" / "RECORD");
    EXPECT_NE(record.find("__pycache__/six.cpython-311.pyc,sha256="), std::string::npos) << record;
    auto imported = run({python_, "-c", "import six; print(six.__file__)"});
    EXPECT_EQ(imported.exit_code, 0) << imported.stderr_text;
    auto check = pip({"check"});
    EXPECT_EQ(check.exit_code, 0) << check.stdout_text;
    ASSERT_TRUE(uninstall_projects(env_, {"six"}).has_value());
    EXPECT_FALSE(fs::exists(lib / "__pycache__" / "six.cpython-311.pyc"));
}

TEST_F(InstallCorpus, FailedUpgradeLeavesThePreviousVersion) {
    ASSERT_TRUE(install_wheels(env_, {unpacked("six-1.16.0-py3-none-any.whl")}).has_value());
    const auto before = snapshot(venv());
    int changes = 0;
    install_options opt;
    opt.faults = [&changes](std::string_view op, const fs::path&) {
        return op == "rename" && ++changes == 12 ? EIO : 0; // mid-commit
    };
    auto r = install_wheels(
        env_, {unpacked("six-1.17.0-py3-none-any.whl"), unpacked("chardet-5.2.0-py3-none-any.whl")},
        opt);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(snapshot(venv()), before);
    auto version = run({python_, "-c", "import six; print(six.__version__)"});
    EXPECT_EQ(version.stdout_text, "1.16.0\n");
    auto check = pip({"check"});
    EXPECT_EQ(check.exit_code, 0) << check.stdout_text;

    auto up = install_wheels(env_, {unpacked("six-1.17.0-py3-none-any.whl")});
    ASSERT_TRUE(up.has_value()) << up.error().describe();
    version = run({python_, "-c", "import six; print(six.__version__)"});
    EXPECT_EQ(version.stdout_text, "1.17.0\n");
    EXPECT_EQ(pip({"check"}).exit_code, 0);
}
