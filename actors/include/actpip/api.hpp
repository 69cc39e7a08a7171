#pragma once
// actpip's public C++ API: resolve, download and install jobs run inside the host program on
// a private actor system. Only standard-library types appear here, so a build tool links
// actpip without seeing CAF, Boost or OpenSSL. Hosts that run their own CAF actor system use
// actpip/embed.hpp instead.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace actpip {

// What a job does once the resolution is final.
enum class job_kind {
    install,  // download and install into the environment
    download, // download the wheels into `download_dir`
    resolve,  // --dry-run: resolve only (no download, no install)
};

// Where a project comes from when several indexes have it.
enum class index_strategy {
    first_index,       // the first index that has the project (protects against confusion)
    unsafe_best_match, // every index competes (pip's behaviour)
};

// Which versions the resolver prefers.
enum class resolution_strategy { highest, lowest, lowest_direct };

// How installed files are made from the unpacked cache.
enum class link_mode {
    automatic, // clone, else hardlink, else copy
    clone,
    hardlink,
    copy,
    symlink,
};

// The options of `actpip install`, with pip's meaning. Strings left empty mean "not given".
struct job_options {
    job_kind kind = job_kind::install;

    // What to install: PEP 508 lines ("flask[async]>=2; python_version>'3.8'"), local wheel
    // paths, "name @ URL"; requirement files (-r) and constraint files (-c).
    std::vector<std::string> requirements;
    std::vector<std::string> requirement_files;
    std::vector<std::string> constraint_files;

    // Where packages come from.
    std::string index_url; // empty: https://pypi.org/simple
    std::vector<std::string> extra_index_urls;
    std::vector<std::string> find_links; // directories or HTML pages
    bool no_index = false;
    actpip::index_strategy index_strategy = actpip::index_strategy::first_index;

    // How to choose.
    bool upgrade = false;                      // -U: the named packages (only-if-needed)
    std::vector<std::string> upgrade_packages; // --upgrade-package NAME
    bool force_reinstall = false;
    bool no_deps = false;
    bool pre = false;
    bool require_hashes = false;          // also implied by any --hash in a requirement file
    std::vector<std::string> only_binary; // names, ":all:" or ":none:"
    std::vector<std::string> no_binary;   // names, ":all:" or ":none:"
    resolution_strategy resolution = resolution_strategy::highest;

    // The environment: an interpreter (default $VIRTUAL_ENV, else python3), or a --target
    // or --prefix directory. `python_version` ("3.12") and `platforms` ("manylinux2014_x86_64")
    // resolve for another interpreter, as pip does.
    std::string python;
    std::string target;
    std::string prefix;
    bool break_system_packages = false;
    std::string python_version;
    std::vector<std::string> platforms;

    std::string download_dir; // job_kind::download

    // Cache and network.
    std::string cache_dir; // empty: $ACTPIP_CACHE_DIR, $XDG_CACHE_HOME/actpip, ~/.cache/actpip
    bool no_cache = false;
    bool offline = false;
    bool refresh = false;
    std::string cert;        // CA bundle
    std::string client_cert; // PEM with the key
    std::vector<std::string> trusted_hosts;
    std::optional<double> timeout_seconds;
    std::optional<int> retries;

    // Installing.
    actpip::link_mode link_mode = actpip::link_mode::automatic;
    bool compile = false;

    // Through `actpip serve` at "host:port" (empty: straight to the indexes). The server
    // resolves and sends the wheels; hashes are checked and the install is done here, and
    // the local cache is filled as usual. A server that cannot be reached, refuses, dies or
    // stalls costs speed only: the job says so once and goes on directly, unless
    // `remote_only`.
    std::string remote;
    std::string remote_token;
    bool remote_only = false;
    // This client's certificate, key and the CA of the server's: all three for mutual TLS.
    std::string remote_tls_cert;
    std::string remote_tls_key;
    std::string remote_tls_ca;
};

// `actpip serve`: one fetch side (host pools, cache, in-flight requests) and resolver for
// many clients (`job_options::remote`), over CAF's own networking.
struct serve_options {
    std::string listen_host = "127.0.0.1";
    std::uint16_t port = 7433; // 0: any free port (see server::port)

    // Where packages come from, as for a job (a client's own index options are not used).
    std::string index_url; // empty: https://pypi.org/simple
    std::vector<std::string> extra_index_urls;
    std::vector<std::string> find_links;
    bool no_index = false;
    actpip::index_strategy index_strategy = actpip::index_strategy::first_index;
    std::string cert;
    std::string client_cert;
    std::vector<std::string> trusted_hosts;
    std::optional<double> timeout_seconds;
    std::optional<int> retries;

