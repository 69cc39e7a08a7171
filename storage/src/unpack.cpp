#include "actpip/storage/unpack.hpp"
#include "actpip/storage/cache_wheels.hpp"

#include "actpip/core/hash.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/wheel_filename.hpp"
#include "install_io.hpp"
#include "unpack_zip.hpp"

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

core::error rejected(const fs::path& wheel, const std::string& why) {
    return core::error{core::errc::invalid_metadata,
                       "refusing to install " + wheel.filename().string() + ": " + why};
}

// Checks the .dist-info directory name against the filename: same project, same version.
core::result<void> check_dist_info(const std::string& dist_info,
                                   const core::wheel_filename& filename, const fs::path& wheel) {
    std::string stem = dist_info.substr(0, dist_info.size() - std::string(".dist-info").size());
    auto dash = stem.rfind('-');
    if (dash == std::string::npos) {
        return std::unexpected(
            rejected(wheel, dist_info + " is not named <name>-<version>.dist-info"));
    }
    if (core::normalize_name(stem.substr(0, dash)) != filename.name) {
        return std::unexpected(rejected(wheel, ".dist-info directory '" + dist_info +
                                                   "' does not match the project '" +
                                                   filename.name + "' of the filename"));
    }
    auto version = core::version::parse(stem.substr(dash + 1));
    if (!version || !(*version == filename.version)) {
        return std::unexpected(
            rejected(wheel, ".dist-info directory '" + dist_info + "' does not match the version " +
                                filename.version.to_string() + " of the filename"));
    }
    return {};
}

struct expected_file {
    std::string hash;
    std::string size;
};

// Writes one member into `path`, hashing and counting as it goes.
core::result<void> extract_member(detail::zip_archive& zip, const detail::zip_member& m,
                                  const fs::path& path, const expected_file* expected,
                                  std::uint64_t& total, const unpack_options& opt,
                                  const fs::path& wheel) {
    std::optional<record_hash> want;
    if (expected) {
        auto parsed = parse_record_hash(expected->hash);
        if (!parsed) {
            return std::unexpected(rejected(wheel, m.name + ": " + parsed.error().message));
        }
        want = std::move(*parsed);
    }
    auto hasher = core::hasher::create(want ? want->algorithm : core::hash_algorithm::sha256);
    if (!hasher) {
        return std::unexpected(std::move(hasher.error()));
    }
    if (int err = detail::injected(opt.faults, "write", path)) {
        return std::unexpected(detail::os_error("cannot write", path, err));
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    m.executable ? 0777 : 0666);
    if (fd < 0) {
        return std::unexpected(detail::os_error("cannot create", path, errno));
    }
    std::uint64_t written = 0;
    auto result = zip.read(m, [&](std::string_view chunk) -> core::result<void> {
        written += chunk.size();
        total += chunk.size();
        if (total > opt.limits.max_total_size) {
            return std::unexpected(rejected(wheel, "it unpacks to more than " +
                                                       std::to_string(opt.limits.max_total_size) +
                                                       " bytes (zip bomb?)"));
        }
        if (written > opt.limits.ratio_floor &&
            written / std::max<std::uint64_t>(m.compressed_size, 1) > opt.limits.max_ratio) {
            return std::unexpected(rejected(wheel, m.name + " inflates more than " +
                                                       std::to_string(opt.limits.max_ratio) +
                                                       " times its compressed size (zip bomb?)"));
        }
        hasher->update(chunk);
        while (!chunk.empty()) {
            ssize_t n = ::write(fd, chunk.data(), chunk.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                return std::unexpected(detail::os_error("cannot write", path, errno));
            }
            chunk.remove_prefix(static_cast<std::size_t>(n));
        }
        return {};
    });
    if (::close(fd) != 0 && result) {
        result = std::unexpected(detail::os_error("cannot write", path, errno));
    }
    if (!result) {
        return result;
    }
    if (want) {
        auto digest = hasher->finish();
        if (!digest || !core::constant_time_equal(hex_to_bytes(digest->hex), want->digest)) {
            return std::unexpected(rejected(wheel, m.name + " does not match its hash in RECORD"));
        }
        if (!expected->size.empty() && expected->size != std::to_string(written)) {
            return std::unexpected(rejected(wheel, m.name + " is " + std::to_string(written) +
                                                       " bytes, RECORD says " + expected->size));
        }
    }
    return {};
}

