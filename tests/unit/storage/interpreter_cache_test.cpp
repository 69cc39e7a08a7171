#include "actpip/storage/interpreter_cache.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace actpip::storage;
using actpip::test::read_file;
using actpip::test::temp_dir;

namespace {

const interpreter_key key{"/venv/bin/python", 1700000000123456789, 14000};

} // namespace

TEST(InterpreterCache, EntriesRoundTrip) {
    const std::string json = R"({"executable": "/venv/bin/python"})";
    auto text = serialize_interpreter_entry(key, json);
    EXPECT_EQ(parse_interpreter_entry(text, key), json);
}

TEST(InterpreterCache, AnotherOrChangedInterpreterMisses) {
    auto text = serialize_interpreter_entry(key, "{}");
    auto other = key;
    other.path = "/usr/bin/python3";
    EXPECT_FALSE(parse_interpreter_entry(text, other).has_value());
    auto touched = key;
    touched.mtime_ns += 1;
    EXPECT_FALSE(parse_interpreter_entry(text, touched).has_value());
    auto rebuilt = key;
    rebuilt.size = 1;
    EXPECT_FALSE(parse_interpreter_entry(text, rebuilt).has_value());
}

TEST(InterpreterCache, DamagedEntriesMiss) {
    auto text = serialize_interpreter_entry(key, "{}");
    EXPECT_FALSE(parse_interpreter_entry("", key).has_value());
    EXPECT_FALSE(parse_interpreter_entry(text.substr(0, 20), key).has_value());
    EXPECT_FALSE(parse_interpreter_entry(text.substr(0, text.size() - 2), key).has_value());
    EXPECT_FALSE(parse_interpreter_entry("x" + text, key).has_value());
}

TEST(InterpreterCache, OneFilePerInterpreterPath) {
    auto other = key;
    other.path = "/usr/bin/python3";
    EXPECT_NE(interpreter_entry_path("/c", key), interpreter_entry_path("/c", other));
    auto touched = key;
    touched.mtime_ns = 5;
    EXPECT_EQ(interpreter_entry_path("/c", key), interpreter_entry_path("/c", touched));
}

TEST(InterpreterCache, ProbesOnceUntilTheInterpreterChanges) {
    temp_dir dir;
    const fs::path python = dir.path() / "python";
    const fs::path runs = dir.path() / "runs";
    // A stand-in interpreter that counts its runs and hands over to python3.
    auto write_python = [&](const std::string& comment) {
        std::ofstream(python) << "#!/bin/sh\n# " << comment << "\necho run >> '" << runs.string()
                              << "'\nexec python3 \"$@\"\n";
        ::chmod(python.c_str(), 0755);
    };
    write_python("first");
    const fs::path cache = dir.path() / "cache";
    auto first = probe_interpreter_cached(python.string(), cache);
    if (!first) {
        GTEST_SKIP() << "no python3 to stand in for: " << first.error().describe();
    }
    auto second = probe_interpreter_cached(python.string(), cache);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->version, first->version);
    EXPECT_EQ(read_file(runs), "run\n");

    write_python("changed"); // another size, so the key changes whatever the clock
    auto third = probe_interpreter_cached(python.string(), cache);
    ASSERT_TRUE(third.has_value());
    EXPECT_EQ(read_file(runs), "run\nrun\n");
    EXPECT_EQ(third->version, first->version);
    EXPECT_EQ(fs::directory_iterator(cache)->path().filename().string().substr(0, 12),
              "interpreter-");
}
