#include "actpip/storage/interpreter.hpp"
#include "actpip/storage/subprocess.hpp"

#include <rapidjson/document.h>

namespace actpip::storage {

const char* interpreter_probe_script() {
    return R"PY(
import json, os, platform, sys, sysconfig
impl = sys.implementation.name
def fmt(info):
    v = "{0.major}.{0.minor}.{0.micro}".format(info)
    if info.releaselevel != "final":
        v += info.releaselevel[0] + str(info.serial)
    return v
markers = {
    "implementation_name": impl,
    "implementation_version": fmt(sys.implementation.version),
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}
libc = " ".join(platform.libc_ver()).strip()
in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
preferred = getattr(sysconfig, "get_preferred_scheme", None)
default = getattr(sysconfig, "get_default_scheme", None) or sysconfig._get_default_scheme  # < 3.10
scheme = preferred("prefix") if preferred else default()
paths = sysconfig.get_paths(scheme=scheme)
stdlib = paths.get("stdlib", "")
keys = ("installed_base", "base", "installed_platbase", "platbase", "prefix", "exec_prefix")
prefix_paths = sysconfig.get_paths(scheme=scheme, vars={k: "@PREFIX@" for k in keys})
marker_file = os.path.join(stdlib, "EXTERNALLY-MANAGED")
managed = (not in_venv) and os.path.isfile(marker_file)
managed_error = ""
if managed:
    import configparser
    try:
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(marker_file, encoding="utf-8")
        managed_error = parser.get("externally-managed", "Error", fallback="")
    except Exception:
        managed_error = ""
print(json.dumps({
    "executable": sys.executable,
    "implementation": impl,
    "version": list(sys.version_info[:3]),
    "soabi": sysconfig.get_config_var("SOABI") or "",
    "platform": sysconfig.get_platform(),
    "libc": libc,
    "prefix": sys.prefix,
    "in_virtualenv": in_venv,
    "externally_managed": managed,
    "externally_managed_error": managed_error,
    "paths": {k: paths[k] for k in ("purelib", "platlib", "scripts", "data", "include") if k in paths},
    "prefix_paths": {k: prefix_paths[k] for k in ("purelib", "platlib", "scripts", "data", "include") if k in prefix_paths},
    "markers": markers,
}))
)PY";
}

namespace {

core::error bad_output(const std::string& python, const std::string& why) {
    return core::error{core::errc::io,
                       "interpreter " + python + " gave an unexpected probe answer: " + why};
}

} // namespace

core::result<interpreter_info> parse_interpreter_probe(const std::string& json,
                                                       const std::string& python) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return std::unexpected(bad_output(python, "not a JSON object"));
    }
    auto string_field = [&](const char* key) -> std::string {
        auto it = doc.FindMember(key);
        return it != doc.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
    };
    interpreter_info info;
    info.executable = string_field("executable");
    info.implementation = string_field("implementation");
    info.soabi = string_field("soabi");
    info.platform = string_field("platform");
    info.libc = string_field("libc");
    info.prefix = string_field("prefix");
    info.externally_managed_error = string_field("externally_managed_error");
    if (auto it = doc.FindMember("version"); it != doc.MemberEnd() && it->value.IsArray()) {
        for (const auto& v : it->value.GetArray()) {
            if (v.IsInt()) {
                info.version.push_back(v.GetInt());
            }
        }
    }
    if (info.version.size() != 3) {
        return std::unexpected(bad_output(python, "no version"));
    }
    if (auto it = doc.FindMember("in_virtualenv"); it != doc.MemberEnd() && it->value.IsBool()) {
        info.in_virtualenv = it->value.GetBool();
    }
    if (auto it = doc.FindMember("externally_managed");
        it != doc.MemberEnd() && it->value.IsBool()) {
        info.externally_managed = it->value.GetBool();
    }
    for (const char* group : {"paths", "markers"}) {
        auto it = doc.FindMember(group);
        if (it == doc.MemberEnd() || !it->value.IsObject()) {
            return std::unexpected(bad_output(python, std::string("no ") + group));
        }
        for (const auto& m : it->value.GetObject()) {
            if (!m.value.IsString()) {
                continue;
            }
            if (group[0] == 'p') {
                info.paths.emplace(m.name.GetString(), m.value.GetString());
            } else {
                info.markers.values.emplace(m.name.GetString(), m.value.GetString());
            }
        }
    }
    if (auto it = doc.FindMember("prefix_paths"); it != doc.MemberEnd() && it->value.IsObject()) {
        for (const auto& m : it->value.GetObject()) {
            if (m.value.IsString()) {
                info.prefix_paths.emplace(m.name.GetString(), m.value.GetString());
            }
        }
    }
    return info;
}

core::result<std::string> run_interpreter_probe(const std::string& python) {
    auto run = run_capture({python, "-I", "-c", interpreter_probe_script()});
    if (!run) {
        return std::unexpected(std::move(run.error()).add_context("while probing " + python));
    }
    if (run->exit_code != 0) {
        return std::unexpected(core::error{
            core::errc::io, "interpreter " + python + " failed (exit " +
                                std::to_string(run->exit_code) + "): " + run->stderr_text});
    }
    return std::move(run->stdout_text);
}

core::result<interpreter_info> probe_interpreter(const std::string& python) {
    auto json = run_interpreter_probe(python);
    if (!json) {
        return std::unexpected(std::move(json.error()));
    }
    return parse_interpreter_probe(*json, python);
}

} // namespace actpip::storage
