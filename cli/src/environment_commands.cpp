// `actpip uninstall/list/freeze/show`, printed the way pip prints them.

#include "environment_commands.hpp"

#include "actpip/core/core_metadata.hpp"
#include "actpip/core/name.hpp"
#include "actpip/storage/installed.hpp"
#include "actpip/storage/transaction.hpp"

#include <CLI/CLI.hpp>
#include <rapidjson/document.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>

namespace actpip::cli {

namespace {

struct target_args {
    std::string python;
    std::string target;
    std::string prefix;
    bool break_system_packages = false;
};

void add_target_options(CLI::App* cmd, target_args& args, bool writing) {
    cmd->add_option("--python", args.python,
                    "the interpreter whose environment to use (default: $VIRTUAL_ENV, python3)");
    cmd->add_option("--target", args.target, "a --target directory");
    cmd->add_option("--prefix", args.prefix, "a --prefix directory");
    if (writing) {
        cmd->add_flag("--break-system-packages", args.break_system_packages,
                      "modify an externally managed (PEP 668) interpreter anyway");
    }
}

int report(const core::error& e) {
    std::cerr << "ERROR: " << e.describe() << '\n';
    for (const auto& hint : e.hints) {
        std::cerr << "hint: " << hint << '\n';
    }
    return 1;
}

core::result<storage::target_environment> open(const target_args& args, bool writing) {
    storage::environment_options opt;
    opt.python = args.python;
    opt.target = args.target;
    opt.prefix = args.prefix;
    opt.break_system_packages = args.break_system_packages;
    opt.for_writing = writing;
    return storage::open_environment(opt);
}

// Excluded from freeze unless --all, as pip does for Python < 3.12.
bool freeze_skips(const std::string& project) {
    return project == "pip" || project == "setuptools" || project == "wheel" ||
           project == "distribute";
}

std::string direct_url_of(const storage::installed_distribution& d) {
    if (!d.direct_url_json) {
        return {};
    }
    rapidjson::Document doc;
    doc.Parse(d.direct_url_json->c_str(), d.direct_url_json->size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("url") || !doc["url"].IsString()) {
        return {};
    }
    return doc["url"].GetString();
}

int run_list(const target_args& args) {
    auto env = open(args, false);
    if (!env) {
        return report(env.error());
    }
    std::vector<std::pair<std::string, std::string>> rows{{"Package", "Version"}};
    for (const auto& d : storage::list_installed(*env)) {
        rows.emplace_back(d.name, d.version);
    }
    std::size_t w0 = 0, w1 = 0;
    for (const auto& [a, b] : rows) {
        w0 = std::max(w0, a.size());
        w1 = std::max(w1, b.size());
    }
    rows.insert(rows.begin() + 1, {std::string(w0, '-'), std::string(w1, '-')});
    for (const auto& [a, b] : rows) {
        std::cout << a << std::string(w0 - a.size() + 1, ' ') << b << '\n';
    }
    return 0;
}

int run_freeze(const target_args& args, bool all) {
    auto env = open(args, false);
    if (!env) {
        return report(env.error());
    }
    for (const auto& d : storage::list_installed(*env)) {
        if (!all && freeze_skips(d.project_name)) {
            continue;
        }
        auto url = direct_url_of(d);
        std::cout << d.name << (url.empty() ? "==" + d.version : " @ " + url) << '\n';
    }
    return 0;
}

int run_show(const target_args& args, const std::vector<std::string>& names) {
    auto env = open(args, false);
    if (!env) {
        return report(env.error());
    }
    const auto installed = storage::list_installed(*env);
    const auto markers = env->python.markers.with_extra("");
    std::map<std::string, std::vector<std::string>> requires_of;
    for (const auto& d : installed) {
        auto text = d.read_metadata();
        auto meta = text ? core::core_metadata::parse(*text) : core::result<core::core_metadata>{};
        if (!text || !meta) {
            continue;
        }
        for (const auto& req : meta->requires_dist) {
            if (req.applies_to(markers)) {
                requires_of[d.project_name].push_back(req.name);
            }
        }
    }
    bool first = true;
    int status = 0;
    for (const auto& name : names) {
        auto wanted = core::normalize_name(name);
        auto it = std::find_if(installed.begin(), installed.end(),
                               [&](const auto& d) { return d.project_name == wanted; });
        if (it == installed.end()) {
            std::cerr << "WARNING: Package(s) not found: " << name << '\n';
            status = 1;
            continue;
        }
        auto text = it->read_metadata();
        auto meta = text ? core::core_metadata::parse(*text) : core::result<core::core_metadata>{};
        auto field = [&](const char* f) -> std::string {
            return meta ? meta->get(f).value_or("") : "";
        };
        std::set<std::string> reqs, required_by;
        for (const auto& r : requires_of[it->project_name]) {
            reqs.insert(r);
        }
        for (const auto& d : installed) {
            for (const auto& r : requires_of[d.project_name]) {
                if (core::normalize_name(r) == it->project_name) {
                    required_by.insert(d.name);
                }
            }
        }
        auto join = [](const std::set<std::string>& s) {
            std::string out;
            for (const auto& x : s) {
                out += (out.empty() ? "" : ", ") + x;
            }
            return out;
        };
        if (!first) {
            std::cout << "---\n";
        }
        first = false;
        std::cout << "Name: " << it->name << "\nVersion: " << it->version
                  << "\nSummary: " << field("Summary") << "\nHome-page: " << field("Home-page")
                  << "\nAuthor: " << field("Author") << "\nAuthor-email: " << field("Author-email")
                  << "\nLicense: " << field("License") << "\nLocation: " << it->lib_dir.string()
                  << "\nRequires: " << join(reqs) << "\nRequired-by: " << join(required_by) << '\n';
    }
    return status;
}

int run_uninstall(const target_args& args, const std::vector<std::string>& names, bool yes) {
    auto env = open(args, true);
    if (!env) {
        return report(env.error());
    }
    std::vector<std::string> present;
    for (const auto& name : names) {
        auto d = storage::find_installed(*env, name);
        if (!d) {
            std::cerr << "WARNING: Skipping " << name << " as it is not installed.\n";
            continue;
        }
        std::cout << "Found existing installation: " << d->name << ' ' << d->version << '\n';
        if (!yes) {
            auto plan = storage::plan_removal(*d, *env);
            if (!plan) {
                return report(plan.error());
            }
            std::cout << "Uninstalling " << d->name << '-' << d->version << ":\n"
                      << "  Would remove:\n";
            for (const auto& f : plan->files) {
                std::cout << "    " << f.string() << '\n';
            }
            std::cout << "Proceed (Y/n)? " << std::flush;
            std::string answer;
            std::getline(std::cin, answer);
            if (!answer.empty() && answer != "y" && answer != "Y" && answer != "yes") {
                continue;
            }
        }
        present.push_back(d->project_name);
    }
    if (present.empty()) {
        return 0;
    }
    auto outcome = storage::uninstall_projects(*env, present);
    if (!outcome) {
        return report(outcome.error());
    }
    for (const auto& removed : outcome->removed) {
        std::cout << "  Successfully uninstalled " << removed << '\n';
    }
    return 0;
}

} // namespace

void register_environment_commands(CLI::App& app, command_runner& run) {
    {
        auto args = std::make_shared<target_args>();
        auto names = std::make_shared<std::vector<std::string>>();
        auto yes = std::make_shared<bool>(false);
        auto* cmd = app.add_subcommand("uninstall", "Uninstall packages");
        cmd->add_option("name", *names, "packages to uninstall")->required();
        cmd->add_flag("-y,--yes", *yes, "don't ask for confirmation");
        add_target_options(cmd, *args, true);
        cmd->callback([&run, args, names, yes] {
            run = [args, names, yes] { return run_uninstall(*args, *names, *yes); };
        });
    }
    {
        auto args = std::make_shared<target_args>();
        auto* cmd = app.add_subcommand("list", "List installed packages");
        add_target_options(cmd, *args, false);
        cmd->callback([&run, args] { run = [args] { return run_list(*args); }; });
    }
    {
        auto args = std::make_shared<target_args>();
        auto all = std::make_shared<bool>(false);
        auto* cmd = app.add_subcommand("freeze", "Output installed packages as requirements");
        cmd->add_flag("--all", *all, "do not skip pip, setuptools, wheel and distribute");
        add_target_options(cmd, *args, false);
        cmd->callback([&run, args, all] { run = [args, all] { return run_freeze(*args, *all); }; });
    }
    {
        auto args = std::make_shared<target_args>();
        auto names = std::make_shared<std::vector<std::string>>();
        auto* cmd = app.add_subcommand("show", "Show information about installed packages");
        cmd->add_option("name", *names, "packages to show")->required();
        add_target_options(cmd, *args, false);
        cmd->callback(
            [&run, args, names] { run = [args, names] { return run_show(*args, *names); }; });
    }
}

} // namespace actpip::cli
