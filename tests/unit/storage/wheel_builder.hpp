#pragma once
// Test helper (header-only, shared by both storage test binaries): writes wheel zips with
// libzip, good ones and evil ones, and temporary directories that clean up after themselves.

#include "actpip/core/hash.hpp"
#include "actpip/storage/record.hpp"

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>
#include <zip.h>

namespace actpip::storage::test_support {

inline std::string record_hash_of(std::string_view data) {
    auto d = core::hash_bytes(core::hash_algorithm::sha256, data);
    return format_record_hash(core::hash_algorithm::sha256, hex_to_bytes(d->hex));
}

class temp_dir {
public:
    temp_dir() {
        static std::mt19937_64 rng{std::random_device{}()};
        path_ = std::filesystem::temp_directory_path() /
                ("actpip-test-" + std::to_string(rng() % 1000000000));
        std::filesystem::create_directories(path_);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every file and symlink under `root` (relative, sorted); directories only when empty.
inline std::set<std::string> tree_of(const std::filesystem::path& root) {
    std::set<std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        auto rel = it->path().lexically_relative(root).generic_string();
        if (it->is_directory() && !it->is_symlink()) {
            if (std::filesystem::is_empty(it->path())) {
                out.insert(rel + "/");
            }
        } else {
            out.insert(rel);
        }
    }
    return out;
}

class wheel_builder {
public:
    wheel_builder(std::string name, std::string version)
        : name_(std::move(name)), version_(std::move(version)),
          dist_info_(name_ + "-" + version_ + ".dist-info") {
        wheel_text_ = "Wheel-Version: 1.0\nGenerator: actpip-test\nRoot-Is-Purelib: true\n"
                      "Tag: py3-none-any\n";
        metadata_ = "Metadata-Version: 2.1\nName: " + name_ + "\nVersion: " + version_ + "\n";
    }

    std::string data_dir() const { return name_ + "-" + version_ + ".data"; }
    const std::string& dist_info() const { return dist_info_; }

    wheel_builder& file(std::string path, std::string content, bool exec = false) {
        members_.push_back(
            {std::move(path), std::move(content), exec ? 0100755u : 0100644u, listing::hashed});
        return *this;
    }
    wheel_builder& unlisted(std::string path, std::string content) {
        members_.push_back({std::move(path), std::move(content), 0100644u, listing::none});
        return *this;
    }
    wheel_builder& wrong_hash(std::string path, std::string content) {
        members_.push_back({std::move(path), std::move(content), 0100644u, listing::wrong});
        return *this;
    }
    wheel_builder& symlink(std::string path, std::string target) {
        members_.push_back({std::move(path), std::move(target), 0120777u, listing::hashed});
        return *this;
    }
    wheel_builder& wheel_file(std::string text) {
        wheel_text_ = std::move(text);
        return *this;
    }
    wheel_builder& rename_dist_info(std::string dist_info) {
        dist_info_ = std::move(dist_info);
        return *this;
    }
    wheel_builder& entry_points(std::string text) {
        entry_points_ = std::move(text);
        return *this;
    }
    wheel_builder& platlib() {
        wheel_text_ = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n";
        return *this;
    }

    std::string filename() const { return name_ + "-" + version_ + "-py3-none-any.whl"; }

    std::filesystem::path write(const std::filesystem::path& dir) const {
        auto all = members_;
        all.push_back({dist_info_ + "/METADATA", metadata_, 0100644u, listing::hashed});
        all.push_back({dist_info_ + "/WHEEL", wheel_text_, 0100644u, listing::hashed});
        if (!entry_points_.empty()) {
            all.push_back(
                {dist_info_ + "/entry_points.txt", entry_points_, 0100644u, listing::hashed});
        }
        std::string record;
        for (const auto& m : all) {
            if (m.listed == listing::none) {
                continue;
            }
            std::string hash =
                record_hash_of(m.listed == listing::wrong ? m.content + "x" : m.content);
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

private:
    enum class listing { hashed, none, wrong };
    struct member {
        std::string path;
        std::string content;
        unsigned mode;
        listing listed;
    };
    std::string name_, version_, dist_info_, wheel_text_, metadata_, entry_points_;
    std::vector<member> members_;
};

} // namespace actpip::storage::test_support
