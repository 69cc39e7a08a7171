#pragma once
// Each command registers its CLI11 subcommand and, when chosen, leaves the code that runs it.

#include <functional>

namespace CLI {
class App;
}

namespace actpip::cli {

// Set by the chosen subcommand's callback; returns the process exit code.
using command_runner = std::function<int()>;

void register_debug_commands(CLI::App& app, command_runner& run);

} // namespace actpip::cli