core::result<void> unpack_into(const fs::path& wheel, const core::wheel_filename& filename,
                               const fs::path& tmp, const unpack_options& opt) {
    auto zip = detail::zip_archive::open(wheel);
    if (!zip) {
        return std::unexpected(std::move(zip.error()));
    }
    const auto& members = zip->members();
    if (members.size() > opt.limits.max_members) {
        return std::unexpected(rejected(
            wheel, "it has more than " + std::to_string(opt.limits.max_members) + " members"));
    }
    std::set<std::string> top_dist_infos;
    std::set<std::string_view> seen;
    for (const auto& m : members) {
        if (!is_safe_member_name(m.name)) {
            return std::unexpected(
                rejected(wheel, "member '" + m.name + "' would be written outside its directory"));
        }
        if (!seen.insert(m.name).second) {
            return std::unexpected(rejected(wheel, "member '" + m.name + "' appears twice"));
        }
        if (m.special) {
            return std::unexpected(
                rejected(wheel, "member '" + m.name + "' is a symbolic link or special file"));
        }
        auto first = m.name.substr(0, m.name.find('/'));
        if (first.ends_with(".dist-info") && first.size() < m.name.size()) {
            top_dist_infos.insert(first);
        }
    }
    if (top_dist_infos.size() != 1) {
        return std::unexpected(rejected(wheel, top_dist_infos.empty()
                                                   ? "it has no .dist-info directory"
                                                   : "it has more than one .dist-info directory"));
    }
    const std::string dist_info = *top_dist_infos.begin();
    if (auto ok = check_dist_info(dist_info, filename, wheel); !ok) {
        return ok;
    }
    auto wheel_text = zip->read_small(dist_info + "/WHEEL", 1u << 20);
    if (!wheel_text) {
        return std::unexpected(rejected(wheel, wheel_text.error().message));
    }
    if (auto info = parse_wheel_file(*wheel_text, dist_info + "/WHEEL"); !info) {
        return std::unexpected(rejected(wheel, info.error().message));
    }
    const std::string record_name = dist_info + "/RECORD";
    auto record_text = zip->read_small(record_name, 64u << 20);
    if (!record_text) {
        return std::unexpected(rejected(wheel, record_text.error().message));
    }
    auto record = parse_record(*record_text, record_name);
    if (!record) {
        return std::unexpected(rejected(wheel, record.error().message));
    }
    std::map<std::string, expected_file, std::less<>> expected;
    for (auto& row : *record) {
        expected[row.path] = expected_file{row.hash, row.size};
    }
    const std::set<std::string> unhashed{record_name, dist_info + "/RECORD.jws",
                                         dist_info + "/RECORD.p7s"};
    std::uint64_t total = 0;
    for (const auto& m : members) {
        fs::path path = tmp / m.name;
        if (m.name.ends_with('/')) {
            if (auto ok = detail::make_dirs(path, opt.faults); !ok) {
                return ok;
            }
            continue;
        }
        const expected_file* want = nullptr;
        if (!unhashed.contains(m.name)) {
            auto it = expected.find(m.name);
            if (it == expected.end()) {
                return std::unexpected(rejected(wheel, m.name + " is not listed in RECORD"));
            }
            if (it->second.hash.empty()) {
                return std::unexpected(rejected(wheel, m.name + " has no hash in RECORD"));
            }
            want = &it->second;
        }
        if (auto ok = detail::make_dirs(path.parent_path(), opt.faults); !ok) {
            return ok;
        }
        if (auto ok = extract_member(*zip, m, path, want, total, opt, wheel); !ok) {
            return ok;
        }
    }
    return {};
}

} // namespace

bool is_safe_member_name(std::string_view name) {
    if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos ||
        name.find('\0') != std::string_view::npos) {
        return false;
    }
    if (name.ends_with('/')) {
        name.remove_suffix(1);
    }
    while (true) {
        auto slash = name.find('/');
        auto part = name.substr(0, slash);
        if (part.empty() || part == "." || part == "..") {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        name.remove_prefix(slash + 1);
    }
}

core::result<unpacked_wheel> unpack_wheel(const fs::path& wheel, const fs::path& dest,
                                          const unpack_options& opt) {
    std::error_code ec;
    if (fs::is_directory(dest, ec)) {
        return open_unpacked_wheel(dest);
    }
    const std::string name = opt.filename.empty() ? wheel.filename().string() : opt.filename;
    auto filename = core::parse_wheel_filename(name);
    if (!filename) {
        return std::unexpected(
            std::move(filename.error()).add_context("while unpacking " + wheel.string()));
    }
    if (!opt.sha256.empty()) {
        auto good = verify_cached_wheel({wheel, opt.sha256, 0});
        if (!good) {
            return std::unexpected(std::move(good.error()).add_context("while unpacking " + name));
        }
        if (!*good) {
            const bool cached = wheel.filename() == opt.sha256; // the cache names it so
            if (cached) {
                ::unlink(wheel.c_str());
            }
            return core::fail(core::errc::hash_mismatch,
                              name + " (" + wheel.string() + ") does not have its sha256 " +
                                  opt.sha256 +
                                  (cached ? " any more: it was removed from the cache, run the "
                                            "command again"
                                          : ": it changed while it was being installed"));
        }
    }
    if (auto ok = detail::make_dirs(dest.parent_path(), opt.faults); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    const fs::path tmp =
        dest.parent_path() / ("." + dest.filename().string() + ".tmp-" + detail::random_suffix());
    if (auto ok = detail::make_dirs(tmp, opt.faults); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = unpack_into(wheel, *filename, tmp, opt); !ok) {
        detail::remove_tree_quietly(tmp);
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = detail::rename_path(tmp, dest, opt.faults); !ok) {
        detail::remove_tree_quietly(tmp);
        if (!fs::is_directory(dest, ec)) {
            return std::unexpected(std::move(ok.error()));
        }
    }
    return open_unpacked_wheel(dest);
}

} // namespace actpip::storage
