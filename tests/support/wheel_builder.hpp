#pragma once
// Wheels written with libzip for the storage and CLI tests: good ones, and evil ones (files
// left out of RECORD or listed with a wrong hash, symlinks, a renamed .dist-info, any WHEEL
// text), with RECORD written to match.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::test {

// A RECORD hash entry ("sha256=<urlsafe base64>") of `data`.
std::string record_hash_of(std::string_view data);

class wheel_builder {
public:
    wheel_builder(std::string name, std::string version);

    std::string data_dir() const { return name_ + "-" + version_ + ".data"; }
    const std::string& dist_info() const { return dist_info_; }
    std::string filename() const { return name_ + "-" + version_ + "-py3-none-any.whl"; }

    // A member listed in RECORD with its hash (mode 0755 when `exec`).
    wheel_builder& file(std::string path, std::string content, bool exec = false);
    // A member RECORD does not list.
    wheel_builder& unlisted(std::string path, std::string content);
    // A member RECORD lists with the hash of other content.
    wheel_builder& wrong_hash(std::string path, std::string content);
    wheel_builder& symlink(std::string path, std::string target);
    wheel_builder& wheel_file(std::string text);
    wheel_builder& rename_dist_info(std::string dist_info);
    wheel_builder& entry_points(std::string text);
    wheel_builder& platlib(); // Root-Is-Purelib: false, a cp311 linux tag

    // Writes dir/filename() (members, METADATA, WHEEL, entry_points.txt, then RECORD).
    std::filesystem::path write(const std::filesystem::path& dir) const;

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

} // namespace actpip::test
