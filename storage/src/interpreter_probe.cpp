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
paths = sysconfig.get_paths()
stdlib = paths.get("stdlib", "")
print(json.dumps({
    "executable": sys.executable,
    "implementation": impl,
    "version": list(sys.version_info[:3]),
    "soabi": sysconfig.get_config_var("SOABI") or "",
    "platform": sysconfig.get_platform(),
    "libc": libc,
    "in_virtualenv": sys.prefix != getattr(sys, "base_prefix", sys.prefix),
    "externally_managed": os.path.isfile(os.path.join(stdlib, "EXTERNALLY-MANAGED")),
    "paths": {k: paths[k] for k in ("purelib", "platlib", "scripts", "data", "include") if k in paths},
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
    return info;
}

core::result<interpreter_info> probe_interpreter(const std::string& python) {
    auto run = run_capture({python, "-I", "-c", interpreter_probe_script()});
    if (!run) {
        return std::unexpected(std::move(run.error()).add_context("while probing " + python));
    }
    if (run->exit_code != 0) {
        return std::unexpected(core::error{
            core::errc::io, "interpreter " + python + " failed (exit " +
                                std::to_string(run->exit_code) + "): " + run->stderr_text});
    }
    return parse_interpreter_probe(run->stdout_text, python);
}

} // namespace actpip::storage
