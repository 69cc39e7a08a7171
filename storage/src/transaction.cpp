#include "actpip/storage/transaction.hpp"

#include "actpip/core/name.hpp"
#include "actpip/storage/env_lock.hpp"
#include "actpip/storage/signal_guard.hpp"
#include "actpip/storage/transaction_recovery.hpp"
#include "install_io.hpp"
#include "install_stage.hpp"
#include "transaction_journal.hpp"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace detail {

// What commit has done, in order, so that rollback can undo it backwards.
struct journal {
    enum class kind { placed, moved_aside, created_dir };
    struct step {
        kind what;
        fs::path path;   // the destination, or the directory created
        fs::path backup; // moved_aside: where the previous file went
    };
    std::vector<step> steps;
    // Held from the first change until the transaction ends.
    std::optional<file_lock> lock;
    // The on-disk journal a killed process leaves for the next transaction.
    journal_writer on_disk;
};

} // namespace detail

namespace {

bool is_present(const fs::path& p, bool* is_dir = nullptr) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
        return false;
    }
    if (is_dir) {
        *is_dir = S_ISDIR(st.st_mode);
    }
    return true;
}

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
                              [this](const fs::path& dir) { return staging_dir_for(dir); }};
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

core::result<bool> install_transaction::remove(std::string_view project) {
    if (auto ok = prepare(); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    const auto name = core::normalize_name(project);
    if (!find_installed(env_, name)) {
        return false;
    }
    if (auto ok = plan_replacement(name); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return true;
}

core::result<void> install_transaction::apply() {
    auto& steps = journal_->steps;
    for (const auto& plan : removals_) {
        for (const auto& file : plan.files) {
            fs::path backup = file;
            backup += detail::backup_suffix(id_);
            if (auto ok = detail::rename_path(file, backup, options_.faults); !ok) {
                return ok;
            }
            steps.push_back({detail::journal::kind::moved_aside, file, backup});
        }
    }
    for (const auto& wheel : wheels_) {
        for (const auto& f : wheel.files) {
            std::vector<fs::path> created;
            auto made = detail::make_dirs(f.dest.parent_path(), options_.faults, &created);
            for (const auto& d : created) {
                steps.push_back({detail::journal::kind::created_dir, d, {}});
            }
            if (!made) {
                return made;
            }
            bool is_dir = false;
            if (is_present(f.dest, &is_dir)) {
                if (is_dir) {
                    return core::fail(core::errc::io, "cannot install " + f.dest.string() +
                                                          ": a directory is in the way");
                }
                fs::path backup = f.dest;
                backup += detail::backup_suffix(id_);
                if (auto ok = detail::rename_path(f.dest, backup, options_.faults); !ok) {
                    return ok;
                }
                steps.push_back({detail::journal::kind::moved_aside, f.dest, backup});
            }
            if (int err = detail::injected(options_.faults, "rename", f.dest)) {
                return std::unexpected(detail::os_error("cannot move into place", f.dest, err));
            }
            if (::rename(f.staged.c_str(), f.dest.c_str()) != 0) {
                int err = errno;
                if (err != EXDEV) {
                    return std::unexpected(detail::os_error("cannot move into place", f.dest, err));
                }
                // A mount point inside the scheme directory: copy across it.
                if (auto ok = copy_file_contents(f.staged, f.dest, options_.faults); !ok) {
                    return ok;
                }
            }
            steps.push_back({detail::journal::kind::placed, f.dest, {}});
        }
    }
    return {};
}

core::result<install_outcome> install_transaction::commit() {
    if (done_) {
        return core::fail(core::errc::internal, "transaction already finished");
    }
    if (auto ok = prepare(); !ok) {
        rollback();
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = write_commit_plan(); !ok) {
        rollback();
        return std::unexpected(std::move(ok.error()).add_context("changes rolled back"));
    }
    {
        // SIGINT and SIGTERM wait until every rename is done or undone.
        signal_guard hold_signals;
        auto ok = apply();
        if (ok) {
            journal_->on_disk.add('C');
            ok = journal_->on_disk.sync();
        }
        if (!ok) {
            rollback();
            return std::unexpected(std::move(ok.error()).add_context("changes rolled back"));
        }
    }
    finish();
    install_outcome outcome;
    for (const auto& w : wheels_) {
        outcome.installed.push_back(w.name + "-" + w.version);
    }
    for (const auto& r : removals_) {
        outcome.removed.push_back(r.dist.name + "-" + r.dist.version);
    }
    return outcome;
}

core::result<void> install_transaction::write_commit_plan() {
    auto& out = journal_->on_disk;
    for (const auto& plan : removals_) {
        for (const auto& file : plan.files) {
            out.add('R', file);
        }
        for (const auto& dir : plan.dirs) {
            out.add('E', dir);
        }
    }
    std::set<fs::path> new_dirs;
    for (const auto& wheel : wheels_) {
        for (const auto& f : wheel.files) {
            std::vector<fs::path> missing;
            for (fs::path p = f.dest.parent_path(); !p.empty() && p != p.parent_path();
                 p = p.parent_path()) {
                struct stat st {};
                if (new_dirs.contains(p) || ::lstat(p.c_str(), &st) == 0) {
                    break;
                }
                missing.push_back(p);
            }
            for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
                new_dirs.insert(*it);
                out.add('D', *it);
            }
            out.add('P', f.staged, f.dest);
        }
    }
    return out.sync();
}

void install_transaction::finish() {
    for (const auto& step : journal_->steps) {
        if (step.what == detail::journal::kind::moved_aside) {
            ::unlink(step.backup.c_str());
        }
    }
    for (const auto& [dir, staging] : staging_dirs_) {
        detail::remove_tree_quietly(staging);
    }
    for (const auto& plan : removals_) {
        for (const auto& dir : plan.dirs) {
            ::rmdir(dir.c_str()); // only when empty
        }
    }
    journal_->on_disk.discard();
    journal_->lock.reset();
    done_ = true;
}

void install_transaction::rollback() {
    auto& steps = journal_->steps;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
        switch (it->what) {
        case detail::journal::kind::placed:
            ::unlink(it->path.c_str());
            break;
        case detail::journal::kind::moved_aside:
            ::rename(it->backup.c_str(), it->path.c_str());
            break;
        case detail::journal::kind::created_dir:
            ::rmdir(it->path.c_str());
            break;
        }
    }
    steps.clear();
    for (const auto& [dir, staging] : staging_dirs_) {
        detail::remove_tree_quietly(staging);
    }
    for (auto it = created_dirs_.rbegin(); it != created_dirs_.rend(); ++it) {
        ::rmdir(it->c_str());
    }
    journal_->on_disk.discard();
    journal_->lock.reset();
    done_ = true;
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
