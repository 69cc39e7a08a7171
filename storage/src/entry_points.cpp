#include "actpip/storage/entry_points.hpp"

#include "actpip/core/ascii_text.hpp"

namespace actpip::storage {

core::result<std::vector<entry_point>> parse_entry_points(std::string_view text,
                                                          std::string_view source) {
    std::vector<entry_point> out;
    std::string group;
    std::size_t line_no = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = core::trim_ascii(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        if (line.empty() || line.front() == '#' || line.front() == ';') {
            continue;
        }
        if (line.front() == '[') {
            if (line.back() != ']') {
                return core::fail(core::errc::invalid_metadata,
                                  std::string(source) + " line " + std::to_string(line_no) +
                                      ": unterminated section header");
            }
            group = std::string(core::trim_ascii(line.substr(1, line.size() - 2)));
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string_view::npos || group.empty()) {
            return core::fail(core::errc::invalid_metadata,
                              std::string(source) + " line " + std::to_string(line_no) +
                                  ": expected 'name = module:attr' in a [group]");
        }
        entry_point ep;
        ep.group = group;
        ep.name = std::string(core::trim_ascii(line.substr(0, eq)));
        std::string_view value = core::trim_ascii(line.substr(eq + 1));
        if (auto bracket = value.find('['); bracket != std::string_view::npos) {
            value = core::trim_ascii(value.substr(0, bracket));
        }
        auto colon = value.find(':');
        ep.module = std::string(core::trim_ascii(value.substr(0, colon)));
        if (colon != std::string_view::npos) {
            ep.attr = std::string(core::trim_ascii(value.substr(colon + 1)));
        }
        if (ep.name.empty() || ep.module.empty()) {
            return core::fail(core::errc::invalid_metadata,
                              std::string(source) + " line " + std::to_string(line_no) +
                                  ": empty entry point name or module");
        }
        out.push_back(std::move(ep));
    }
    return out;
}

std::vector<entry_point> script_entry_points(const std::vector<entry_point>& all) {
    std::vector<entry_point> out;
    for (const auto& ep : all) {
        if (ep.group == "console_scripts" || ep.group == "gui_scripts") {
            out.push_back(ep);
        }
    }
    return out;
}

std::string script_shebang(std::string_view python) {
    std::string exe(python);
    bool simple = exe.find(' ') == std::string::npos && exe.size() + 3 <= 127;
    if (simple) {
        return "#!" + exe + "\n";
    }
    // distlib: enquote the executable, then exec it through /bin/sh.
    if (exe.find(' ') != std::string::npos) {
        exe = "\"" + exe + "\"";
    }
    return "#!/bin/sh\n'''exec' " + exe + " \"$0\" \"$@\"\n' '''";
}

core::result<std::string> launcher_script(const entry_point& ep, std::string_view python) {
    if (ep.attr.empty()) {
        // pip: "Invalid script entry point: ... - A callable suffix is required."
        return core::fail(core::errc::invalid_metadata, "invalid script entry point '" + ep.name +
                                                            " = " + ep.module +
                                                            "': a callable suffix is required");
    }
    const std::string import_name = ep.attr.substr(0, ep.attr.find('.'));
    std::string text = script_shebang(python);
    text += "# -*- coding: utf-8 -*-\n"
            "import re\n"
            "import sys\n"
            "from " +
            ep.module + " import " + import_name +
            "\n"
            "if __name__ == '__main__':\n"
            "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
            "    sys.exit(" +
            ep.attr + "())\n";
    return text;
}

} // namespace actpip::storage
