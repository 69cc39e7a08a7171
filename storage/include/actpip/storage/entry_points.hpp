#pragma once
// entry_points.txt (an INI file of groups) and the launcher scripts pip generates for its
// console_scripts and gui_scripts groups.

#include "actpip/core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

struct entry_point {
    std::string group; // "console_scripts"
    std::string name;  // "flask"
    std::string module;
    std::string attr; // "main" or "cli.main"; empty when the value names only a module
};

// Every entry of every group, in file order. Extras ("[extra]") after the value are dropped.
core::result<std::vector<entry_point>> parse_entry_points(std::string_view text,
                                                          std::string_view source);

// The console_scripts and gui_scripts entries (what gets a launcher).
std::vector<entry_point> script_entry_points(const std::vector<entry_point>& all);

// The `#!` line(s) distlib writes for `python`: "#!<python>\n", or a /bin/sh trampoline when
// the path has spaces or the line would pass 127 bytes.
std::string script_shebang(std::string_view python);

// pip's launcher for an entry point (its distlib template), shebang included.
core::result<std::string> launcher_script(const entry_point& ep, std::string_view python);

} // namespace actpip::storage
