// `actpip serve`: starts the server (api.hpp), prints where it listens, writes one log line
// per request to stderr, and on SIGTERM or Ctrl-C lets the transfers in progress finish and
// exits 0 (the cache stays for the next start).

#include "serve_command.hpp"

#include "human_size.hpp"
#include "token_file.hpp"

#include "actpip/api.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <pthread.h>

namespace actpip::cli {

namespace {

struct serve_args {
    serve_options server;
    std::string listen = "127.0.0.1:7433";
    std::string token_file;
    std::string max_cache_size;
    std::string log_format = "text";
    double grace_seconds = 30;
};

int run_serve(serve_args& a) {
    auto colon = a.listen.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "ERROR: --listen takes HOST:PORT, not '" << a.listen << "'\n";
        return 2;
    }
    a.server.listen_host = a.listen.substr(0, colon);
    try { // CLI11 has checked the shape; stoi's range is the last word
        auto port = std::stoi(a.listen.substr(colon + 1));
        if (port < 0 || port > 65535)
            throw std::out_of_range("port");
        a.server.port = static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
        std::cerr << "ERROR: --listen takes HOST:PORT, not '" << a.listen << "'\n";
        return 2;
    }
    if (!a.max_cache_size.empty()) {
        auto bytes = parse_size(a.max_cache_size);
        if (!bytes) {
            std::cerr << "ERROR: --max-cache-size takes a size such as 500M or 10G, not '"
                      << a.max_cache_size << "'\n";
            return 2;
        }
        a.server.max_cache_bytes = *bytes;
    }
    if (!a.token_file.empty()) {
        auto token = read_token_file(a.token_file);
        if (!token) {
            std::cerr << "ERROR: cannot read the token file " << a.token_file << '\n';
            return 2;
        }
        a.server.token = *token;
    }
    a.server.log_json = a.log_format == "json";

    // SIGINT and SIGTERM are taken by this thread with sigwait, after the server's threads
    // have started with them blocked.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto log_mutex = std::make_shared<std::mutex>();
    auto log = [log_mutex](const std::string& line) {
        std::lock_guard lock(*log_mutex);
        std::cerr << line << '\n' << std::flush;
    };
    std::string error;
    auto s = server::start(a.server, log, error);
    if (!s) {
        std::cerr << "ERROR: " << error << '\n';
        return 1;
    }
    {
        std::lock_guard lock(*log_mutex);
        std::cerr << "actpip serve: listening on " << a.server.listen_host << ':' << s->port()
                  << (a.server.tls_cert.empty() ? "" : " (mutual TLS)")
                  << (a.server.token.empty() ? " without a token: anyone who reaches it may use it"
                                             : "")
                  << '\n'
                  << std::flush;
    }
    int sig = 0;
    sigwait(&signals, &sig);
    {
        std::lock_guard lock(*log_mutex);
        std::cerr << "actpip serve: stopping; transfers in progress may finish\n" << std::flush;
    }
    s->stop(a.grace_seconds);
    s.reset();
    return 0;
}

} // namespace

void register_serve_command(CLI::App& app, command_runner& run) {
    auto a = std::make_shared<serve_args>();
    auto* cmd = app.add_subcommand("serve", "Serve a fetch side and resolver to --remote clients");
    auto& o = a->server;
    cmd->add_option("--listen", a->listen, "HOST:PORT to listen on (default 127.0.0.1:7433)")
        ->envname("ACTPIP_SERVE_LISTEN");
    auto* sources = "Package sources";
    cmd->add_option("-i,--index-url", o.index_url, "the package index")
        ->envname("ACTPIP_INDEX_URL")
        ->group(sources);
    cmd->add_option("--extra-index-url", o.extra_index_urls, "another index")
        ->allow_extra_args(false)
        ->group(sources);
    cmd->add_option("-f,--find-links", o.find_links, "a directory or HTML page of wheel links")
        ->allow_extra_args(false)
        ->group(sources);
    cmd->add_flag("--no-index", o.no_index, "ignore the package index")->group(sources);
    cmd->add_option("--index-strategy", o.index_strategy, "first-index or unsafe-best-match")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, index_strategy>{
                {"first-index", index_strategy::first_index},
                {"unsafe-best-match", index_strategy::unsafe_best_match}},
            CLI::ignore_case))
        ->group(sources);
    cmd->add_option("--cert", o.cert, "CA bundle to verify the indexes' TLS with")->group(sources);
    cmd->add_option("--client-cert", o.client_cert, "client certificate for the indexes")
        ->group(sources);
    cmd->add_option("--trusted-host", o.trusted_hosts, "allow plain HTTP for this host")
        ->allow_extra_args(false)
        ->group(sources);
    cmd->add_option("--timeout", o.timeout_seconds, "socket timeout in seconds")->group(sources);
    cmd->add_option("--retries", o.retries, "retries of a failed request")->group(sources);
    auto* cache = "Cache";
    cmd->add_option("--cache-dir", o.cache_dir, "the cache directory")
        ->envname("ACTPIP_CACHE_DIR")
        ->group(cache);
    cmd->add_option("--max-cache-size", a->max_cache_size,
                    "evict wheels least recently used beyond this size (e.g. 10G)")
        ->group(cache);
    auto* clients = "Clients";
    cmd->add_option("--token-file", a->token_file, "a file holding the token clients must give")
        ->envname("ACTPIP_SERVE_TOKEN_FILE")
        ->group(clients);
    cmd->add_option("--tls-cert", o.tls_cert, "this server's certificate (PEM)")->group(clients);
    cmd->add_option("--tls-key", o.tls_key, "its key (PEM)")->group(clients);
    cmd->add_option("--tls-ca", o.tls_ca, "the CA of the clients' certificates")->group(clients);
    cmd->add_option("--max-in-flight", o.max_in_flight, "requests in flight per client")
        ->group(clients);
    cmd->add_option("--log-format", a->log_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->group(clients);
    cmd->add_option("--grace", a->grace_seconds,
                    "seconds a stopping server lets transfers finish (default 30)")
        ->group(clients);
    cmd->callback([&run, a] { run = [a] { return run_serve(*a); }; });
}

} // namespace actpip::cli
