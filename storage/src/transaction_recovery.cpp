#include "actpip/storage/transaction_recovery.hpp"

#include "actpip/storage/env_lock.hpp"
#include "install_io.hpp"
#include "transaction_journal.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

bool exists_no_follow(const fs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0;
}

class replay {
public:
    replay(const target_environment& env, const detail::journal_contents& j,
           recovery_report& report)
        : env_(env), journal_(j), report_(report), suffix_(detail::backup_suffix(j.id)),
          staging_(detail::staging_name(j.id)) {}

    void run() {
        if (journal_.committed) {
            forward();
        } else {
            back();
        }
        for (const auto& r : journal_.records) {
            if (r.kind == 'S' && allowed(r.first) && r.first.filename() == staging_) {
                detail::remove_tree_quietly(r.first);
            }
        }
    }

private:
    bool allowed(const fs::path& p) const { return !p.empty() && env_.contains(p); }

    void note(std::string what, const fs::path& p) {
        report_.notes.push_back(std::move(what) + " " + p.string() + ": " + std::strerror(errno));
    }

    fs::path backup_of(const fs::path& dest) const {
        fs::path b = dest;
        b += suffix_;
        return b;
    }

    void forward() {
        for (const auto& r : journal_.records) {
            if ((r.kind == 'P' && allowed(r.second)) || (r.kind == 'R' && allowed(r.first))) {
                const auto backup = backup_of(r.kind == 'P' ? r.second : r.first);
                if (exists_no_follow(backup) && ::unlink(backup.c_str()) != 0) {
                    note("cannot remove", backup);
                }
            }
        }
        for (const auto& r : journal_.records) {
            if (r.kind == 'E' && allowed(r.first)) {
                ::rmdir(r.first.c_str()); // only when empty
            }
        }
    }

    void back() {
        // New files first: a staged file that is gone was renamed to its destination.
        for (const auto& r : journal_.records) {
            if (r.kind == 'P' && allowed(r.first) && allowed(r.second) &&
                !exists_no_follow(r.first) && exists_no_follow(r.second) &&
                ::unlink(r.second.c_str()) != 0) {
                note("cannot remove", r.second);
            }
        }
        // Whole trees renamed (or being copied) into place, where nothing was before.
        for (const auto& r : journal_.records) {
            const bool renamed = r.kind == 'T' && allowed(r.first) && allowed(r.second) &&
                                 !exists_no_follow(r.first) && exists_no_follow(r.second);
            const bool copied = r.kind == 'X' && allowed(r.first) && exists_no_follow(r.first);
            if (renamed || copied) {
                const fs::path& dest = r.kind == 'T' ? r.second : r.first;
                std::error_code ec;
                fs::remove_all(dest, ec);
                if (ec) {
                    errno = ec.value();
                    note("cannot remove", dest);
                }
            }
        }
        // Then the previous files come back.
        for (const auto& r : journal_.records) {
            const fs::path& dest = r.kind == 'P' ? r.second : r.first;
            if ((r.kind != 'P' && r.kind != 'R') || !allowed(dest)) {
                continue;
            }
            const auto backup = backup_of(dest);
            if (!exists_no_follow(backup)) {
                continue;
            }
            if (exists_no_follow(dest)) {
                ::unlink(dest.c_str()); // a copy across devices cut short
            }
            if (::rename(backup.c_str(), dest.c_str()) != 0) {
                note("cannot restore", dest);
            }
        }
        // Directories the commit created, deepest first (recorded outermost first).
        for (auto it = journal_.records.rbegin(); it != journal_.records.rend(); ++it) {
            if (it->kind == 'D' && allowed(it->first)) {
                ::rmdir(it->first.c_str()); // only when empty
            }
        }
    }

    const target_environment& env_;
    const detail::journal_contents& journal_;
    recovery_report& report_;
    std::string suffix_;
    std::string staging_;
};

} // namespace

namespace {

// The journals left in the environment's state directory, sorted.
core::result<std::vector<fs::path>> journals_of(const target_environment& env) {
    const fs::path dir = environment_state_dir(env);
    const std::string prefix = detail::journal_file_name("");
    std::error_code ec;
    std::vector<fs::path> journals;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.starts_with(prefix) && name.size() > prefix.size()) {
            journals.push_back(it->path());
        }
    }
    if (ec && ec != std::errc::no_such_file_or_directory) {
        return core::fail(core::errc::io, "cannot list " + dir.string() + ": " + ec.message());
    }
    std::sort(journals.begin(), journals.end());
    return journals;
}

} // namespace

core::result<recovery_report> recover_environment(const target_environment& env) {
    recovery_report report;
    const std::string prefix = detail::journal_file_name("");
    auto journals = journals_of(env);
    if (!journals) {
        return std::unexpected(std::move(journals.error()));
    }
    for (const auto& path : *journals) {
        auto bytes = detail::read_file(path);
        if (!bytes) {
            return std::unexpected(std::move(bytes.error())
                                       .add_context("while recovering an interrupted transaction"));
        }
        auto id = path.filename().string().substr(prefix.size());
        auto journal = detail::parse_journal(*bytes, id);
        replay(env, journal, report).run();
        ++(journal.committed ? report.rolled_forward : report.rolled_back);
        if (::unlink(path.c_str()) != 0) {
            return std::unexpected(detail::os_error("cannot remove the journal", path, errno));
        }
    }
    return report;
}

core::result<recovery_report> recover_before_reading(const target_environment& env) {
    auto journals = journals_of(env);
    if (!journals || journals->empty()) {
        return recovery_report{}; // nothing readable to recover: the transaction will say
    }
    auto lock = lock_environment(env);
    if (!lock) {
        return std::unexpected(std::move(lock.error()));
    }
    return recover_environment(env);
}

} // namespace actpip::storage
