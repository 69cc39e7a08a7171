#include "actpip/storage/installed.hpp"

#include "actpip/core/ascii_text.hpp"
#include "actpip/core/name.hpp"
#include "install_io.hpp"

#include <algorithm>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

// The first value of a header field in METADATA's header block.
std::string header(std::string_view text, std::string_view field) {
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (core::trim_ascii(line).empty()) {
            break;
        }
        auto colon = line.find(':');
        if (colon == field.size() &&
            std::equal(field.begin(), field.end(), line.begin(),
                       [](char a, char b) { return (a | 0x20) == (b | 0x20); })) {
            return std::string(core::trim_ascii(line.substr(colon + 1)));
        }
    }
    return {};
}

} // namespace

core::result<std::vector<record_entry>> installed_distribution::read_record() const {
    auto text = detail::read_file(dist_info / "RECORD", 256u << 20);
    if (!text) {
        return std::unexpected(core::error{core::errc::not_found,
                                           "cannot uninstall " + name + " " + version +
                                               ": RECORD file not found in " + dist_info.string()});
    }
    return parse_record(*text, (dist_info / "RECORD").string());
}

core::result<std::string> installed_distribution::read_metadata() const {
    return detail::read_file(dist_info / "METADATA", 64u << 20);
}

core::result<installed_distribution> read_installed(const fs::path& dist_info) {
    installed_distribution d;
    d.dist_info = dist_info;
    d.lib_dir = dist_info.parent_path();
    auto metadata = d.read_metadata();
    if (!metadata) {
        return std::unexpected(std::move(metadata.error()));
    }
    d.name = header(*metadata, "Name");
    d.version = header(*metadata, "Version");
    if (d.name.empty() || d.version.empty()) {
        return core::fail(core::errc::invalid_metadata,
                          (dist_info / "METADATA").string() + " has no Name or Version");
    }
    d.project_name = core::normalize_name(d.name);
    if (auto installer = detail::read_file(dist_info / "INSTALLER", 4096)) {
        d.installer = std::string(core::trim_ascii(*installer));
    }
    std::error_code ec;
    d.requested = fs::exists(dist_info / "REQUESTED", ec);
    if (auto url = detail::read_file(dist_info / "direct_url.json", 1u << 20)) {
        d.direct_url_json = std::move(*url);
    }
    return d;
}

std::vector<installed_distribution> list_installed(const target_environment& env,
                                                   std::vector<std::string>* warnings) {
    std::vector<installed_distribution> out;
    for (const auto& dir : env.library_dirs()) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const auto name = entry.path().filename().string();
            if (!name.ends_with(".dist-info") || !entry.is_directory(ec)) {
                continue;
            }
            auto d = read_installed(entry.path());
            if (!d) {
                if (warnings) {
                    warnings->push_back(d.error().describe());
                }
                continue;
            }
            out.push_back(std::move(*d));
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.project_name != b.project_name ? a.project_name < b.project_name
                                                : a.dist_info < b.dist_info;
    });
    return out;
}

std::optional<installed_distribution> find_installed(const target_environment& env,
                                                     std::string_view name) {
    const auto wanted = core::normalize_name(name);
    for (auto& d : list_installed(env)) {
        if (d.project_name == wanted) {
            return std::move(d);
        }
    }
    return std::nullopt;
}

} // namespace actpip::storage
