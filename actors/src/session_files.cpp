#include "actpip/actors/session_files.hpp"

#include "actpip/actors/resolution_wire.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/core/index_url.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/version.hpp"
#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/link.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <vector>

namespace actpip::actors {

namespace fs = std::filesystem;

std::string unpacked_dir_of(const job_sources& sources) {
    return storage::cache_layout(cache_root_of(sources)).unpacked_dir().string();
}

namespace {

core::result<std::string> file_digest(const fs::path& path, core::hash_algorithm algorithm) {
    auto h = core::hasher::create(algorithm);
    if (!h) {
        return std::unexpected(std::move(h.error()));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::fail(core::errc::io, "cannot read " + path.string());
    }
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        auto n = static_cast<std::size_t>(in.gcount());
        h->update(std::as_bytes(std::span(buffer.data(), n)));
    }
    auto d = h->finish();
    if (!d) {
        return std::unexpected(std::move(d.error()));
    }
    return d->hex;
}

std::string sha256_of_file(const wire_file& f) {
    for (const auto& h : f.hashes) {
        if (h.starts_with("sha256:")) {
            return h.substr(7);
        }
    }
    return {};
}

} // namespace

core::result<void> verify_user_hashes(const job_sources& sources,
                                      const std::vector<session_wheel>& wheels) {
    if (!sources.require_hashes) {
        return {};
    }
    for (const auto& w : wheels) {
        auto it = sources.hashes.find(w.file.name);
        if (it == sources.hashes.end() || it->second.empty()) {
            return std::unexpected(
                core::error{core::errc::invalid_hash,
                            "hashes are required in --require-hashes mode, but " + w.file.name +
                                "==" + w.file.version + " (" + w.file.filename + ") has none"}
                    .add_hint("pin it in the requirements file: " + w.file.name +
                              "==" + w.file.version + " --hash=sha256:" + w.wheel.sha256));
        }
        std::string expected;
        for (const auto& allowed : it->second) {
            std::string actual = w.wheel.sha256;
            if (allowed.algorithm != core::hash_algorithm::sha256) {
                auto d = file_digest(w.wheel.path, allowed.algorithm);
                if (!d) {
                    return std::unexpected(std::move(d.error()));
                }
                actual = *d;
            }
            if (actual == allowed.hex) {
                expected.clear();
                break;
            }
            expected += (expected.empty() ? "" : ", ") + allowed.to_string();
        }
        if (!expected.empty()) {
            return core::fail(core::errc::hash_mismatch,
                              w.file.filename +
                                  " does not match the hashes of the requirements "
                                  "file: expected " +
                                  expected + ", got sha256:" + w.wheel.sha256);
        }
    }
    return {};
}

core::result<void> copy_downloads(const std::vector<session_wheel>& wheels,
                                  const fs::path& directory) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) {
        return core::fail(core::errc::io,
                          "cannot create " + directory.string() + ": " + ec.message());
    }
    for (const auto& w : wheels) {
        auto dest = directory / w.file.filename;
        auto temp = directory / (".tmp-" + w.file.filename);
        fs::remove(temp, ec);
        auto copied = storage::copy_file_contents(w.wheel.path, temp, {});
        if (copied) {
            // The cache's copy is the owner's alone; the one saved is an ordinary file.
            fs::permissions(temp,
                            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                fs::perms::others_read,
                            ec);
            fs::rename(temp, dest, ec);
        }
        if (!copied || ec) {
            fs::remove(temp, ec);
            return copied ? core::fail(core::errc::io, "cannot save " + dest.string())
                          : std::unexpected(std::move(copied.error()));
        }
    }
    return {};
}

bool is_direct(const job_sources& sources, const std::string& name) {
    auto n = core::normalize_name(name);
    return std::any_of(
        sources.requirements.begin(), sources.requirements.end(),
        [&](const core::requirement& r) { return r.url && r.normalized_name() == n; });
}

install_item install_item_for(const session_wheel& w, const job_sources& sources) {
    install_item item;
    item.path = w.wheel.path;
    item.sha256 = w.wheel.sha256;
    item.filename = w.file.filename;
    item.requested = sources.requested.contains(w.file.name);
    if (is_direct(sources, w.file.name)) {
        // PEP 610: the URL without its hash fragment, the hash in archive_info.
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
        json.StartObject();
        json.Key("archive_info");
        json.StartObject();
        json.Key("hash");
        json.String(("sha256=" + w.wheel.sha256).c_str());
        json.Key("hashes");
        json.StartObject();
        json.Key("sha256");
        json.String(w.wheel.sha256.c_str());
        json.EndObject();
        json.EndObject();
        json.Key("url"); // without credentials, as pip writes it (a secret is never stored)
        json.String(core::url_without_credentials(w.file.url).c_str());
        json.EndObject();
        item.direct_url_json = buffer.GetString();
    }
    return item;
}

