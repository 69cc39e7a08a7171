#include "support/wheel_builder.hpp"

#include "actpip/core/hash.hpp"
#include "actpip/storage/record.hpp"

#include <zip.h>

#include <deque>

namespace actpip::test {

std::string record_hash_of(std::string_view data) {
    auto d = core::hash_bytes(core::hash_algorithm::sha256, data);
    return storage::format_record_hash(core::hash_algorithm::sha256, storage::hex_to_bytes(d->hex));
}

wheel_builder::wheel_builder(std::string name, std::string version)
    : name_(std::move(name)), version_(std::move(version)),
      dist_info_(name_ + "-" + version_ + ".dist-info") {
    wheel_text_ = "Wheel-Version: 1.0\nGenerator: actpip-test\nRoot-Is-Purelib: true\n"
                  "Tag: py3-none-any\n";
    metadata_ = "Metadata-Version: 2.1\nName: " + name_ + "\nVersion: " + version_ + "\n";
}

wheel_builder& wheel_builder::file(std::string path, std::string content, bool exec) {
    members_.push_back(
        {std::move(path), std::move(content), exec ? 0100755u : 0100644u, listing::hashed});
    return *this;
}

wheel_builder& wheel_builder::unlisted(std::string path, std::string content) {
    members_.push_back({std::move(path), std::move(content), 0100644u, listing::none});
    return *this;
}

wheel_builder& wheel_builder::wrong_hash(std::string path, std::string content) {
    members_.push_back({std::move(path), std::move(content), 0100644u, listing::wrong});
    return *this;
}

wheel_builder& wheel_builder::symlink(std::string path, std::string target) {
    members_.push_back({std::move(path), std::move(target), 0120777u, listing::hashed});
    return *this;
}

wheel_builder& wheel_builder::wheel_file(std::string text) {
    wheel_text_ = std::move(text);
    return *this;
}

wheel_builder& wheel_builder::rename_dist_info(std::string dist_info) {
    dist_info_ = std::move(dist_info);
    return *this;
}

wheel_builder& wheel_builder::entry_points(std::string text) {
    entry_points_ = std::move(text);
    return *this;
}

wheel_builder& wheel_builder::platlib() {
    wheel_text_ = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n";
    return *this;
}

std::filesystem::path wheel_builder::write(const std::filesystem::path& dir) const {
    auto all = members_;
    all.push_back({dist_info_ + "/METADATA", metadata_, 0100644u, listing::hashed});
    all.push_back({dist_info_ + "/WHEEL", wheel_text_, 0100644u, listing::hashed});
    if (!entry_points_.empty())
        all.push_back({dist_info_ + "/entry_points.txt", entry_points_, 0100644u, listing::hashed});
    std::string record;
    for (const auto& m : all) {
        if (m.listed == listing::none)
            continue;
        std::string hash = record_hash_of(m.listed == listing::wrong ? m.content + "x" : m.content);
        record += m.path + "," + hash + "," + std::to_string(m.content.size()) + "\n";
    }
    record += dist_info_ + "/RECORD,,\n";
    all.push_back({dist_info_ + "/RECORD", record, 0100644u, listing::none});

    auto path = dir / filename();
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    std::deque<std::string> keep;
    for (const auto& m : all) {
        keep.push_back(m.content);
        zip_source_t* src = zip_source_buffer(z, keep.back().data(), keep.back().size(), 0);
        zip_int64_t idx = zip_file_add(z, m.path.c_str(), src, ZIP_FL_ENC_UTF_8);
        zip_file_set_external_attributes(z, static_cast<zip_uint64_t>(idx), 0, ZIP_OPSYS_UNIX,
                                         m.mode << 16);
    }
    zip_close(z);
    return path;
}

} // namespace actpip::test
