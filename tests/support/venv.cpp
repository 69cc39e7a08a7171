#include "support/venv.hpp"

#include "actpip/storage/transaction.hpp"
#include "support/files.hpp"

#include <gtest/gtest.h>

namespace actpip::test {

namespace fs = std::filesystem;

storage::interpreter_info fake_interpreter(const fs::path& prefix) {
    storage::interpreter_info info;
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

storage::target_environment fake_environment(const fs::path& prefix) {
    fs::create_directories(prefix / "lib" / "python3.11" / "site-packages");
    fs::create_directories(prefix / "bin");
    auto env = storage::make_environment(fake_interpreter(prefix), {});
    EXPECT_TRUE(env.has_value());
    return *env;
}

std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().filename() == ".actpip.lock")
            continue;
        auto rel = it->path().lexically_relative(root).generic_string();
        if (it->is_symlink()) {
            out[rel] = "-> " + fs::read_symlink(it->path()).string();
        } else if (it->is_directory()) {
            out[rel] = "<dir>";
        } else {
            auto perms = fs::status(it->path()).permissions();
            out[rel] = read_file(it->path()) + "|" + std::to_string(static_cast<int>(perms));
        }
    }
    return out;
}

storage::unpacked_wheel unpack_for_test(const wheel_builder& w, const fs::path& dir) {
    fs::create_directories(dir);
    auto wheel = w.write(dir);
    auto r = storage::unpack_wheel(wheel, dir / "unpacked" / wheel.filename().string());
    EXPECT_TRUE(r.has_value()) << r.error().describe();
    return *r;
}

upgrade_fixture::upgrade_fixture(const make_wheel& make)
    : root(dir.path() / "env"), env(fake_environment(root)),
      alpha1(unpack_for_test(make("alpha", "1.0"), dir.path() / "a1")),
      alpha2(unpack_for_test(make("alpha", "2.0"), dir.path() / "a2")),
      beta1(unpack_for_test(make("beta", "1.0"), dir.path() / "b1")) {
    alpha1_installed = storage::install_wheels(env, {{alpha1, true, std::nullopt}}).has_value();
    before = snapshot(root);
}

} // namespace actpip::test
