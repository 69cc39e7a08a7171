// `actpip debug ...`: tools for checking actpip's standards code against peers and against
// this machine's interpreter.

#include "commands.hpp"
#include "debug_vectors.hpp"

#include "actpip/core/requirement.hpp"
#include "actpip/storage/interpreter.hpp"
#include "actpip/storage/target_tags.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace actpip::cli {

namespace {

int explain_requirement(const std::string& text, const std::string& python,
                        const std::vector<std::string>& extras) {
    auto req = core::requirement::parse(text);
    if (!req) {
        std::cerr << "error: " << req.error().describe() << '\n';
        return 1;
    }
    auto interp = storage::probe_interpreter(python);
    if (!interp) {
        std::cerr << "error: " << interp.error().describe() << '\n';
        return 1;
    }
    std::cout << "requirement:  " << req->to_string() << '\n';
    std::cout << "name:         " << req->name << " (normalized: " << req->normalized_name()
              << ")\n";
    if (!req->extras.empty()) {
        std::cout << "extras:      ";
        for (const auto& e : req->extras) {
            std::cout << ' ' << e;
        }
        std::cout << '\n';
    }
    std::cout << "versions:     " << (req->specifiers.empty() ? "any" : req->specifiers.to_string())
              << '\n';
    if (req->url) {
        std::cout << "url:          " << *req->url << '\n';
    }
    std::cout << "interpreter:  " << interp->executable << " (" << interp->implementation << ' '
              << interp->markers.values["python_full_version"] << ", "
              << interp->markers.values["sys_platform"] << ' '
              << interp->markers.values["platform_machine"] << ")\n";
    if (!req->marker) {
        std::cout << "markers:      none: applies everywhere\n";
        return 0;
    }
    std::cout << "markers:      " << req->marker->to_string() << '\n';
    std::vector<std::string> with_extras{""};
    with_extras.insert(with_extras.end(), extras.begin(), extras.end());
    for (const auto& extra : with_extras) {
        auto env = interp->markers.with_extra(extra);
        auto r = req->marker->evaluate(env);
        std::cout << "  with extra '" << extra << "': ";
        if (r) {
            std::cout << (*r ? "applies" : "does not apply") << '\n';
        } else {
            std::cout << "cannot be evaluated: " << r.error().describe() << '\n';
        }
    }
    return 0;
}

int print_tags(const std::string& python, std::size_t limit) {
    auto interp = storage::probe_interpreter(python);
    if (!interp) {
        std::cerr << "error: " << interp.error().describe() << '\n';
        return 1;
    }
    auto tags = storage::supported_tags(*interp);
    std::cout << interp->executable << " (" << interp->implementation << ' '
              << interp->markers.values["python_full_version"] << ", " << interp->platform
              << (interp->libc.empty() ? "" : ", " + interp->libc) << ") supports " << tags.size()
              << " wheel tags, best first:\n";
    for (std::size_t i = 0; i < tags.size() && (limit == 0 || i < limit); ++i) {
        std::cout << "  " << tags[i].to_string() << '\n';
    }
    if (limit != 0 && tags.size() > limit) {
        std::cout << "  ... (" << tags.size() - limit << " more; --limit 0 shows all)\n";
    }
    return 0;
}

} // namespace

void register_debug_commands(CLI::App& app, command_runner& run) {
    auto* debug = app.add_subcommand("debug", "Check actpip's standards code");
    debug->require_subcommand(1);

    debug
        ->add_subcommand("vectors",
                         "Answer conformance vectors (JSON lines on stdin, answers on stdout)")
        ->callback([&run] { run = [] { return run_debug_vectors(std::cin, std::cout); }; });

    struct tags_args {
        std::string python = "python3";
        std::size_t limit = 12;
    };
    auto targs = std::make_shared<tags_args>();
    auto* tags = debug->add_subcommand("tags", "List the wheel tags an interpreter supports");
    tags->add_option("--python", targs->python, "interpreter to ask")->capture_default_str();
    tags->add_option("--limit", targs->limit, "how many to print (0: all)")->capture_default_str();
    tags->callback(
        [&run, targs] { run = [targs] { return print_tags(targs->python, targs->limit); }; });

    struct requirement_args {
        std::string text;
        std::string python = "python3";
        std::vector<std::string> extras;
    };
    auto args = std::make_shared<requirement_args>();
    auto* req = debug->add_subcommand(
        "requirement", "Parse a PEP 508 requirement and evaluate it for an interpreter");
    req->add_option("requirement", args->text, "e.g. 'requests[socks]>=2; python_version>\"3.7\"'")
        ->required();
    req->add_option("--python", args->python, "interpreter to evaluate markers against")
        ->capture_default_str();
    req->add_option("--extra", args->extras, "also evaluate with this extra requested");
    req->callback([&run, args] {
        run = [args] { return explain_requirement(args->text, args->python, args->extras); };
    });
}

} // namespace actpip::cli