    std::string cache_dir;             // empty: as for a job
    std::uint64_t max_cache_bytes = 0; // wheels and unpacked trees; 0: no budget
    std::string token;                 // what clients must present; empty: none asked for
    std::string tls_cert;              // all three: mutual TLS (clients need certificates
    std::string tls_key;               // from `tls_ca`)
    std::string tls_ca;
    std::uint32_t max_in_flight = 64; // requests in flight per client
    bool log_json = false;            // log lines as JSON rather than key=value
};

// A running server. Log lines (one per request served or refused) come from actpip's threads.
class server {
public:
    using log_callback = std::function<void(const std::string& line)>;

    // Starts listening; null with `error` set when it cannot (a bad option, the port in use,
    // a certificate that does not load).
    static std::unique_ptr<server> start(serve_options options, log_callback log,
                                         std::string& error);
    virtual ~server() = default;

    virtual std::uint16_t port() const = 0;
    // Stops accepting clients, lets the transfers in progress finish (for at most
    // `grace_seconds`), then stops. The cache stays for the next start.
    virtual void stop(double grace_seconds = 30) = 0;
};

// Something happened; delivered in order, from one actpip thread at a time.
struct progress_event {
    enum class kind : std::uint8_t {
        resolving,         // count: packages known so far
        resolved,          // count: packages in the resolution, seconds
        download_started,  // subject: file name, total: its size when known
        download_progress, // subject, bytes of total
        download_finished, // subject, bytes; from_cache
        installing,        // count: wheels to install
        installed,         // count: wheels installed, seconds
        warning,           // message
    };
    kind what = kind::resolving;
    std::string subject;
    std::string message;
    std::uint64_t bytes = 0;
    std::uint64_t total = 0;
    std::uint64_t count = 0;
    double seconds = 0; // resolved, installed: how long it took
    bool from_cache = false;
    double elapsed = 0; // when it happened: seconds since the job started
};

// "resolving", "download_started", ...: the event's name in `--progress json` output.
const char* event_name(progress_event::kind what);

// One distribution of the resolution, with what pip's installation report says of it.
struct resolved_distribution {
    std::string name; // as the metadata writes it
    std::string version;
    std::string url;        // the file it comes from (empty when already installed)
    std::string filename;   // the wheel's name
    std::string sha256;     // of the file, when known
    bool requested = false; // named by a root requirement
    bool direct = false;    // a direct URL or local file
    bool yanked = false;
    bool already_installed = false; // kept as installed
    std::vector<std::string> requested_extras;
    std::vector<std::string> requires_dist;
    std::string requires_python;
    std::vector<std::string> provides_extra;
    std::string local_path; // downloaded wheel (download jobs: in download_dir)
};

struct job_outcome {
    // 0 success; 1 resolution, download or installation failed; 2 bad options; 130 cancelled.
    int exit_code = 0;
    std::string error;              // what failed, naming the package, URL and cause
    std::vector<std::string> hints; // how to fix it
    std::vector<std::string> warnings;

    std::vector<resolved_distribution> resolution; // sorted by name
    std::vector<std::string> installed;            // "name==version"
    std::vector<std::string> removed;              // "name==version"

    // The target the resolution was for (pip's report "environment": marker values).
    std::vector<std::pair<std::string, std::string>> environment;

    double resolve_seconds = 0;
    double install_seconds = 0;
    std::uint64_t http_requests = 0;
};

// A running job. Callbacks come from actpip's threads, one at a time.
class job {
public:
    using progress_callback = std::function<void(const progress_event&)>;

    // Starts the job at once; `on_progress` may be empty.
    static std::unique_ptr<job> start(job_options options, progress_callback on_progress = {});
    virtual ~job() = default;

    // Stops downloads and resolution; an install in progress is rolled back. Thread-safe,
    // and safe to call from a signal-handling thread (not from a signal handler).
    virtual void cancel() = 0;
    // Blocks until the outcome is known and returns it; call it once.
    virtual job_outcome wait() = 0;
};

// Starts a job and waits for it.
job_outcome run(job_options options, job::progress_callback on_progress = {});

// pip's installation report (format version "1") of an outcome, as JSON text.
std::string installation_report_json(const job_outcome& outcome);

// actpip's version, e.g. "0.1.0".
std::string version();

} // namespace actpip
