#pragma once
// Files in a test: write and read whole files, list a tree, make a deterministic payload.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

namespace actpip::test {

// Replaces the file with `content` (bytes as they are); false when it cannot be written.
bool write_file(const std::filesystem::path& p, std::string_view content);

// The whole file, bytes as they are; empty when it cannot be read.
std::string read_file(const std::filesystem::path& p);

// Every file and symlink under `root`, relative and sorted; a directory only when empty
// (with a trailing '/').
std::set<std::string> tree_of(const std::filesystem::path& root);

// A deterministic pseudo-random payload (incompressible enough for byte-exact range checks).
std::string payload(std::size_t size, std::uint32_t seed = 1);

} // namespace actpip::test
