// actpip command line: parses arguments, runs a command, maps errors to messages and exit
// codes. The only code that prints or exits.

#include "cache_commands.hpp"
#include "commands.hpp"
#include "environment_commands.hpp"
#include "install_command.hpp"
#include "serve_command.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"actpip: a fast, pip-compatible Python package installer", "actpip"};
    app.set_version_flag("-V,--version", std::string("actpip ") + ACTPIP_VERSION);
    app.require_subcommand(1);

    actpip::cli::command_runner run;
    actpip::cli::register_install_commands(app, run);
    actpip::cli::register_serve_command(app, run);
    actpip::cli::register_environment_commands(app, run);
    actpip::cli::register_cache_commands(app, run);
    actpip::cli::register_debug_commands(app, run);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 reports usage errors by exception; this is the boundary where it is caught.
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    return run ? run() : 2;
}