std::vector<std::string> dashed_to_pinned(const std::vector<std::string>& dashed) {
    std::vector<std::string> out;
    for (const auto& d : dashed) {
        auto dash = d.rfind('-');
        out.push_back(dash == std::string::npos ? d
                                                : d.substr(0, dash) + "==" + d.substr(dash + 1));
    }
    return out;
}

job_outcome failed_outcome(int exit_code, const core::error& e) {
    job_outcome o;
    o.exit_code = exit_code;
    o.error = e.describe();
    o.hints = e.hints;
    return o;
}

job_outcome unresolvable_outcome(const resolution_outcome& r) {
    job_outcome o;
    o.exit_code = 1;
    o.error = r.explanation;
    while (!o.error.empty() && (o.error.back() == '\n' || o.error.back() == ' '))
        o.error.pop_back();
    o.hints = r.hints;
    o.warnings = r.warnings;
    return o;
}

std::string resolution_memo_input(const job_options& options, const job_sources& sources,
                                  const job_target& target) {
    std::string in = "actpip-resolution-memo 1\n";
    auto line = [&](std::string_view tag, std::string_view value) {
        in.append(tag).append(" ").append(value).append("\n");
    };
    for (const auto& r : sources.requirements)
        line("req", r.to_string());
    for (const auto& c : sources.constraints)
        line("constraint", c.to_string());
    for (const auto& u : sources.index_urls)
        line("index", u);
    for (const auto& u : sources.find_links)
        line("links", u);
    for (const auto& [k, v] : target.markers.values)
        line("marker " + k, v);
    for (const auto& p : target.platforms)
        line("platform", p);
    line("pre", sources.pre ? "1" : "0");
    line("upgrade", options.upgrade ? "1" : "0");
    line("no-deps", options.no_deps ? "1" : "0");
    return in;
}

install_plan make_install_plan(const std::vector<session_wheel>& wheels, const job_options& options,
                               const job_sources& sources, const job_target& target) {
    install_plan plan;
    for (const auto& w : wheels)
        plan.wheels.push_back(install_item_for(w, sources));
    plan.environment = target.environment;
    plan.unpacked_dir = unpacked_dir_of(sources);
    plan.interpreter_cache_dir = target.interpreter_cache_dir;
    plan.link_mode = to_storage(options.link_mode);
    plan.compile = options.compile;
    return plan;
}

bool is_installed(const job_target& target, bool force_reinstall, const std::string& name,
                  const std::string& version) {
    if (force_reinstall)
        return false;
    auto n = core::normalize_name(name);
    auto v = core::version::parse(version);
    return v && std::any_of(target.installed.begin(), target.installed.end(),
                            [&](const auto& d) { return d.name == n && d.version == *v; });
}

void add_job_facts(job_outcome& outcome, const job_target& target,
                   const resolution_outcome* resolution, const job_sources& sources,
                   const download_book& book, const std::string& download_dir) {
    for (const auto& [k, v] : target.markers.values)
        outcome.environment.emplace_back(k, v);
    if (!resolution)
        return;
    outcome.resolution = describe_resolution(*resolution, sources, book, download_dir);
    std::vector<std::string> warnings = resolution->warnings;
    for (const auto& pin : resolution->pins)
        if (pin.yanked)
            warnings.push_back("the selected version " + pin_key(pin.name, pin.version) +
                               " is yanked; pin another version to avoid it");
    outcome.warnings.insert(outcome.warnings.begin(), warnings.begin(), warnings.end());
}

std::vector<resolved_distribution> describe_resolution(const resolution_outcome& outcome,
                                                       const job_sources& sources,
                                                       const download_book& book,
                                                       const std::string& download_dir) {
    std::vector<resolved_distribution> out;
    for (const auto& pin : outcome.pins) {
        resolved_distribution d;
        auto name = core::normalize_name(pin.name);
        d.name = pin.name;
        d.version = pin.version;
        d.already_installed = pin.installed;
        d.requested = sources.requested.contains(name);
        d.direct = !pin.url.empty();
        d.yanked = pin.yanked;
        d.requires_dist = pin.requires_dist;
        d.requires_python = pin.requires_python;
        d.provides_extra = pin.provides_extra;
        if (auto it = sources.requested_extras.find(name); it != sources.requested_extras.end()) {
            std::set<std::string> unique(it->second.begin(), it->second.end());
            d.requested_extras.assign(unique.begin(), unique.end());
        }
        if (const auto* slot = book.find(pin_key(pin.name, pin.version)); slot && !pin.installed) {
            d.url = core::url_without_credentials(slot->file.url);
            d.filename = slot->file.filename;
            d.sha256 = sha256_of_file(slot->file);
            if (slot->status == download_book::state::downloaded) {
                d.sha256 = slot->wheel.sha256;
                d.local_path = download_dir.empty()
                                   ? slot->wheel.path
                                   : (fs::path(download_dir) / d.filename).string();
            }
        }
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace actpip::actors
