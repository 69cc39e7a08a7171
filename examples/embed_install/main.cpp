// Installs requirements into a Python environment through actpip's public C++ API
// (actpip/api.hpp only: no CAF, Boost or OpenSSL types), printing progress as it comes.
//
//   embed_install [--cache-dir DIR] [--report FILE] INDEX_URL PYTHON REQUIREMENT...
//
// Exits with the job's exit code (0 success, 1 failed, 2 bad options, 130 cancelled).
#include <actpip/api.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace {

const char* kind_name(actpip::progress_event::kind k) {
    using kind = actpip::progress_event::kind;
    switch (k) {
    case kind::resolving:
        return "resolving";
    case kind::resolved:
        return "resolved";
    case kind::download_started:
        return "download_started";
    case kind::download_progress:
        return "download_progress";
    case kind::download_finished:
        return "download_finished";
    case kind::installing:
        return "installing";
    case kind::installed:
        return "installed";
    case kind::warning:
        return "warning";
    }
    return "?";
}

int usage() {
    std::cerr << "usage: embed_install [--cache-dir DIR] [--report FILE] INDEX_URL PYTHON "
                 "REQUIREMENT...\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    actpip::job_options options; // kind defaults to job_kind::install
    std::string report_path;
    int i = 1;
    for (; i + 1 < argc && std::string_view(argv[i]).substr(0, 2) == "--"; i += 2) {
        std::string_view flag = argv[i];
        if (flag == "--cache-dir") {
            options.cache_dir = argv[i + 1];
        } else if (flag == "--report") {
            report_path = argv[i + 1];
        } else {
            return usage();
        }
    }
    if (argc - i < 3) {
        return usage();
    }
    options.index_url = argv[i++];
    options.python = argv[i++];
    for (; i < argc; ++i) {
        options.requirements.emplace_back(argv[i]);
    }

    std::cout << "actpip " << actpip::version() << '\n';
    // Callbacks come from actpip's threads, one at a time and in order.
    std::atomic<unsigned> events{0};
    auto job = actpip::job::start(options, [&events](const actpip::progress_event& e) {
        unsigned n = ++events;
        std::cout << "progress " << n << ": " << kind_name(e.what);
        if (!e.subject.empty())
            std::cout << ' ' << e.subject;
        if (e.count != 0)
            std::cout << " count=" << e.count;
        if (e.bytes != 0 || e.total != 0)
            std::cout << " bytes=" << e.bytes << '/' << e.total;
        if (e.from_cache)
            std::cout << " (cache)";
        if (!e.message.empty())
            std::cout << " - " << e.message;
        std::cout << '\n';
    });
    actpip::job_outcome outcome = job->wait();

    std::cout << "events: " << events.load() << '\n';
    std::cout << "exit code: " << outcome.exit_code << '\n';
    for (const auto& w : outcome.warnings)
        std::cout << "warning: " << w << '\n';
    if (outcome.exit_code != 0) {
        std::cout << "error: " << outcome.error << '\n';
        for (const auto& h : outcome.hints)
            std::cout << "hint: " << h << '\n';
    }
    std::cout << "installed:";
    for (const auto& name : outcome.installed)
        std::cout << ' ' << name;
    std::cout << '\n';

    if (!report_path.empty()) {
        std::ofstream report(report_path);
        report << actpip::installation_report_json(outcome) << '\n';
        if (!report) {
            std::cerr << "embed_install: cannot write " << report_path << '\n';
            return 1;
        }
    }
    return outcome.exit_code;
}
