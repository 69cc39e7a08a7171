#pragma once
// `actpip uninstall`, `list`, `freeze` and `show`: the commands that read or change an
// environment's installed distributions without resolving anything.

#include "commands.hpp"

namespace actpip::cli {

void register_environment_commands(CLI::App& app, command_runner& run);

} // namespace actpip::cli
