#include "actpip/storage/scheme.hpp"

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

std::string python_xy(const interpreter_info& python) {
    return "python" + std::to_string(python.version.at(0)) + "." +
           std::to_string(python.version.at(1));
}

std::string path_or(const std::map<std::string, std::string>& paths, const char* key,
                    const std::string& fallback) {
    auto it = paths.find(key);
    return it == paths.end() ? fallback : it->second;
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

// pip's header rule ("very arbitrary ... for compatibility"): under a virtual environment
// headers go to <base>/include/site/pythonX.Y/<name>, else to <include>/<name or UNKNOWN>.
fs::path headers_dir(const interpreter_info& python, const std::string& include,
                     const std::string& base, std::string_view dist_name) {
    if (python.in_virtualenv) {
        return fs::path(base) / "include" / "site" / python_xy(python) / std::string(dist_name);
    }
    return fs::path(include) /
           (dist_name.empty() ? std::string("UNKNOWN") : std::string(dist_name));
}

} // namespace

fs::path install_scheme::for_data_key(std::string_view key) const {
    if (key == "purelib") {
        return purelib;
    }
    if (key == "platlib") {
        return platlib;
    }
    if (key == "headers") {
        return headers;
    }
    if (key == "scripts") {
        return scripts;
    }
    if (key == "data") {
        return data;
    }
    return {};
}

install_scheme interpreter_scheme(const interpreter_info& python, std::string_view dist_name) {
    const auto& p = python.paths;
    install_scheme s;
    s.purelib = path_or(p, "purelib", "");
    s.platlib = path_or(p, "platlib", s.purelib.string());
    s.scripts = path_or(p, "scripts", "");
    s.data = path_or(p, "data", python.prefix);
    s.headers = headers_dir(python, path_or(p, "include", ""), python.prefix, dist_name);
    return s;
}

install_scheme prefix_scheme(const interpreter_info& python, const fs::path& prefix,
                             std::string_view dist_name) {
    const std::string dir = prefix.string();
    auto get = [&](const char* key, const std::string& fallback) {
        auto it = python.prefix_paths.find(key);
        return it == python.prefix_paths.end() ? fallback
                                               : replace_all(it->second, "@PREFIX@", dir);
    };
    const std::string lib = dir + "/lib/" + python_xy(python) + "/site-packages";
    install_scheme s;
    s.purelib = get("purelib", lib);
    s.platlib = get("platlib", s.purelib.string());
    s.scripts = get("scripts", dir + "/bin");
    s.data = get("data", dir);
    s.headers = headers_dir(python, get("include", dir + "/include/" + python_xy(python)),
                            python.prefix, dist_name);
    return s;
}

install_scheme target_scheme(const interpreter_info& python, const fs::path& target,
                             std::string_view dist_name) {
    install_scheme s;
    s.purelib = target;
    s.platlib = target;
    s.scripts = target / "bin";
    s.data = target;
    // pip installs into a temporary --home tree and moves its include/ into the target.
    s.headers = python.in_virtualenv ? target / "include" / "site" / python_xy(python)
                                     : target / "include" / "python";
    s.headers /= std::string(dist_name);
    return s;
}

} // namespace actpip::storage
