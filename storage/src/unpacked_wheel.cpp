#include "actpip/storage/unpacked_wheel.hpp"

#include "actpip/core/ascii_text.hpp"
#include "actpip/core/core_metadata.hpp"
#include "actpip/core/name.hpp"
#include "install_io.hpp"

#include <charconv>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if ((a[i] | 0x20) != (b[i] | 0x20)) {
            return false;
        }
    }
    return true;
}

} // namespace

core::result<wheel_file_info> parse_wheel_file(std::string_view text, std::string_view source) {
    wheel_file_info info;
    bool have_version = false;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (core::trim_ascii(line).empty()) {
            break; // headers end at the first blank line
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        auto key = core::trim_ascii(line.substr(0, colon));
        auto value = core::trim_ascii(line.substr(colon + 1));
        if (iequals(key, "Wheel-Version") && !have_version) {
            auto dot = value.find('.');
            auto major_text = value.substr(0, dot);
            auto minor_text = dot == std::string_view::npos ? "0" : value.substr(dot + 1);
            auto r1 = std::from_chars(major_text.data(), major_text.data() + major_text.size(),
                                      info.major);
            auto r2 = std::from_chars(minor_text.data(), minor_text.data() + minor_text.size(),
                                      info.minor);
            if (r1.ec != std::errc{} || r2.ec != std::errc{} ||
                r1.ptr != major_text.data() + major_text.size() || major_text.empty()) {
                return core::fail(core::errc::invalid_metadata, std::string(source) +
                                                                    ": invalid Wheel-Version '" +
                                                                    std::string(value) + "'");
            }
            have_version = true;
        } else if (iequals(key, "Root-Is-Purelib")) {
            info.root_is_purelib = iequals(value, "true");
        }
    }
    if (!have_version) {
        return core::fail(core::errc::invalid_metadata,
                          std::string(source) + " has no Wheel-Version");
    }
    if (info.major > 1) {
        return core::fail(core::errc::unsupported,
                          std::string(source) + ": Wheel-Version " + std::to_string(info.major) +
                              "." + std::to_string(info.minor) +
                              " is not supported (this installer knows 1.x)");
    }
    return info;
}

core::result<unpacked_wheel> open_unpacked_wheel(const fs::path& root) {
    unpacked_wheel w;
    w.root = root;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        auto name = entry.path().filename().string();
        if (name.ends_with(".dist-info") && entry.is_directory()) {
            if (!w.dist_info.empty()) {
                return core::fail(core::errc::invalid_metadata,
                                  "wheel has more than one .dist-info directory: " + w.dist_info +
                                      ", " + name);
            }
            w.dist_info = name;
        }
    }
    if (ec) {
        return std::unexpected(detail::os_error("cannot list", root, ec.value()));
    }
    if (w.dist_info.empty()) {
        return core::fail(core::errc::invalid_metadata, "wheel has no .dist-info directory");
    }
    const std::string stem = w.dist_info.substr(0, w.dist_info.size() - 10);
    w.data_dir = stem + ".data";

    auto wheel_text = detail::read_file(root / w.dist_info / "WHEEL", 1u << 20);
    if (!wheel_text) {
        return std::unexpected(std::move(wheel_text.error()));
    }
    auto info = parse_wheel_file(*wheel_text, w.dist_info + "/WHEEL");
    if (!info) {
        return std::unexpected(std::move(info.error()));
    }
    w.root_is_purelib = info->root_is_purelib;

    auto metadata_text = detail::read_file(root / w.dist_info / "METADATA", 64u << 20);
    if (!metadata_text) {
        return std::unexpected(std::move(metadata_text.error()));
    }
    auto metadata = core::core_metadata::parse(*metadata_text, w.dist_info + "/METADATA");
    if (!metadata) {
        return std::unexpected(std::move(metadata.error()));
    }
    w.name = metadata->name;
    w.project_name = metadata->normalized_name();
    w.version = metadata->version;

    auto record_text = detail::read_file(root / w.dist_info / "RECORD", 64u << 20);
    if (!record_text) {
        return std::unexpected(std::move(record_text.error()));
    }
    auto record = parse_record(*record_text, w.dist_info + "/RECORD");
    if (!record) {
        return std::unexpected(std::move(record.error()));
    }
    w.record = std::move(*record);
    return w;
}

} // namespace actpip::storage
