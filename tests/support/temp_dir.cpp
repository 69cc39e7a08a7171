#include "support/temp_dir.hpp"

#include <cstdlib>
#include <string>
#include <system_error>

namespace actpip::test {

temp_dir::temp_dir() {
    std::error_code ec;
    auto base = std::filesystem::temp_directory_path(ec);
    if (ec)
        return;
    std::string pattern = (base / "actpip-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr)
        path_ = pattern;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    if (!path_.empty())
        std::filesystem::remove_all(path_, ec);
}

} // namespace actpip::test
