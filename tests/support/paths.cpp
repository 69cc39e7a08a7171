#include "support/paths.hpp"

#include <cstdlib>

#ifndef ACTPIP_SOURCE_DIR
#error "ACTPIP_SOURCE_DIR must be defined"
#endif

namespace actpip::test {

std::filesystem::path source_dir() {
    return ACTPIP_SOURCE_DIR;
}

std::filesystem::path data_dir() {
    return source_dir() / "tests" / "data";
}

std::filesystem::path shared_dir() {
    const char* shared = std::getenv("ACTPIP_SHARED");
    return shared ? std::filesystem::path(shared) : source_dir() / ".." / "shared";
}

} // namespace actpip::test
