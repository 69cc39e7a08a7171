// `actpip install` and `actpip download`: pip's options (and pip's spellings), read into
// actpip::job_options; the job runs through the public API while SIGINT/SIGTERM wait on a
// thread of their own, so Ctrl-C cancels the job cleanly and exits 130.

#include "install_command.hpp"

#include "progress_printer.hpp"
#include "token_file.hpp"

#include "actpip/api.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace actpip::cli {

namespace {

struct install_args {
    job_options job;
    std::string remote_token_file;
    bool dry_run = false;
    std::string report;
    std::string progress = "auto";
    int verbose = 0;
    int quiet = 0;
    std::vector<std::string> ignored; // pip options accepted for compatibility
};

// An option whose value is one of `names`: the name becomes the enum's number for CLI11,
// anything else is a usage error that lists the names.
template <class Enum>
CLI::Validator enum_names(std::map<std::string, Enum> names) {
    std::string listed;
    for (const auto& [name, value] : names)
        listed += (listed.empty() ? "" : ", ") + name;
    return CLI::Validator(
        [names, listed](std::string& value) -> std::string {
            auto it = names.find(value);
            if (it == names.end())
                return "'" + value + "' is not one of " + listed;
            value = std::to_string(static_cast<int>(it->second));
            return {};
        },
        listed);
}

std::optional<std::string> getenv_string(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) {
        return std::nullopt;
    }
    return std::string(v);
}

std::vector<std::string> split_whitespace(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) {
        out.push_back(w);
    }
    return out;
}

bool truthy(const std::string& v) {
    return v == "1" || v == "true" || v == "yes" || v == "on" || v == "True" || v == "YES";
}

// pip's variables, the last in precedence (command line > ACTPIP_* > PIP_*).
void apply_pip_environment(CLI::App* cmd, install_args& a) {
    auto unset = [cmd](const char* option) { return cmd->get_option(option)->count() == 0; };
    if (unset("--index-url")) {
        if (auto v = getenv_string("PIP_INDEX_URL")) {
            a.job.index_url = *v;
        }
    }
    if (unset("--extra-index-url")) {
        if (auto v = getenv_string("PIP_EXTRA_INDEX_URL")) {
            a.job.extra_index_urls = split_whitespace(*v);
        }
    }
    if (unset("--find-links")) {
        if (auto v = getenv_string("PIP_FIND_LINKS")) {
            a.job.find_links = split_whitespace(*v);
        }
    }
    if (unset("--no-index")) {
        if (auto v = getenv_string("PIP_NO_INDEX")) {
            a.job.no_index = truthy(*v);
        }
    }
}

