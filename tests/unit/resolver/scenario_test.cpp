// Runs every scenario file under tests/data/resolver/{scenarios,packse} against the pure
// solver with the in-memory provider. Failures' explanations are compared with golden files
// (<scenario>.explanation next to the scenario); ACTPIP_UPDATE_GOLDEN=1 rewrites them.

#include "scenario.hpp"
#include "support/files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace actpip::resolver::test {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> scenario_files(const std::string& dir) {
    std::vector<fs::path> out;
    const fs::path root = fs::path(ACTPIP_TEST_DATA_DIR) / "resolver" / dir;
    if (!fs::exists(root)) {
        return out;
    }
    for (const auto& e : fs::directory_iterator(root)) {
        if (e.path().extension() == ".txt") {
            out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

void check_golden(const fs::path& golden, const std::string& actual) {
    const char* update = std::getenv("ACTPIP_UPDATE_GOLDEN");
    if ((update != nullptr && std::string(update) == "1") || !fs::exists(golden)) {
        std::ofstream(golden) << actual;
        if (update == nullptr) {
            ADD_FAILURE() << "golden file was missing and has been written: " << golden;
        }
        return;
    }
    EXPECT_EQ(actpip::test::read_file(golden), actual)
        << "golden " << golden << " (ACTPIP_UPDATE_GOLDEN=1 rewrites it)";
}

void run(const fs::path& file, bool golden) {
    auto sc = load_scenario(file);
    ASSERT_TRUE(sc.has_value()) << sc.error().message;
    if (sc->skip) {
        GTEST_SKIP() << *sc->skip;
    }
    solver s(sc->root, sc->options);
    const step_result r = sc->universe.resolve(s);
    if (sc->expect_success) {
        const auto* ok = std::get_if<solution>(&r);
        ASSERT_NE(ok, nullptr) << "expected a solution, got:\n" << std::get<failure>(r).explanation;
        std::map<std::string, std::string> got;
        for (const auto& p : ok->pins) {
            got[p.name] = p.version.to_string();
        }
        if (sc->check_pins) {
            EXPECT_EQ(got, sc->expected) << describe(*ok);
        }
    } else {
        const auto* no = std::get_if<failure>(&r);
        ASSERT_NE(no, nullptr) << "expected failure, got " << describe(std::get<solution>(r));
        if (golden) {
            std::string text = no->explanation;
            for (const auto& h : no->hints) {
                text += "hint: " + h + "\n";
            }
            check_golden(fs::path(file).replace_extension(".explanation"), text);
        }
    }
}

class scenarios : public ::testing::TestWithParam<fs::path> {};
class packse : public ::testing::TestWithParam<fs::path> {};

TEST_P(scenarios, resolves_as_expected) {
    run(GetParam(), true);
}

TEST_P(packse, resolves_as_expected) {
    run(GetParam(), false);
}

std::string test_name(const ::testing::TestParamInfo<fs::path>& info) {
    std::string n = info.param.stem().string();
    for (char& c : n) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
            c = '_';
        }
    }
    return n;
}

INSTANTIATE_TEST_SUITE_P(resolver, scenarios, ::testing::ValuesIn(scenario_files("scenarios")),
                         test_name);
INSTANTIATE_TEST_SUITE_P(resolver, packse, ::testing::ValuesIn(scenario_files("packse")),
                         test_name);

} // namespace
} // namespace actpip::resolver::test
