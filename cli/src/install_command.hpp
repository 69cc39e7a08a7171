#pragma once
// `actpip install` and `actpip download`: resolve, fetch and install through the public API.

#include "commands.hpp"

namespace actpip::cli {

void register_install_commands(CLI::App& app, command_runner& run);

} // namespace actpip::cli
