// install_transaction's commit: the plan of renames (journaled before the first one), the
// renames themselves, and then finishing (tidying what was moved aside) or rolling back.

#include "actpip/storage/transaction.hpp"

#include "actpip/storage/signal_guard.hpp"
#include "install_io.hpp"
#include "install_stage.hpp"
#include "transaction_state.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage {

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

core::result<void> copy_tree(const detail::staged_tree& tree, const fs::path& staged,
                             const fs::path& dest, const fault_hook& faults) {
    if (int err = detail::injected(faults, "mkdir", dest)) {
        return std::unexpected(detail::os_error("cannot create directory", dest, err));
    }
    if (::mkdir(dest.c_str(), 0777) != 0) {
        return std::unexpected(detail::os_error("cannot create directory", dest, errno));
    }
    for (const auto& [name, child] : tree.children) {
        auto ok = child->file ? copy_file_contents(staged / name, dest / name, faults)
                              : copy_tree(*child, staged / name, dest / name, faults);
        if (!ok) {
            return ok;
        }
    }
    return {};
}

// rename(2) that refuses to replace `to` (an empty directory would be replaced silently).
int rename_noreplace(const fs::path& from, const fs::path& to) {
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        return errno;
    }
#endif
    if (is_present(to)) {
        return EEXIST;
    }
    return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

} // namespace

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
    for (const auto& step : journal_->plan) {
        const fs::path& dest = step.dest;
        if (step.what == detail::commit_step::kind::tree) {
            if (int err = detail::injected(options_.faults, "rename", dest)) {
                return std::unexpected(detail::os_error("cannot move into place", dest, err));
            }
            int err = rename_noreplace(step.staged, dest);
            if (err == 0) {
                steps.push_back({detail::journal::kind::placed_tree, dest, {}});
                continue;
            }
            if (err != EXDEV || is_present(dest)) {
                return std::unexpected(detail::os_error("cannot move into place", dest, err));
            }
            // A mount point inside the scheme directory: copy the tree across it.
            journal_->on_disk.add('X', dest);
            if (auto ok = journal_->on_disk.sync(); !ok) {
                return ok;
            }
            steps.push_back({detail::journal::kind::placed_tree, dest, {}});
            if (auto ok = copy_tree(*step.tree, step.staged, dest, options_.faults); !ok) {
                return ok;
            }
            continue;
        }
        if (step.make_parent) {
            std::vector<fs::path> created;
            auto made = detail::make_dirs(dest.parent_path(), options_.faults, &created);
            for (const auto& d : created) {
                steps.push_back({detail::journal::kind::created_dir, d, {}});
            }
            if (!made) {
                return made;
            }
        }
        bool is_dir = false;
        if (is_present(dest, &is_dir)) {
            if (is_dir) {
                return core::fail(core::errc::io, "cannot install " + dest.string() +
                                                      ": a directory is in the way");
            }
            fs::path backup = dest;
            backup += detail::backup_suffix(id_);
            if (auto ok = detail::rename_path(dest, backup, options_.faults); !ok) {
                return ok;
            }
            steps.push_back({detail::journal::kind::moved_aside, dest, backup});
        }
        if (int err = detail::injected(options_.faults, "rename", dest)) {
            return std::unexpected(detail::os_error("cannot move into place", dest, err));
        }
        if (::rename(step.staged.c_str(), dest.c_str()) != 0) {
            int err = errno;
            if (err != EXDEV) {
                return std::unexpected(detail::os_error("cannot move into place", dest, err));
            }
            // A mount point inside the scheme directory: copy across it.
            if (auto ok = copy_file_contents(step.staged, dest, options_.faults); !ok) {
                return ok;
            }
        }
        steps.push_back({detail::journal::kind::placed, dest, {}});
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

namespace {

// Plans the commit of the staged files, writing each step to the journal before it is made.
class commit_planner {
public:
    commit_planner(detail::journal& j, const std::vector<removal_plan>& removals) : j_(j) {
        for (const auto& plan : removals) {
            removed_.insert(plan.files.begin(), plan.files.end());
        }
    }

    // `tree`, staged under `staged`, goes to `dest` (an existing directory): each entry whose
    // destination does not exist yet moves in one rename, the others entry by entry.
    core::result<void> merge(const detail::staged_tree& tree, const fs::path& staged,
                             const fs::path& dest) {
        for (const auto& [name, child] : tree.children) {
            fs::path from = staged / name;
            fs::path to = dest / name;
            if (child->file) {
                add_file(std::move(from), std::move(to), false);
                continue;
            }
            bool is_dir = true;
            bool present = new_dirs_.contains(to) || is_present(to, &is_dir);
            if (present && !is_dir) {
                if (!removed_.contains(to)) {
                    return std::unexpected(detail::os_error("not a directory:", to, ENOTDIR));
                }
                present = false; // a file of a replaced version, moved aside first
            }
            if (present) {
                if (auto ok = merge(*child, from, to); !ok) {
                    return ok;
                }
                continue;
            }
            j_.on_disk.add('T', from, to);
            note_dirs(*child, to);
            j_.plan.push_back({detail::commit_step::kind::tree, std::move(from), std::move(to),
                               child.get(), false});
        }
        return {};
    }

    // A file outside the staging layout: its missing parents are journaled one by one.
    void add_loose(const detail::staged_file& f) {
        std::vector<fs::path> missing;
        for (fs::path p = f.dest.parent_path(); !p.empty() && p != p.parent_path();
             p = p.parent_path()) {
            if (new_dirs_.contains(p) || is_present(p)) {
                break;
            }
            missing.push_back(p);
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            new_dirs_.insert(*it);
            j_.on_disk.add('D', *it);
        }
        add_file(f.staged, f.dest, true);
    }

private:
    void add_file(fs::path staged, fs::path dest, bool make_parent) {
        j_.on_disk.add('P', staged, dest);
        j_.plan.push_back({detail::commit_step::kind::file, std::move(staged), std::move(dest),
                           nullptr, make_parent});
    }

    void note_dirs(const detail::staged_tree& tree, const fs::path& dest) {
        new_dirs_.insert(dest);
        for (const auto& [name, child] : tree.children) {
            if (!child->file) {
                note_dirs(*child, dest / name);
            }
        }
    }

    detail::journal& j_;
    std::set<fs::path> removed_;
    std::set<fs::path> new_dirs_; // directories that earlier steps create
};

} // namespace

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
    // Every staged file, in the tree of its staging directory.
    struct root {
        fs::path dest;
        detail::staged_tree* tree;
    };
    std::map<fs::path, root> roots; // by staging directory
    for (const auto& [dir, staging] : staging_dirs_) {
        journal_->trees.push_back(std::make_unique<detail::staged_tree>());
        roots.emplace(staging, root{dir, journal_->trees.back().get()});
    }
    const std::string staging_name = detail::staging_name(id_);
    std::vector<const detail::staged_file*> loose;
    std::set<fs::path> seen;
    for (const auto& wheel : wheels_) {
        for (const auto& f : wheel.files) {
            if (!seen.insert(f.staged).second) {
                continue; // a later wheel's launcher replaced the staged file
            }
            fs::path base = f.staged.parent_path();
            while (!base.empty() && base != base.parent_path() && base.filename() != staging_name) {
                base = base.parent_path();
            }
            auto it = roots.find(base);
            const fs::path rel = f.staged.lexically_relative(base);
            bool fits = it != roots.end() && !rel.empty() &&
                        (it->second.dest / rel).lexically_normal() == f.dest.lexically_normal();
            for (const auto& part : rel) {
                fits = fits && part != ".." && part != "." && !part.empty();
            }
            if (!fits) {
                loose.push_back(&f);
                continue;
            }
            detail::staged_tree* node = it->second.tree;
            for (const auto& part : rel) {
                node = &node->child(part.string());
            }
            node->file = true;
        }
    }
    commit_planner planner(*journal_, removals_);
    for (const auto& [staging, r] : roots) {
        if (auto ok = planner.merge(*r.tree, staging, r.dest); !ok) {
            return ok;
        }
    }
    for (const auto* f : loose) {
        planner.add_loose(*f);
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
        case detail::journal::kind::placed_tree:
            detail::remove_tree_quietly(it->path);
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

} // namespace actpip::storage
