#include "actpip/storage/environment.hpp"

#include <cstdlib>

namespace actpip::storage {

namespace fs = std::filesystem;

install_scheme target_environment::scheme_for(std::string_view dist_name) const {
    switch (kind) {
    case environment_kind::target:
        return target_scheme(python, roots.front(), dist_name);
    case environment_kind::prefix:
        return prefix_scheme(python, roots.front(), dist_name);
    case environment_kind::interpreter:
        break;
    }
    return interpreter_scheme(python, dist_name);
}

std::vector<fs::path> target_environment::library_dirs() const {
    auto s = scheme_for("");
    std::vector<fs::path> dirs{s.purelib};
    if (s.platlib != s.purelib) {
        dirs.push_back(s.platlib);
    }
    return dirs;
}

bool target_environment::contains(const fs::path& path) const {
    const fs::path p = path.lexically_normal();
    for (const auto& root : roots) {
        auto rel = p.lexically_relative(root.lexically_normal());
        if (!rel.empty() && *rel.begin() != "..") {
            return true;
        }
    }
    return false;
}

std::string default_python(const environment_options& options) {
    if (!options.python.empty()) {
        return options.python;
    }
    if (const char* venv = std::getenv("VIRTUAL_ENV"); venv && *venv) {
        return (fs::path(venv) / "bin" / "python").string();
    }
    return "python3";
}

core::result<target_environment> make_environment(const interpreter_info& python,
                                                  const environment_options& options) {
    if (!options.target.empty() && !options.prefix.empty()) {
        return core::fail(core::errc::unsupported, "--target and --prefix cannot be combined");
    }
    target_environment env;
    env.python = python;
    std::error_code ec;
    if (!options.target.empty()) {
        env.kind = environment_kind::target;
        env.roots.push_back(fs::absolute(options.target, ec).lexically_normal());
    } else if (!options.prefix.empty()) {
        env.kind = environment_kind::prefix;
        env.roots.push_back(fs::absolute(options.prefix, ec).lexically_normal());
    } else {
        if (options.for_writing && python.externally_managed && !options.break_system_packages) {
            core::error err{core::errc::unsupported,
                            "the interpreter " + python.executable +
                                " is externally managed (PEP 668)" +
                                (python.externally_managed_error.empty()
                                     ? std::string()
                                     : ":\n" + python.externally_managed_error)};
            err.add_hint("install into a virtual environment (python3 -m venv DIR, then "
                         "--python DIR/bin/python)");
            err.add_hint("or pass --break-system-packages to modify it anyway");
            return std::unexpected(std::move(err));
        }
        auto s = interpreter_scheme(python, "");
        for (const auto& dir : {s.data, s.purelib, s.platlib, s.scripts}) {
            if (!dir.empty()) {
                env.roots.push_back(dir.lexically_normal());
            }
        }
        if (env.roots.empty()) {
            return core::fail(core::errc::io,
                              "interpreter " + python.executable + " reported no install scheme");
        }
    }
    return env;
}

core::result<target_environment> open_environment(const environment_options& options) {
    auto python = probe_interpreter(default_python(options));
    if (!python) {
        return std::unexpected(std::move(python.error()));
    }
    return make_environment(*python, options);
}

} // namespace actpip::storage
