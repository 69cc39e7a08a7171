#pragma once
// Test helper: a fake environment laid out like a Python 3.11 virtual environment under a
// temporary directory (no interpreter needed), and snapshots of trees to compare.

#include "actpip/storage/environment.hpp"
#include "actpip/storage/unpack.hpp"
#include "wheel_builder.hpp"

#include <gtest/gtest.h>

#include <map>

namespace actpip::storage::test_support {

inline interpreter_info fake_interpreter(const std::filesystem::path& prefix) {
    interpreter_info info;
    info.executable = (prefix / "bin" / "python").string();
    info.implementation = "cpython";
    info.version = {3, 11, 7};
    info.prefix = prefix.string();
    info.in_virtualenv = true;
    const std::string lib = (prefix / "lib" / "python3.11" / "site-packages").string();
    info.paths = {{"purelib", lib},
                  {"platlib", lib},
                  {"scripts", (prefix / "bin").string()},
                  {"data", prefix.string()},
                  {"include", (prefix / "include" / "python3.11").string()}};
    return info;
}

inline target_environment fake_environment(const std::filesystem::path& prefix) {
    std::filesystem::create_directories(prefix / "lib" / "python3.11" / "site-packages");
    std::filesystem::create_directories(prefix / "bin");
    auto env = make_environment(fake_interpreter(prefix), {});
    EXPECT_TRUE(env.has_value());
    return *env;
}

// Every path under root with its contents (symlinks as "-> target", empty dirs as "<dir>").
// The environment's lock file (env_lock.hpp), which stays once created, is left out.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& root) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().filename() == ".actpip.lock") {
            continue;
        }
        auto rel = it->path().lexically_relative(root).generic_string();
        if (it->is_symlink()) {
            out[rel] = "-> " + std::filesystem::read_symlink(it->path()).string();
        } else if (it->is_directory()) {
            out[rel] = "<dir>";
        } else {
            auto perms = std::filesystem::status(it->path()).permissions();
            out[rel] = slurp(it->path()) + "|" + std::to_string(static_cast<int>(perms));
        }
    }
    return out;
}

inline unpacked_wheel unpack_for_test(const wheel_builder& w, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    auto wheel = w.write(dir);
    auto r = unpack_wheel(wheel, dir / "unpacked" / wheel.filename().string());
    EXPECT_TRUE(r.has_value()) << r.error().describe();
    return *r;
}

} // namespace actpip::storage::test_support
