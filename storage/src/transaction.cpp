#include "actpip/storage/transaction.hpp"

#include "actpip/core/name.hpp"
#include "actpip/storage/env_lock.hpp"
#include "actpip/storage/transaction_recovery.hpp"
#include "install_io.hpp"
#include "install_stage.hpp"
#include "transaction_state.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unistd.h>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[(c >> 4) & 0xf];
            out += hex[c & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

} // namespace

std::string direct_url_for_archive(std::string_view url, std::string_view sha256_hex) {
    std::string out = "{\"archive_info\": {";
    if (!sha256_hex.empty()) {
        out += "\"hash\": ";
        append_json_string(out, "sha256=" + std::string(sha256_hex));
        out += ", \"hashes\": {\"sha256\": ";
        append_json_string(out, sha256_hex);
        out += "}";
    }
    out += "}, \"url\": ";
    append_json_string(out, url);
    out += "}";
    return out;
}

install_transaction::install_transaction(target_environment env, install_options options)
    : env_(std::move(env)), options_(std::move(options)), id_(detail::random_suffix()),
      placer_(options_.mode, options_.faults), journal_(std::make_unique<detail::journal>()) {}

install_transaction::~install_transaction() {
    if (!done_) {
        rollback();
    }
}

core::result<void> install_transaction::prepare() {
    if (journal_->lock) {
        return {};
    }
    auto lock = lock_environment(env_);
    if (!lock) {
        return std::unexpected(std::move(lock.error()));
    }
    journal_->lock.emplace(std::move(*lock));
    if (auto recovered = recover_environment(env_); !recovered) {
        return std::unexpected(std::move(recovered.error()));
    }
    journal_->on_disk.set_path(environment_state_dir(env_) / detail::journal_file_name(id_));
    return {};
}

core::result<fs::path> install_transaction::staging_dir_for(const fs::path& dir) {
    const fs::path key = dir.lexically_normal();
    if (auto it = staging_dirs_.find(key); it != staging_dirs_.end()) {
        return it->second;
    }
    if (auto ok = detail::make_dirs(key, options_.faults, &created_dirs_); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    const fs::path staging = key / detail::staging_name(id_);
    journal_->on_disk.add('S', staging); // before it exists, so a crash cannot leak it
    if (auto ok = journal_->on_disk.sync(); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = detail::make_dirs(staging, options_.faults); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    staging_dirs_.emplace(key, staging);
    return staging;
}

core::result<void> install_transaction::plan_replacement(std::string_view project) {
    for (const auto& r : removals_) {
        if (r.dist.project_name == project) {
            return {};
        }
    }
    auto old = find_installed(env_, project);
    if (!old) {
        return {};
    }
    auto plan = plan_removal(*old, env_);
    if (!plan) {
        return std::unexpected(std::move(plan.error()));
    }
    removals_.push_back(std::move(*plan));
    return {};
}

core::result<void> install_transaction::stage(const wheel_to_install& wheel) {
    if (done_) {
        return core::fail(core::errc::internal, "transaction already finished");
    }
    if (auto ok = prepare(); !ok) {
        return ok;
    }
    detail::stage_context ctx{env_, options_, placer_,
                              [this](const fs::path& dir) { return staging_dir_for(dir); },
                              &staged_dirs_};
    auto staged = detail::stage_wheel(wheel, ctx);
    if (!staged) {
        return std::unexpected(std::move(staged.error()));
    }
    if (auto ok = plan_replacement(staged->project_name); !ok) {
        return ok;
    }
    wheels_.push_back(std::move(*staged));
    return {};
}

core::result<bool> install_transaction::unstage(std::string_view project) {
    if (done_) {
        return core::fail(core::errc::internal, "transaction already finished");
    }
    const auto name = core::normalize_name(project);
    auto it = std::find_if(wheels_.begin(), wheels_.end(), [&](const detail::staged_wheel& w) {
        return core::normalize_name(w.project_name) == name;
    });
    if (it == wheels_.end()) {
        return false;
    }
    // A launcher of another wheel may have replaced one of ours at the same path: it stays.
    std::set<fs::path> kept;
    for (const auto& w : wheels_) {
        if (&w != &*it) {
            for (const auto& f : w.files) {
                kept.insert(f.staged);
            }
        }
    }
    const std::string staging_name = detail::staging_name(id_);
    for (const auto& f : it->files) {
        if (kept.contains(f.staged)) {
            continue;
        }
        if (::unlink(f.staged.c_str()) != 0 && errno != ENOENT) {
            return core::fail(core::errc::io, "cannot remove staged file " + f.staged.string() +
                                                  ": " + std::strerror(errno));
        }
        // A directory left empty would be renamed into place with its parent at commit.
        for (fs::path dir = f.staged.parent_path();
             !dir.empty() && dir.filename() != staging_name && ::rmdir(dir.c_str()) == 0;
             dir = dir.parent_path()) {
            staged_dirs_.erase(dir.native());
        }
    }
    wheels_.erase(it);
    if (!explicit_removals_.contains(name)) {
        std::erase_if(removals_, [&](const removal_plan& r) {
            return core::normalize_name(r.dist.project_name) == name;
        });
    }
    return true;
}

core::result<bool> install_transaction::remove(std::string_view project) {
    if (auto ok = prepare(); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    const auto name = core::normalize_name(project);
    if (!find_installed(env_, name)) {
        return false;
    }
    explicit_removals_.insert(name);
    if (auto ok = plan_replacement(name); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return true;
}

core::result<install_outcome> install_wheels(const target_environment& env,
                                             const std::vector<wheel_to_install>& wheels,
                                             const install_options& options) {
    install_transaction tx(env, options);
    for (const auto& w : wheels) {
        if (auto ok = tx.stage(w); !ok) {
            tx.rollback();
            return std::unexpected(std::move(ok.error()));
        }
    }
    return tx.commit();
}

core::result<install_outcome> uninstall_projects(const target_environment& env,
                                                 const std::vector<std::string>& names,
                                                 std::vector<std::string>* missing,
                                                 const install_options& options) {
    install_transaction tx(env, options);
    for (const auto& name : names) {
        auto found = tx.remove(name);
        if (!found) {
            tx.rollback();
            return std::unexpected(std::move(found.error()));
        }
        if (!*found && missing) {
            missing->push_back(name);
        }
    }
    return tx.commit();
}

} // namespace actpip::storage
