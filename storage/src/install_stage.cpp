#include "install_stage.hpp"

#include "actpip/core/hash.hpp"
#include "actpip/storage/entry_points.hpp"
#include "actpip/storage/record.hpp"
#include "actpip/storage/unpack.hpp"
#include "install_io.hpp"

#include <map>
#include <sys/stat.h>
#include <unordered_map>

namespace actpip::storage::detail {

namespace fs = std::filesystem;

namespace {

std::string sha256_field(std::string_view data) {
    auto digest = core::hash_bytes(core::hash_algorithm::sha256, data);
    return digest ? format_record_hash(core::hash_algorithm::sha256, hex_to_bytes(digest->hex))
                  : std::string();
}

class wheel_stager {
public:
    wheel_stager(const wheel_to_install& w, stage_context& ctx)
        : w_(w.wheel), request_(w), ctx_(ctx), scheme_(ctx.env.scheme_for(w.wheel.name)),
          lib_dir_(
              (w.wheel.root_is_purelib ? scheme_.purelib : scheme_.platlib).lexically_normal()) {}

    core::result<staged_wheel> run() {
        out_.name = w_.name;
        out_.project_name = w_.project_name;
        out_.version = w_.version.to_string();
        const std::string own_record = w_.dist_info + "/RECORD";
        for (const auto& row : w_.record) {
            if (row.path == own_record) {
                continue;
            }
            if (auto ok = stage_member(row); !ok) {
                return std::unexpected(std::move(ok.error()));
            }
        }
        if (auto ok = stage_launchers(); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        const fs::path info = lib_dir_ / w_.dist_info;
        if (auto ok = generate(info / "INSTALLER", ctx_.options.installer + "\n", 0666); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        if (request_.requested) {
            if (auto ok = generate(info / "REQUESTED", "", 0666); !ok) {
                return std::unexpected(std::move(ok.error()));
            }
        }
        if (request_.direct_url_json) {
            if (auto ok = generate(info / "direct_url.json", *request_.direct_url_json, 0666);
                !ok) {
                return std::unexpected(std::move(ok.error()));
            }
        }
        if (ctx_.options.compile && !compile_sources_.empty()) {
            if (auto ok = compile(); !ok) {
                return std::unexpected(std::move(ok.error()));
            }
        }
        rows_.push_back({record_path(info / "RECORD"), "", ""});
        auto staged = staged_path(info / "RECORD", lib_dir_);
        if (!staged) {
            return std::unexpected(std::move(staged.error()));
        }
        if (auto ok = write_new_file(*staged, format_record(rows_), 0666, ctx_.options.faults);
            !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        add(*staged, info / "RECORD");
        return std::move(out_);
    }

private:
    std::string record_path(const fs::path& dest) const {
        return dest.lexically_relative(lib_dir_).generic_string();
    }

    // Where `dest` (under `base`) is staged; its parent directory is created.
    core::result<fs::path> staged_path(const fs::path& dest, const fs::path& base) {
        auto dir = ctx_.staging_dir_for(base);
        if (!dir) {
            return std::unexpected(std::move(dir.error()));
        }
        fs::path staged = *dir / dest.lexically_relative(base);
        if (auto ok = have_parent(staged.native()); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        return staged;
    }

    // The directory of `staged` (a path string) exists afterwards.
    core::result<void> have_parent(const std::string& staged) {
        std::string parent = staged.substr(0, staged.rfind('/'));
        if (ctx_.known_dirs && ctx_.known_dirs->contains(parent)) {
            return {};
        }
        std::vector<fs::path> created;
        auto ok = make_dirs(parent, ctx_.options.faults, &created);
        if (ctx_.known_dirs) {
            for (const auto& d : created) {
                ctx_.known_dirs->insert(d.native());
            }
        }
        if (!ok) {
            return ok;
        }
        if (ctx_.known_dirs) {
            ctx_.known_dirs->insert(std::move(parent));
        }
        return {};
    }

    // A RECORD path that names a file under the wheel's root with no empty, "." or ".."
    // component (the rule unpacking checked): staged and installed at that same relative
    // path, with no normalizing.
    static bool plain(std::string_view p) {
        return !p.empty() && p.back() != '/' && is_safe_member_name(p);
    }

    // The common member: a plain path outside .data, not a script: one lstat, one link.
    core::result<bool> stage_plain_member(const record_entry& row) {
        if (!plain(row.path) || row.path.starts_with(w_.data_dir + "/")) {
            return false;
        }
        if (lib_staging_.empty()) {
            auto dir = ctx_.staging_dir_for(lib_dir_);
            if (!dir) {
                return std::unexpected(std::move(dir.error()));
            }
            lib_staging_ = dir->native() + "/";
        }
        std::string src = root_prefix_ + row.path;
        struct stat st {};
        if (::lstat(src.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            return true; // listed but not shipped (RECORD.jws and the like)
        }
        std::string staged = lib_staging_ + row.path;
        if (auto ok = have_parent(staged); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        fs::path staged_path(std::move(staged));
        if (auto placed = ctx_.placer.place(src, staged_path); !placed) {
            return std::unexpected(std::move(placed.error()));
        }
        fs::path dest = lib_dir_ / row.path;
        if (ctx_.options.compile && row.path.ends_with(".py")) {
            compile_sources_.push_back({staged_path, dest});
        }
        add(std::move(staged_path), std::move(dest));
        rows_.push_back(row);
        return true;
    }

    // Records a staged file; a later file for the same destination replaces an earlier one
    // (pip's launchers overwrite scripts of the same name).
    void add(fs::path staged, fs::path dest) {
        auto [it, fresh] = by_dest_.try_emplace(dest.native(), out_.files.size());
        if (!fresh) {
            out_.files[it->second].staged = std::move(staged);
            return;
        }
        out_.files.push_back({std::move(staged), std::move(dest)});
    }

    core::result<void> generate(const fs::path& dest, const std::string& text, mode_t mode,
                                const fs::path* base = nullptr) {
        auto staged = staged_path(dest, base ? *base : lib_dir_);
        if (!staged) {
            return std::unexpected(std::move(staged.error()));
        }
        std::error_code ec;
        fs::remove(*staged, ec); // a launcher replacing a staged script of the same name
        if (auto ok = write_new_file(*staged, text, 0666, ctx_.options.faults); !ok) {
            return ok;
        }
        if (mode != 0666) {
            ::chmod(staged->c_str(), ((0666 & ~current_umask()) | mode) & 07777);
        }
        add(*staged, dest);
        drop_row(record_path(dest));
        rows_.push_back({record_path(dest), sha256_field(text), std::to_string(text.size())});
        return {};
    }

    void drop_row(const std::string& path) {
        std::erase_if(rows_, [&](const record_entry& r) { return r.path == path; });
    }

    core::result<void> stage_member(const record_entry& row) {
        auto fast = stage_plain_member(row);
        if (!fast || *fast) {
            return fast ? core::result<void>{} : std::unexpected(std::move(fast.error()));
        }
        const fs::path src = w_.root / row.path;
        struct stat st {};
        if (::lstat(src.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            return {}; // listed but not shipped (RECORD.jws and the like)
        }
        fs::path base = lib_dir_;
        fs::path rel = row.path;
        bool script = false;
        if (row.path.starts_with(w_.data_dir + "/")) {
            std::string rest = row.path.substr(w_.data_dir.size() + 1);
            auto slash = rest.find('/');
            std::string key = rest.substr(0, slash);
            base = scheme_.for_data_key(key);
            if (base.empty() || slash == std::string::npos) {
                return core::fail(core::errc::invalid_metadata,
                                  "unknown scheme key used in " + row.path +
                                      " (purelib, platlib, headers, scripts or data expected)");
            }
            rel = rest.substr(slash + 1);
            script = key == "scripts";
        }
        const fs::path dest = (base / rel).lexically_normal();
        auto staged = staged_path(dest, base);
        if (!staged) {
            return std::unexpected(std::move(staged.error()));
        }
        record_entry out{record_path(dest), row.hash, row.size};
        bool fixed = false;
        if (script) {
            auto text = read_file(src, 1u << 30);
            if (!text) {
                return std::unexpected(std::move(text.error()));
            }
            if (text->starts_with("#!python")) {
                auto nl = text->find('\n');
                std::string fixed_text = "#!" + ctx_.env.python.executable + "\n" +
                                         (nl == std::string::npos ? "" : text->substr(nl + 1));
                if (auto ok =
                        write_new_file(*staged, fixed_text, st.st_mode & 0777, ctx_.options.faults);
                    !ok) {
                    return ok;
                }
                out.hash = sha256_field(fixed_text);
                out.size = std::to_string(fixed_text.size());
                fixed = true;
            }
        }
        if (!fixed) {
            if (auto placed = ctx_.placer.place(src, *staged); !placed) {
                return std::unexpected(std::move(placed.error()));
            }
        }
        add(*staged, dest);
        rows_.push_back(std::move(out));
        if (ctx_.options.compile && dest.extension() == ".py") {
            compile_sources_.push_back({*staged, dest});
        }
        return {};
    }

    core::result<void> stage_launchers() {
        const fs::path file = w_.root / w_.dist_info / "entry_points.txt";
        std::error_code ec;
        if (!fs::exists(file, ec)) {
            return {};
        }
        auto text = read_file(file, 16u << 20);
        if (!text) {
            return std::unexpected(std::move(text.error()));
        }
        auto eps = parse_entry_points(*text, w_.dist_info + "/entry_points.txt");
        if (!eps) {
            return std::unexpected(std::move(eps.error()));
        }
        for (const auto& ep : script_entry_points(*eps)) {
            if (ep.name.find('/') != std::string::npos || ep.name == "." || ep.name == "..") {
                return core::fail(core::errc::invalid_metadata,
                                  "invalid script name '" + ep.name + "' in entry_points.txt");
            }
            auto script = launcher_script(ep, ctx_.env.python.executable);
            if (!script) {
                return std::unexpected(std::move(script.error()));
            }
            if (auto ok = generate(scheme_.scripts / ep.name, *script, 0555, &scheme_.scripts);
                !ok) {
                return ok;
            }
        }
        return {};
    }

    core::result<void> compile() {
        auto scratch = ctx_.staging_dir_for(lib_dir_);
        if (!scratch) {
            return std::unexpected(std::move(scratch.error()));
        }
        auto compiled = compile_staged(ctx_.env.python.executable, compile_sources_, *scratch);
        if (!compiled) {
            return std::unexpected(std::move(compiled.error()));
        }
        for (const auto& pyc : *compiled) {
            auto text = read_file(pyc.staged, 1u << 30);
            if (!text) {
                return std::unexpected(std::move(text.error()));
            }
            add(pyc.staged, pyc.dest);
            rows_.push_back(
                {record_path(pyc.dest), sha256_field(*text), std::to_string(text->size())});
        }
        return {};
    }

    const unpacked_wheel& w_;
    const wheel_to_install& request_;
    stage_context& ctx_;
    install_scheme scheme_;
    fs::path lib_dir_;
    staged_wheel out_;
    std::unordered_map<std::string, std::size_t> by_dest_;
    std::string root_prefix_ = w_.root.native() + "/";
    std::string lib_staging_; // with a trailing '/', once made
    std::vector<record_entry> rows_;
    std::vector<staged_file> compile_sources_;
};

} // namespace

core::result<staged_wheel> stage_wheel(const wheel_to_install& wheel, stage_context& ctx) {
    auto r = wheel_stager(wheel, ctx).run();
    if (!r) {
        r.error().add_context("while staging " + wheel.wheel.name + " " +
                              wheel.wheel.version.to_string());
    }
    return r;
}

} // namespace actpip::storage::detail
