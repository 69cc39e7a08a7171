#include "scenario.hpp"

#include <fstream>
#include <sstream>

namespace actpip::resolver::test {

namespace {

core::version pad3(const core::version& v) {
    std::vector<std::uint64_t> r = v.release();
    while (r.size() < 3) {
        r.push_back(0);
    }
    return core::version_builder().epoch(v.epoch()).release(r).build();
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::unexpected<core::error> bad(const std::filesystem::path& file, int line, std::string what) {
    return std::unexpected(core::error{core::errc::invalid_requirements_file,
                                       file.filename().string() + ":" + std::to_string(line) +
                                           ": " + std::move(what)});
}

} // namespace

resolve_options target_for(const std::string& python) {
    resolve_options o;
    auto v = core::version::parse(python);
    o.python_version = pad3(v ? *v : core::version::from({3, 12}));
    const auto& r = o.python_version.release();
    const std::string short_version = std::to_string(r[0]) + "." + std::to_string(r[1]);
    auto& env = o.environment.values;
    env["python_version"] = short_version;
    env["python_full_version"] = o.python_version.to_string();
    env["implementation_version"] = o.python_version.to_string();
    env["implementation_name"] = "cpython";
    env["platform_python_implementation"] = "CPython";
    env["sys_platform"] = "linux";
    env["platform_system"] = "Linux";
    env["os_name"] = "posix";
    env["platform_machine"] = "x86_64";
    env["platform_release"] = "";
    env["platform_version"] = "";
    return o;
}

core::result<scenario> load_scenario(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return std::unexpected(core::error{core::errc::io, "cannot open " + file.string()});
    }
    scenario sc;
    sc.name = file.stem().string();
    sc.options = target_for("3.12");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) {
        lines.push_back(l);
    }
    // First pass for the target, which other statements do not depend on.
    for (const auto& l : lines) {
        const std::string t = trim(l);
        if (t.rfind("python ", 0) == 0) {
            sc.options = target_for(trim(t.substr(7)));
        }
    }
    struct pending {
        std::string name;
        std::optional<std::string> url;
        memory_provider::release rel;
    };
    std::optional<pending> current;
    auto flush = [&] {
        if (!current) {
            return;
        }
        if (current->url) {
            sc.universe.add_url(current->name, *current->url, std::move(current->rel));
        } else {
            sc.universe.add(current->name, std::move(current->rel));
        }
        current.reset();
    };
    int number = 0;
    for (const auto& raw : lines) {
        ++number;
        const std::string t = trim(raw);
        if (t.empty() || t[0] == '#') {
            continue;
        }
        const bool indented = raw[0] == ' ' || raw[0] == '\t';
        std::istringstream ss(t);
        std::string word;
        ss >> word;
        std::string rest;
        std::getline(ss, rest);
        rest = trim(rest);
        if (indented) {
            if (!current) {
                return bad(file, number, "indented line outside a package");
            }
            auto& md = std::get<dist_metadata>(current->rel.metadata);
            if (word == "requires") {
                auto req = core::requirement::parse(rest);
                if (!req) {
                    return bad(file, number, req.error().message);
                }
                md.requires_dist.push_back(std::move(*req));
            } else if (word == "extra") {
                md.provides_extra.push_back(rest);
            } else if (word == "metadata-unavailable") {
                current->rel.metadata = unavailable{unavailable_kind::metadata_unavailable, rest};
            } else {
                return bad(file, number, "unknown package statement " + word);
            }
            continue;
        }
        flush();
        if (word == "python") {
            continue;
        }
        if (word == "root" || word == "constraint") {
            auto req = core::requirement::parse(rest);
            if (!req) {
                return bad(file, number, req.error().message);
            }
            (word == "root" ? sc.root : sc.options.constraints).push_back(std::move(*req));
        } else if (word == "option") {
            std::istringstream os(rest);
            std::string opt;
            std::string arg;
            os >> opt >> arg;
            if (opt == "pre") {
                sc.options.allow_prereleases = true;
            } else if (opt == "pre-package") {
                sc.options.prerelease_packages.insert(arg);
            } else if (opt == "lowest") {
                sc.options.strategy = resolution_strategy::lowest;
            } else if (opt == "lowest-direct") {
                sc.options.strategy = resolution_strategy::lowest_direct;
            } else if (opt == "no-deps") {
                sc.options.no_deps = true;
            } else if (opt == "upgrade") {
                sc.options.upgrade = true;
            } else if (opt == "upgrade-eager") {
                sc.options.upgrade_eager = true;
            } else if (opt == "upgrade-package") {
                sc.options.upgrade_packages.insert(arg);
            } else if (opt == "force-reinstall") {
                sc.options.force_reinstall = true;
            } else {
                return bad(file, number, "unknown option " + opt);
            }
        } else if (word == "installed") {
            std::istringstream os(rest);
            std::string name;
            std::string ver;
            os >> name >> ver;
            auto v = core::version::parse(ver);
            if (!v) {
                return bad(file, number, v.error().message);
            }
            sc.options.installed.push_back(installed_dist{name, *v});
        } else if (word == "package" || word == "url") {
            std::istringstream ps(rest);
            pending p;
            std::string ver;
            ps >> p.name;
            if (word == "url") {
                std::string url;
                ps >> url;
                p.url = url;
            }
            ps >> ver;
            auto v = core::version::parse(ver);
            if (!v) {
                return bad(file, number, v.error().message);
            }
            p.rel.listing.version = *v;
            p.rel.metadata = dist_metadata{};
            for (std::string flag; ps >> flag;) {
                if (flag == "yanked") {
                    p.rel.listing.yanked = true;
                } else if (flag == "requires-python") {
                    std::string spec;
                    ps >> spec;
                    auto s = core::specifier_set::parse(spec);
                    if (!s) {
                        return bad(file, number, s.error().message);
                    }
                    p.rel.listing.requires_python = *s;
                    std::get<dist_metadata>(p.rel.metadata).requires_python = *s;
                } else if (flag == "unusable") {
                    std::string why;
                    std::getline(ps, why);
                    p.rel.listing.unusable =
                        unavailable{unavailable_kind::no_compatible_wheel, trim(why)};
                } else {
                    return bad(file, number, "unknown package flag " + flag);
                }
            }
            current = std::move(p);
        } else if (word == "missing") {
            sc.universe.add_unavailable(rest.substr(0, rest.find(' ')),
                                        unavailable{rest.find("offline") != std::string::npos
                                                        ? unavailable_kind::offline
                                                        : unavailable_kind::not_found,
                                                    {}});
        } else if (word == "expect") {
            if (rest == "unsatisfiable") {
                sc.expect_success = false;
            } else if (rest == "satisfiable") {
                sc.check_pins = false;
            } else {
                std::istringstream es(rest);
                std::string name;
                std::string ver;
                es >> name >> ver;
                auto v = core::version::parse(ver);
                sc.expected[name] = v ? v->to_string() : ver;
            }
        } else if (word == "skip") {
            sc.skip = rest;
        } else if (word == "deviation") {
            sc.deviation = rest;
        } else {
            return bad(file, number, "unknown statement " + word);
        }
    }
    flush();
    return sc;
}

std::string describe(const solution& s) {
    std::string out;
    for (const auto& p : s.pins) {
        if (!out.empty()) {
            out += ", ";
        }
        out += p.name + " " + p.version.to_string();
    }
    return out;
}

} // namespace actpip::resolver::test
