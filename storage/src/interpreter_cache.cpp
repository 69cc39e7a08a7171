#include "actpip/storage/interpreter_cache.hpp"

#include "actpip/core/hash.hpp"
#include "actpip/storage/subprocess.hpp"
#include "install_io.hpp"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view magic = "actpip-interpreter-cache 1\n";

std::optional<fs::path> search_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "";
    while (true) {
        auto colon = rest.find(':');
        std::string dir(rest.substr(0, colon));
        fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        rest.remove_prefix(colon + 1);
    }
}

// Reads "<name>\t<value>\n" from the front of `text`.
std::optional<std::string_view> take_field(std::string_view& text, std::string_view name) {
    if (!text.starts_with(name) || text.size() <= name.size() || text[name.size()] != '\t') {
        return std::nullopt;
    }
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) {
        return std::nullopt;
    }
    auto value = text.substr(name.size() + 1, nl - name.size() - 1);
    text.remove_prefix(nl + 1);
    return value;
}

template <class T>
std::optional<T> to_number(std::string_view s) {
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

} // namespace

core::result<interpreter_key> interpreter_key_for(const std::string& python) {
    fs::path p = python;
    if (python.find('/') == std::string::npos) {
        auto found = search_path(python);
        if (!found) {
            return core::fail(core::errc::not_found,
                              "interpreter " + python + " not found on PATH");
        }
        p = *found;
    }
    std::error_code ec;
    p = fs::absolute(p, ec).lexically_normal();
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        return std::unexpected(detail::os_error("cannot find interpreter", p, errno));
    }
    interpreter_key key;
    key.path = p.string();
    key.mtime_ns =
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    key.size = static_cast<std::uint64_t>(st.st_size);
    return key;
}

std::string serialize_interpreter_entry(const interpreter_key& key, std::string_view probe_json) {
    std::string out(magic);
    out += "path\t" + key.path + "\n";
    out += "mtime\t" + std::to_string(key.mtime_ns) + "\n";
    out += "size\t" + std::to_string(key.size) + "\n\n";
    out += probe_json;
    return out;
}

std::optional<std::string> parse_interpreter_entry(std::string_view text,
                                                   const interpreter_key& key) {
    if (!text.starts_with(magic)) {
        return std::nullopt;
    }
    text.remove_prefix(magic.size());
    auto path = take_field(text, "path");
    auto mtime = take_field(text, "mtime");
    auto size = take_field(text, "size");
    if (!path || !mtime || !size || !text.starts_with('\n')) {
        return std::nullopt;
    }
    text.remove_prefix(1);
    interpreter_key stored{std::string(*path), to_number<std::int64_t>(*mtime).value_or(-1),
                           to_number<std::uint64_t>(*size).value_or(0)};
    if (!(stored == key) || text.empty()) {
        return std::nullopt;
    }
    return std::string(text);
}

fs::path interpreter_entry_path(const fs::path& cache_dir, const interpreter_key& key) {
    auto digest = core::hash_bytes(core::hash_algorithm::sha256, key.path);
    std::string name = digest ? digest->hex.substr(0, 24) : std::string("unhashed");
    return cache_dir / ("interpreter-" + name);
}

core::result<interpreter_info> probe_interpreter_cached(const std::string& python,
                                                        const fs::path& cache_dir) {
    auto key = interpreter_key_for(python);
    if (!key || key->path.find('\n') != std::string::npos) {
        return probe_interpreter(python);
    }
    const fs::path entry = interpreter_entry_path(cache_dir, *key);
    if (auto text = detail::read_file(entry, 1u << 20)) {
        if (auto json = parse_interpreter_entry(*text, *key)) {
            if (auto info = parse_interpreter_probe(*json, python)) {
                return info;
            }
        }
    }
    auto json = run_interpreter_probe(python);
    if (!json) {
        return std::unexpected(std::move(json.error()));
    }
    auto info = parse_interpreter_probe(*json, python);
    if (info && detail::make_dirs(cache_dir, {})) {
        // Written aside and renamed, so readers never see half an entry.
        fs::path tmp = entry;
        tmp += ".tmp-" + detail::random_suffix();
        if (detail::write_new_file(tmp, serialize_interpreter_entry(*key, *json), 0644, {})) {
            if (::rename(tmp.c_str(), entry.c_str()) != 0) {
                ::unlink(tmp.c_str());
            }
        }
    }
    return info;
}

} // namespace actpip::storage
