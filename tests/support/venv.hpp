#pragma once
// Fake virtual environments for the storage tests: laid out like a Python 3.11 venv under a
// directory (no interpreter needed), snapshots of trees to compare, wheels unpacked for them,
// and the upgrade that the transaction tests interrupt in every way.

#include "actpip/storage/environment.hpp"
#include "actpip/storage/unpack.hpp"
#include "support/temp_dir.hpp"
#include "support/wheel_builder.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace actpip::test {

// A CPython 3.11.7 in a venv at `prefix`, purelib = platlib = lib/python3.11/site-packages.
storage::interpreter_info fake_interpreter(const std::filesystem::path& prefix);

// The directories of that venv made, and its environment (a failure is a test failure).
storage::target_environment fake_environment(const std::filesystem::path& prefix);

// Every path under root with its contents and permissions (symlinks as "-> target", empty
// dirs as "<dir>"). The environment's lock file (env_lock.hpp), which stays once created, is
// left out.
std::map<std::string, std::string> snapshot(const std::filesystem::path& root);

// Writes `w` into `dir` and unpacks it to dir/unpacked/<wheel> (a failure is a test failure).
storage::unpacked_wheel unpack_for_test(const wheel_builder& w, const std::filesystem::path& dir);

// alpha 1.0 installed in a fake venv at dir/env (the snapshot `before` taken then), alpha 2.0
// and beta 1.0 unpacked beside it (dir/a2, dir/b1): the upgrade plan the transaction tests
// make fail, kill and recover. `make(name, version)` builds each wheel.
struct upgrade_fixture {
    using make_wheel = std::function<wheel_builder(const std::string&, const std::string&)>;
    explicit upgrade_fixture(const make_wheel& make);

    temp_dir dir;
    std::filesystem::path root; // dir/env
    storage::target_environment env;
    storage::unpacked_wheel alpha1, alpha2, beta1;
    bool alpha1_installed = false;
    std::map<std::string, std::string> before;
};

} // namespace actpip::test
