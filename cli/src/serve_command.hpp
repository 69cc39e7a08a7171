#pragma once
// `actpip serve`: a fetch side and resolver for many `actpip install --remote` clients.

#include "commands.hpp"

namespace actpip::cli {

void register_serve_command(CLI::App& app, command_runner& run);

} // namespace actpip::cli