void add_job_options(CLI::App* cmd, install_args& a, bool installing) {
    auto& j = a.job;
    cmd->add_option("requirements", j.requirements,
                    "requirements: names with extras, specifiers and markers, wheel files, "
                    "name @ URL");
    cmd->add_option("-r,--requirement", j.requirement_files, "install from this requirements file")
        ->envname("ACTPIP_REQUIREMENT")
        ->allow_extra_args(false);
    cmd->add_option("-c,--constraint", j.constraint_files, "constrain versions with this file")
        ->envname("ACTPIP_CONSTRAINT")
        ->allow_extra_args(false);

    auto* sources = "Package index";
    cmd->add_option("-i,--index-url", j.index_url, "base URL of the package index (PEP 503)")
        ->envname("ACTPIP_INDEX_URL")
        ->group(sources);
    cmd->add_option("--extra-index-url", j.extra_index_urls,
                    "more indexes, consulted after --index-url")
        ->envname("ACTPIP_EXTRA_INDEX_URL")
        ->allow_extra_args(false)
        ->group(sources);
    cmd->add_option("-f,--find-links", j.find_links, "a directory or HTML page of wheel links")
        ->envname("ACTPIP_FIND_LINKS")
        ->allow_extra_args(false)
        ->group(sources);
    cmd->add_flag("--no-index", j.no_index, "ignore the package index (use --find-links only)")
        ->envname("ACTPIP_NO_INDEX")
        ->group(sources);
    cmd->add_option("--index-strategy", j.index_strategy,
                    "first-index (default: a name comes from the first index that has it) or "
                    "unsafe-best-match (pip's: every index competes)")
        ->transform(enum_names(std::map<std::string, index_strategy>{
            {"first-index", index_strategy::first_index},
            {"unsafe-best-match", index_strategy::unsafe_best_match}}))
        ->envname("ACTPIP_INDEX_STRATEGY")
        ->group(sources);

    auto* choosing = "Resolution";
    cmd->add_flag("-U,--upgrade", j.upgrade, "upgrade the named packages to the newest version")
        ->envname("ACTPIP_UPGRADE")
        ->group(choosing);
    cmd->add_option("-P,--upgrade-package", j.upgrade_packages, "upgrade this package")
        ->allow_extra_args(false)
        ->group(choosing);
    cmd->add_flag("--force-reinstall", j.force_reinstall, "reinstall even when up to date")
        ->group(choosing);
    cmd->add_flag("--no-deps", j.no_deps, "do not install dependencies")
        ->envname("ACTPIP_NO_DEPS")
        ->group(choosing);
    cmd->add_flag("--pre", j.pre, "allow pre-release and development versions")
        ->envname("ACTPIP_PRE")
        ->group(choosing);
    cmd->add_flag("--require-hashes", j.require_hashes, "require a --hash for every package")
        ->envname("ACTPIP_REQUIRE_HASHES")
        ->group(choosing);
    cmd->add_option("--only-binary", j.only_binary,
                    "names (or :all:/:none:) to take as wheels only")
        ->allow_extra_args(false)
        ->group(choosing);
    cmd->add_option("--no-binary", j.no_binary, "names (or :all:/:none:) never to take as wheels")
        ->allow_extra_args(false)
        ->group(choosing);
    cmd->add_option("--resolution", j.resolution, "highest (default), lowest or lowest-direct")
        ->transform(enum_names(std::map<std::string, resolution_strategy>{
            {"highest", resolution_strategy::highest},
            {"lowest", resolution_strategy::lowest},
            {"lowest-direct", resolution_strategy::lowest_direct}}))
        ->envname("ACTPIP_RESOLUTION")
        ->group(choosing);
    cmd->add_option("--python-version", j.python_version,
                    "resolve for this Python version (e.g. 3.12)")
        ->group(choosing);
    cmd->add_option("--platform", j.platforms, "resolve for this platform (repeatable)")
        ->allow_extra_args(false)
        ->group(choosing);

    auto* env = "Environment";
    cmd->add_option("--python", j.python,
                    "the interpreter to install for (default: $VIRTUAL_ENV, else python3)")
        ->envname("ACTPIP_PYTHON")
        ->group(env);
    if (installing) {
        cmd->add_option("-t,--target", j.target, "install into this directory")->group(env);
        cmd->add_option("--prefix", j.prefix, "install under this prefix")->group(env);
        cmd->add_flag("--break-system-packages", j.break_system_packages,
                      "modify an externally managed (PEP 668) Python anyway")
            ->envname("ACTPIP_BREAK_SYSTEM_PACKAGES")
            ->group(env);
        cmd->add_option("--link-mode", j.link_mode,
                        "auto (default: clone, else hardlink, else copy), clone, hardlink, copy, "
                        "symlink")
            ->transform(
                enum_names(std::map<std::string, link_mode>{{"auto", link_mode::automatic},
                                                            {"clone", link_mode::clone},
                                                            {"hardlink", link_mode::hardlink},
                                                            {"copy", link_mode::copy},
                                                            {"symlink", link_mode::symlink}}))
            ->envname("ACTPIP_LINK_MODE")
            ->group(env);
        cmd->add_flag("--compile,!--no-compile", j.compile, "compile .py files to bytecode")
            ->envname("ACTPIP_COMPILE")
            ->group(env);
    }

    auto* net = "Cache and network";
    cmd->add_option("--cache-dir", j.cache_dir, "the cache directory")
        ->envname("ACTPIP_CACHE_DIR")
        ->group(net);
    cmd->add_flag("--no-cache,--no-cache-dir", j.no_cache, "do not read or write the cache")
        ->envname("ACTPIP_NO_CACHE")
        ->group(net);
    cmd->add_flag("--offline", j.offline, "never use the network; fail on a cache miss")
        ->envname("ACTPIP_OFFLINE")
        ->group(net);
    cmd->add_flag("--refresh", j.refresh, "revalidate every cached page")
        ->envname("ACTPIP_REFRESH")
        ->group(net);
    cmd->add_option("--cert", j.cert, "CA bundle to verify TLS with")
        ->envname("ACTPIP_CERT")
        ->group(net);
    cmd->add_option("--client-cert", j.client_cert, "client certificate (PEM with its key)")
        ->envname("ACTPIP_CLIENT_CERT")
        ->group(net);
    cmd->add_option("--trusted-host", j.trusted_hosts,
                    "allow plain HTTP or an unverified certificate for this host")
        ->allow_extra_args(false)
        ->group(net);
    cmd->add_option("--timeout", j.timeout_seconds, "socket timeout in seconds")
        ->envname("ACTPIP_TIMEOUT")
        ->group(net);
    cmd->add_option("--retries", j.retries, "retries of a failed request")
        ->envname("ACTPIP_RETRIES")
        ->group(net);

    auto* remote = "Through a server (actpip serve)";
    cmd->add_option("--remote", j.remote,
                    "HOST:PORT of an actpip server: it resolves and sends the wheels")
        ->envname("ACTPIP_REMOTE")
        ->group(remote);
    cmd->add_option("--remote-token-file", a.remote_token_file,
                    "a file holding the token the server asks for")
        ->envname("ACTPIP_REMOTE_TOKEN_FILE")
        ->group(remote);
    cmd->add_flag("--remote-only", j.remote_only,
                  "fail when the server cannot be used, rather than fetch directly")
        ->envname("ACTPIP_REMOTE_ONLY")
        ->group(remote);
    cmd->add_option("--remote-tls-cert", j.remote_tls_cert, "this client's certificate (PEM)")
        ->group(remote);
    cmd->add_option("--remote-tls-key", j.remote_tls_key, "its key (PEM)")->group(remote);
    cmd->add_option("--remote-tls-ca", j.remote_tls_ca, "the CA of the server's certificate")
        ->group(remote);

    auto* output = "Output";
    cmd->add_option("--report", a.report,
                    "write pip's installation report (JSON) here; - for stdout")
        ->group(output);
    cmd->add_option("--progress", a.progress, "auto, bar, plain, json or none")
        ->check(CLI::IsMember({"auto", "bar", "plain", "json", "none"}))
        ->envname("ACTPIP_PROGRESS")
        ->group(output);
    cmd->add_flag("-v,--verbose", a.verbose, "more output")->group(output);
    cmd->add_flag("-q,--quiet", a.quiet, "only errors")->group(output);

    // pip options that change nothing here, accepted so existing scripts keep working.
    for (const char* flag :
         {"--disable-pip-version-check", "--no-input", "--no-color", "--no-warn-script-location",
          "--no-warn-conflicts", "--isolated", "--no-build-isolation", "--prefer-binary"}) {
        cmd->add_flag(flag)->group("");
    }
    cmd->add_option("--root-user-action,--progress-bar", a.ignored)->group("");
}

