#pragma once
// `actpip cache dir|info|clean|prune`: where the cache is, what it holds, emptying it and
// dropping what is unreferenced, temporary or corrupt.

#include "commands.hpp"

namespace actpip::cli {

void register_cache_commands(CLI::App& app, command_runner& run);

} // namespace actpip::cli
