#include "actpip/actors/job_setup.hpp"

#include "actpip/actors/fetch_registry.hpp"
#include "actpip/actors/fetch_target.hpp"

#include "actpip/actors/cache_actor.hpp"
#include "actpip/core/core_metadata.hpp"
#include "actpip/core/index_url.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/requirements_file.hpp"
#include "actpip/core/tags.hpp"
#include "actpip/net/percent_encoding.hpp"
#include "actpip/resolver/installed_check.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/environment.hpp"
#include "actpip/storage/http_cache.hpp"
#include "actpip/storage/http_cache_policy.hpp"
#include "actpip/storage/installed.hpp"
#include "actpip/storage/interpreter_cache.hpp"
#include "actpip/storage/target_tags.hpp"
#include "actpip/storage/transaction_recovery.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace actpip::actors {

namespace fs = std::filesystem;

namespace {

std::unexpected<setup_error> failure(core::error e, bool usage = false) {
    return std::unexpected(setup_error{std::move(e), usage});
}

core::result<std::string> read_local_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::fail(core::errc::io, "cannot read requirements file " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool is_url(std::string_view s) {
    return s.find("://") != std::string_view::npos;
}

// A root or constraint entry as a requirement: files and URLs become `name @ url`.
core::result<core::requirement> to_requirement(const core::requirements_file_entry& entry) {
    if (const auto* r = entry.as_requirement()) {
        return *r;
    }
    const auto& file = *entry.as_direct_file();
    if (file.filename().ends_with(".tar.gz") || file.filename().ends_with(".zip")) {
        return core::fail(core::errc::unsupported,
                          "building sdists is not supported yet: " + file.location);
    }
    core::requirement r;
    r.name = file.wheel.name;
    r.extras = file.extras;
    r.marker = file.marker;
    r.url = file.is_url ? file.location : file_url_of(file.location);
    std::error_code ec;
    if (!file.is_url && !fs::exists(file.location, ec)) {
        return core::fail(core::errc::not_found, "no such file: " + file.location);
    }
    return r;
}

core::result<void> add_entries(job_sources& out, const core::requirements_file& rf) {
    for (const auto& entry : rf.requirements) {
        auto r = to_requirement(entry);
        if (!r) {
            return std::unexpected(std::move(r.error()).add_context(
                entry.source + (entry.line ? ":" + std::to_string(entry.line) : "")));
        }
        auto name = r->normalized_name();
        out.requested.insert(name);
        auto& extras = out.requested_extras[name];
        extras.insert(extras.end(), r->extras.begin(), r->extras.end());
        if (!entry.hashes.empty()) {
            auto& h = out.hashes[name];
            h.insert(h.end(), entry.hashes.begin(), entry.hashes.end());
        }
        out.requirements.push_back(std::move(*r));
    }
    for (const auto& entry : rf.constraints) {
        auto r = to_requirement(entry);
        if (!r) {
            return std::unexpected(std::move(r.error()).add_context(entry.source));
        }
        if (!entry.hashes.empty()) {
            auto& h = out.hashes[r->normalized_name()];
            h.insert(h.end(), entry.hashes.begin(), entry.hashes.end());
        }
        out.constraints.push_back(std::move(*r));
    }
    return {};
}

core::result<core::python_version> parse_python_version(const std::string& text) {
    // pip accepts "3", "3.12", "312" and "3.12.1".
    std::vector<unsigned> parts;
    std::string digits = text;
    if (digits.find('.') == std::string::npos && digits.size() >= 2) {
        digits = digits.substr(0, 1) + "." + digits.substr(1);
    }
    std::istringstream in(digits);
    std::string part;
    while (std::getline(in, part, '.')) {
        if (part.empty() || !std::all_of(part.begin(), part.end(), ::isdigit) || part.size() > 4) {
            return core::fail(core::errc::invalid_version,
                              "--python-version " + text + " is not a Python version (e.g. 3.12)");
        }
        parts.push_back(static_cast<unsigned>(std::stoul(part)));
    }
    if (parts.empty() || parts.size() > 3) {
        return core::fail(core::errc::invalid_version,
                          "--python-version " + text + " is not a Python version (e.g. 3.12)");
    }
    core::python_version v{parts[0], parts.size() > 1 ? std::optional<unsigned>(parts[1])
                                                      : std::optional<unsigned>()};
    return v;
}

} // namespace

std::string file_url_of(const std::string& location) {
    if (location.starts_with("file:")) {
        return location;
    }
    std::error_code ec;
    auto absolute = fs::absolute(location, ec);
    if (ec) // no current directory: the path as given (it fails later, naming it)
        absolute = location;
    return "file://" +
           net::percent_encode(absolute.lexically_normal().string(), net::encode_set::path);
}

std::optional<job_outcome> already_satisfied(const job_options& options, const job_sources& sources,
                                             const job_target& target) {
    if (options.kind != job_kind::install || options.upgrade || !options.upgrade_packages.empty() ||
        options.force_reinstall || sources.require_hashes || !sources.hashes.empty() ||
        sources.requirements.empty() || target.installed.empty())
        return std::nullopt;
    std::map<std::string, resolver::installed_project> installed;
    std::map<std::string, const storage::installed_distribution*> dists;
    for (std::size_t i = 0; i < target.installed.size(); ++i) {
        const auto& d = target.installed_dists[i];
        auto text = d.read_metadata();
        if (!text)
            return std::nullopt;
        auto m = core::core_metadata::parse(*text, (d.dist_info / "METADATA").string());
        if (!m)
            return std::nullopt; // the resolver reads the index's metadata instead
        resolver::installed_project p{target.installed[i].version, std::move(m->requires_dist), {}};
        for (const auto& e : m->provides_extra)
            p.provides_extra.insert(e.normalized);
        dists[target.installed[i].name] = &d;
        installed.emplace(target.installed[i].name, std::move(p));
    }
    auto reached = resolver::satisfied_by_installed(sources.requirements, sources.constraints,
                                                    target.markers, installed, options.no_deps);
    if (!reached)
        return std::nullopt;
    job_outcome o;
    for (const auto& name : *reached) {
        resolved_distribution d;
        d.name = dists.at(name)->name;
        d.version = installed.at(name).version.to_string();
        d.already_installed = true;
        d.requested = sources.requested.contains(name);
        o.resolution.push_back(std::move(d));
    }
    for (const auto& [k, v] : target.markers.values)
        o.environment.emplace_back(k, v);
    return o;
}

bool root_pages_fresh(const job_sources& sources, const job_options& options) {
    if (!sources.cache_root || sources.requirements.empty() || options.refresh)
        return false;
    storage::http_cache cache{storage::cache_layout(*sources.cache_root)};
    const auto now = cache_now();
    for (const auto& r : sources.requirements) {
        if (r.url)
            return false;
        for (const auto& index : sources.index_urls) {
            auto found = cache.load(core::project_page_url(index, core::normalize_name(r.name)));
            if (!found.entry || storage::decide_cache_action(&found.entry->response,
                                                             storage::cache_mode::normal, now)
                                        .action != storage::cache_action::use_stored)
                return false;
        }
    }
    return true;
}

fs::path cache_root_of(const job_sources& sources) {
    if (sources.cache_root)
        return *sources.cache_root;
    return sources.scratch ? sources.scratch->path() / "cache" : fs::path();
}

namespace {

// Everything but the requirements: sources, formats, the HTTP client, the cache and, last,
// the scratch directory.
std::expected<void, setup_error> fill_sources(job_sources& out, const job_options& options,
                                              const core::requirements_file_options& fo,
                                              const env_lookup& env) {

    // Sources: the command line, then what the requirement files add.
    if (!options.no_index && !fo.no_index) {
        std::string index = options.index_url;
        if (index.empty()) {
            index = fo.index_url.value_or("https://pypi.org/simple");
        }
        out.index_urls.push_back(index);
        for (const auto& u : options.extra_index_urls) {
            out.index_urls.push_back(u);
        }
        for (const auto& u : fo.extra_index_urls) {
            out.index_urls.push_back(u);
        }
    }
    std::vector<std::string> find_links = options.find_links;
    for (const auto& f : fo.find_links) {
        find_links.push_back(f.relative_to_file);
    }

    for (const auto& f : find_links) {
        std::string path = f.starts_with("file://") ? net::percent_decode_lenient(f.substr(7)) : f;
        if (!is_url(f) || f.starts_with("file://")) {
            std::error_code ec;
            if (fs::is_directory(path, ec)) {
                // net/ lists a file:// directory as a page of relative links.
                auto u = file_url_of(path);
                out.find_links.push_back(u.ends_with('/') ? u : u + "/");
                continue;
            }
            if (!fs::exists(path, ec)) {
                return failure(core::error{core::errc::not_found,
                                           "--find-links location does not exist: " + f});
            }
            out.find_links.push_back(file_url_of(path));
            continue;
        }
        out.find_links.push_back(f);
    }
    if (out.index_urls.empty() && out.find_links.empty()) {
        return failure(core::error{core::errc::not_found,
                                   "no index and no --find-links: nowhere to find packages"}
                           .add_hint("drop --no-index, or give --find-links DIR"));
    }

    out.pre = options.pre || fo.pre;
    out.formats.no_binary = fo.no_binary;
    out.formats.only_binary = fo.only_binary;
    for (const auto& v : options.no_binary) {
        out.formats.add_no_binary(v);
    }
    for (const auto& v : options.only_binary) {
        out.formats.add_only_binary(v);
    }
    out.require_hashes = options.require_hashes || fo.require_hashes || !out.hashes.empty();

    // The HTTP client: CA bundle and proxies from the environment unless given.
    auto client = net::client_options::from_environment(
        env, options.cert.empty() ? std::optional<std::string>() : options.cert);
    if (!client) {
        return failure(std::move(client.error()));
    }
    out.client = std::move(*client);
    if (!options.client_cert.empty()) {
        out.client.tls.client_cert = options.client_cert;
    }
    // HTTP/1.1 holds one request per connection for a round trip: a real tree's crawl has
    // dozens of pages and metadata files in flight at once (rule 3 of DESIGN.md).
    out.client.connections_per_host = 32;
    out.client.tls.trusted_hosts = options.trusted_hosts;
    for (const auto& h : fo.trusted_hosts) {
        out.client.tls.trusted_hosts.push_back(h);
    }
    if (options.timeout_seconds) {
        auto ms = std::chrono::milliseconds(static_cast<long>(*options.timeout_seconds * 1000));
        out.client.connect_timeout = ms;
        out.client.read_timeout = ms;
    }
    if (options.retries) {
        out.client.retry.max_attempts = std::max(1, *options.retries + 1);
    }
    out.client_key = client_settings_key(out.client, env);

    // The cache: a throwaway one under scratch with --no-cache (downloads need somewhere).
    storage::cache_settings cs;
    if (!options.cache_dir.empty()) {
        cs.cache_dir = options.cache_dir;
    }
    cs.no_cache = options.no_cache;
    auto root = storage::resolve_cache_root(cs, env);
    if (!root) {
        return failure(std::move(root.error()));
    }
    out.cache_root = *root;
    if (options.offline && !out.cache_root) {
        return failure(core::error{core::errc::unsupported,
                                   "--offline needs the cache, and --no-cache turns it off"},
                       true);
    }

    // Last, so that no error above leaves it behind. With --no-cache, a throwaway cache lives
    // in it (downloads and interpreter facts need somewhere for the job's length).
    auto scratch = storage::scratch_directory::create("actpip-job-");
    if (!scratch) {
        return failure(std::move(scratch.error()));
    }
    out.scratch = std::make_shared<const storage::scratch_directory>(std::move(*scratch));
    return {};
}

} // namespace

std::expected<job_sources, setup_error> prepare_sources(const job_options& options,
                                                        const env_lookup& env) {
    job_sources out;

    // Requirements: each argument is read as one line of a requirements file, so that files,
    // URLs and `name @ url` mean the same on the command line and in a file.
    core::requirements_file rf;
    for (const auto& arg : options.requirements) {
        auto text = arg;
        // A local wheel path given bare (pip accepts these).
        std::error_code ec;
        if (!is_url(arg) && arg.ends_with(".whl") && fs::exists(arg, ec)) {
            text = file_url_of(arg);
        }
        auto parsed = core::parse_requirements_text(text, "<command line>", {}, env);
        if (!parsed) {
            return failure(std::move(parsed.error()));
        }
        for (auto& e : parsed->requirements) {
            rf.requirements.push_back(std::move(e));
        }
    }
    core::requirements_file from_files;
    for (const auto& path : options.requirement_files) {
        auto r = core::parse_requirements_file_into(from_files, path, read_local_file, env);
        if (!r) {
            return failure(std::move(r.error()));
        }
    }
    for (const auto& path : options.constraint_files) {
        auto r = core::parse_requirements_file_into(from_files, path, read_local_file, env,
                                                    core::requirements_file_kind::constraints);
        if (!r) {
            return failure(std::move(r.error()));
        }
    }
    for (auto& e : from_files.requirements) {
        rf.requirements.push_back(std::move(e));
    }
    rf.constraints = std::move(from_files.constraints);
    if (auto r = add_entries(out, rf); !r) {
        return failure(std::move(r.error()));
    }
    if (out.requirements.empty()) {
        return failure(core::error{core::errc::invalid_requirement,
                                   "nothing to install: give requirements or -r FILE"},
                       true);
    }
    if (auto filled = fill_sources(out, options, from_files.options, env); !filled) {
        return std::unexpected(std::move(filled.error()));
    }
    return out;
}

std::expected<job_sources, setup_error> prepare_index_sources(const job_options& options,
                                                              const env_lookup& env) {
    job_sources out;
    if (auto filled = fill_sources(out, options, core::requirements_file_options{}, env); !filled) {
        return std::unexpected(std::move(filled.error()));
    }
    return out;
}

std::expected<job_target, setup_error> prepare_target(const job_options& options,
                                                      const job_sources& sources) {
    job_target out;
    out.environment.python = options.python;
    out.environment.target = options.target;
    out.environment.prefix = options.prefix;
    out.environment.break_system_packages = options.break_system_packages;
    if (!options.python_version.empty() && options.kind == job_kind::install &&
        options.target.empty()) {
        return failure(
            core::error{core::errc::unsupported, "--python-version installs only into --target DIR"}
                .add_hint("add --target DIR, or --dry-run, or use `actpip download`"),
            true);
    }

    storage::environment_options eo;
    eo.python = options.python;
    eo.target = options.target;
    eo.prefix = options.prefix;
    eo.break_system_packages = options.break_system_packages;
    eo.for_writing = options.kind == job_kind::install;

    // Cached even with --no-cache (in the scratch cache): the installer reads the same facts
    // instead of running the interpreter a second time.
    auto dir = storage::cache_layout(cache_root_of(sources)).versioned() / "interpreters";
    out.interpreter_cache_dir = dir.string();
    auto info = storage::probe_interpreter_cached(storage::default_python(eo), dir);
    if (!info) {
        return failure(std::move(info.error()));
    }
    auto env = storage::make_environment(*info, eo);
    if (!env) {
        return failure(std::move(env.error()));
    }

    out.markers = info->markers;
    auto facts = storage::tag_facts(*info);
    std::vector<int> full = info->version;
    if (!options.python_version.empty()) {
        auto v = parse_python_version(options.python_version);
        if (!v) {
            return failure(std::move(v.error()), true);
        }
        facts.version = *v;
        facts.abis.clear();
        full = {static_cast<int>(v->major), static_cast<int>(v->minor.value_or(0)), 0};
        auto mm = std::to_string(v->major) + "." + std::to_string(v->minor.value_or(0));
        out.markers.values["python_version"] = mm;
        out.markers.values["python_full_version"] = mm + ".0";
    }
    out.tags = core::supported_tags(facts, options.platforms);
    out.tag_facts = facts;
    out.platforms = options.platforms;
    if (out.tags.empty()) {
        return failure(
            core::error{core::errc::invalid_tag, "no wheel tags for this interpreter and platform"},
            true);
    }
    auto text = std::to_string(full.at(0)) + "." + std::to_string(full.size() > 1 ? full[1] : 0) +
                "." + std::to_string(full.size() > 2 ? full[2] : 0);
    out.python_version = *core::version::parse(text);

    // Download jobs ignore what is installed; so does resolving for another interpreter.
    if (options.kind != job_kind::download && options.python_version.empty() &&
        options.platforms.empty()) {
        // A transaction killed mid-commit is finished first: planning from a half-committed
        // environment would install too little and report success.
        if (options.kind == job_kind::install) {
            if (auto recovered = storage::recover_before_reading(*env); !recovered)
                return failure(std::move(recovered.error()), false);
        }
        for (auto& d : storage::list_installed(*env)) {
            if (auto v = core::version::parse(d.version)) {
                out.installed.push_back({d.project_name, *v});
                out.installed_dists.push_back(std::move(d));
            }
        }
    }
    return out;
}

storage::cache_mode cache_mode_of(const job_options& options) {
    return options.offline   ? storage::cache_mode::offline
           : options.refresh ? storage::cache_mode::refresh
                             : storage::cache_mode::normal;
}

fetch_service_options make_fetch_service_options(const job_sources& sources) {
    fetch_service_options o;
    o.cache_dir = cache_root_of(sources);
    o.cache_keep_alive = sources.scratch;
    return o;
}

std::string fetch_service_key(const job_sources& sources) {
    return sources.client_key + "\n" + cache_root_of(sources).string();
}

fetch_target make_fetch_target(const job_options& options, const job_sources& sources,
                               const job_target& target) {
    fetch_target t;
    t.index_urls = sources.index_urls;
    t.find_links = sources.find_links;
    t.strategy = options.index_strategy == index_strategy::unsafe_best_match
                     ? core::index_strategy::unsafe_best_match
                     : core::index_strategy::first_index;
    t.interpreter = to_wire(target.tag_facts, target.platforms);
    t.python_version = target.python_version.to_string();
    t.allow_prereleases = sources.pre;
    t.no_binary.assign(sources.formats.no_binary.begin(), sources.formats.no_binary.end());
    t.only_binary.assign(sources.formats.only_binary.begin(), sources.formats.only_binary.end());
    for (const auto& [k, v] : target.markers.values)
        t.markers.emplace(k, v);
    t.cache_mode = cache_mode_of(options);
    return t;
}

resolver::resolve_options make_resolve_options(const job_options& options,
                                               const job_sources& sources,
                                               const job_target& target) {
    resolver::resolve_options o;
    o.environment = target.markers;
    o.python_version = target.python_version;
    switch (options.resolution) {
    case resolution_strategy::highest:
        o.strategy = resolver::resolution_strategy::highest;
        break;
    case resolution_strategy::lowest:
        o.strategy = resolver::resolution_strategy::lowest;
        break;
    case resolution_strategy::lowest_direct:
        o.strategy = resolver::resolution_strategy::lowest_direct;
        break;
    }
    o.allow_prereleases = sources.pre;
    o.installed = target.installed;
    o.upgrade = options.upgrade;
    for (const auto& p : options.upgrade_packages) {
        o.upgrade_packages.insert(core::normalize_name(p));
    }
    o.force_reinstall = options.force_reinstall;
    o.no_deps = options.no_deps;
    o.constraints = sources.constraints;
    return o;
}

storage::link_mode to_storage(link_mode mode) {
    switch (mode) {
    case link_mode::clone:
        return storage::link_mode::clone;
    case link_mode::hardlink:
        return storage::link_mode::hardlink;
    case link_mode::copy:
        return storage::link_mode::copy;
    case link_mode::symlink:
        return storage::link_mode::symlink;
    case link_mode::automatic:
        break;
    }
    return storage::link_mode::automatic;
}

core::result<void> check_hash_requirements(const job_sources& sources) {
    if (!sources.require_hashes) {
        return {};
    }
    std::vector<std::string> unpinned;
    std::vector<std::string> unhashed;
    for (const auto& r : sources.requirements) {
        if (!r.url) {
            const auto& clauses = r.specifiers.clauses();
            bool pinned = clauses.size() == 1 &&
                          (clauses[0].op() == core::spec_op::equal ||
                           clauses[0].op() == core::spec_op::arbitrary) &&
                          !clauses[0].wildcard();
            if (!pinned) {
                unpinned.push_back(r.to_string());
            }
        }
        if (!sources.hashes.contains(r.normalized_name())) {
            unhashed.push_back(r.to_string());
        }
    }
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) {
            s += (s.empty() ? "" : ", ") + x;
        }
        return s;
    };
    if (!unpinned.empty()) {
        return core::fail(core::errc::invalid_requirement,
                          "in --require-hashes mode every requirement must be pinned with ==; "
                          "these are not: " +
                              join(unpinned));
    }
    if (!unhashed.empty()) {
        return std::unexpected(
            core::error{core::errc::invalid_hash,
                        "hashes are required in --require-hashes mode, but these requirements "
                        "have none: " +
                            join(unhashed)}
                .add_hint("add --hash=sha256:<hex> to each line of the requirements file"));
    }
    return {};
}

} // namespace actpip::actors