// SIGINT and SIGTERM are blocked in every thread and taken by one waiting thread, which
// cancels the job: no handler runs inside a lock or a half-done write.
class signal_watch {
public:
    signal_watch() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGUSR2); // our own wake-up at the end
        pthread_sigmask(SIG_BLOCK, &set_, &old_);
    }
    void watch(job& j) {
        thread_ = std::thread([this, &j] {
            int sig = 0;
            while (sigwait(&set_, &sig) == 0) {
                if (sig == SIGUSR2) {
                    return;
                }
                received_ = sig;
                j.cancel();
            }
        });
    }
    ~signal_watch() {
        if (thread_.joinable()) {
            pthread_kill(thread_.native_handle(), SIGUSR2);
            thread_.join();
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    int received() const { return received_; }

private:
    sigset_t set_{};
    sigset_t old_{};
    std::thread thread_;
    std::atomic<int> received_{0};
};

int run_job(CLI::App* cmd, install_args& a, job_kind kind) {
    apply_pip_environment(cmd, a);
    if (!a.remote_token_file.empty()) {
        auto token = read_token_file(a.remote_token_file);
        if (!token) {
            std::cerr << "ERROR: cannot read the token file " << a.remote_token_file << '\n';
            return 2;
        }
        a.job.remote_token = *token;
    }
    a.job.kind = a.dry_run ? job_kind::resolve : kind;
    int verbosity = a.quiet > 0 ? -1 : a.verbose;
    progress_printer printer(std::cerr, choose_progress_style(a.progress, ::isatty(2) == 1),
                             verbosity);

    job_outcome outcome;
    {
        signal_watch signals;
        auto j = job::start(a.job, [&printer](const progress_event& e) { printer.on_event(e); });
        signals.watch(*j);
        outcome = j->wait();
        if (signals.received() != 0 && outcome.exit_code == 0 && outcome.installed.empty()) {
            outcome.exit_code = 130;
        }
    }
    printer.on_outcome(outcome, a.job.kind);
    if (outcome.exit_code == 0 && !a.report.empty()) {
        auto json = installation_report_json(outcome);
        if (a.report == "-") {
            std::cout << json << std::flush;
        } else {
            std::ofstream out(a.report, std::ios::binary | std::ios::trunc);
            out << json;
            if (!out) {
                std::cerr << "ERROR: cannot write the report to " << a.report << '\n';
                return 1;
            }
        }
    }
    return outcome.exit_code;
}

} // namespace

void register_install_commands(CLI::App& app, command_runner& run) {
    {
        auto args = std::make_shared<install_args>();
        auto* cmd = app.add_subcommand("install", "Install packages");
        add_job_options(cmd, *args, true);
        cmd->add_flag("--dry-run", args->dry_run, "resolve only; install nothing")->group("Output");
        cmd->callback([&run, args, cmd] {
            run = [args, cmd] { return run_job(cmd, *args, job_kind::install); };
        });
    }
    {
        auto args = std::make_shared<install_args>();
        auto* cmd = app.add_subcommand("download", "Download wheels into a directory");
        add_job_options(cmd, *args, false);
        cmd->add_option("-d,--dest", args->job.download_dir, "where to save the wheels")
            ->default_str(".");
        args->job.download_dir = ".";
        cmd->callback([&run, args, cmd] {
            run = [args, cmd] { return run_job(cmd, *args, job_kind::download); };
        });
    }
}

} // namespace actpip::cli
