#pragma once
// Where the tests find what they read: the checkout, its test data, and ../shared.

#include <filesystem>

namespace actpip::test {

std::filesystem::path source_dir(); // the checkout the tests were built from
std::filesystem::path data_dir();   // tests/data
std::filesystem::path shared_dir(); // $ACTPIP_SHARED, else ../shared beside the checkout

} // namespace actpip::test
