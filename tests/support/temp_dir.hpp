#pragma once
// A fresh directory under $TMPDIR (never the source tree), removed with all it holds when the
// object goes.

#include <filesystem>

namespace actpip::test {

class temp_dir {
public:
    temp_dir(); // path() is empty when no directory could be made
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace actpip::test
