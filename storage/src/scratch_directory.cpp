#include "actpip/storage/scratch_directory.hpp"

#include <stdlib.h>

#include <string>
#include <system_error>
#include <utility>

namespace actpip::storage {

namespace fs = std::filesystem;

core::result<scratch_directory> scratch_directory::create(std::string_view prefix) {
    std::error_code ec;
    auto base = fs::temp_directory_path(ec);
    if (ec)
        return core::fail(core::errc::io, "no temporary directory: " + ec.message());
    auto pattern = (base / (std::string(prefix) + "XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        return core::fail(core::errc::io,
                          "cannot create a temporary directory in " + base.string());
    return scratch_directory(fs::path(pattern));
}

scratch_directory::scratch_directory(scratch_directory&& other) noexcept
    : path_(std::exchange(other.path_, {})) {}

scratch_directory& scratch_directory::operator=(scratch_directory&& other) noexcept {
    if (this != &other) {
        remove();
        path_ = std::exchange(other.path_, {});
    }
    return *this;
}

scratch_directory::~scratch_directory() {
    remove();
}

void scratch_directory::remove() noexcept {
    if (path_.empty())
        return;
    std::error_code ec;
    fs::remove_all(path_, ec);
    path_.clear();
}

} // namespace actpip::storage
