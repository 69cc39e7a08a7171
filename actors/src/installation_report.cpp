// pip's installation report, format version 1 (pip 22.2+, `pip install --report`), so tools
// that read pip's report read ours. Distributions kept as installed are not in "install",
// as in pip.

#include "actpip/api.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace actpip {

namespace {

using writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void string(writer& w, const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

void strings(writer& w, const char* key, const std::vector<std::string>& values) {
    w.Key(key);
    w.StartArray();
    for (const auto& v : values) {
        string(w, v);
    }
    w.EndArray();
}

void distribution(writer& w, const resolved_distribution& d) {
    w.StartObject();
    w.Key("download_info");
    w.StartObject();
    w.Key("url");
    string(w, d.url);
    w.Key("archive_info");
    w.StartObject();
    if (!d.sha256.empty()) {
        w.Key("hash");
        string(w, "sha256=" + d.sha256);
        w.Key("hashes");
        w.StartObject();
        w.Key("sha256");
        string(w, d.sha256);
        w.EndObject();
    }
    w.EndObject();
    w.EndObject();
    w.Key("is_direct");
    w.Bool(d.direct);
    w.Key("is_yanked");
    w.Bool(d.yanked);
    w.Key("requested");
    w.Bool(d.requested);
    if (!d.requested_extras.empty()) {
        strings(w, "requested_extras", d.requested_extras);
    }
    // The core metadata in its JSON form (PEP 566), with the fields the resolution used.
    w.Key("metadata");
    w.StartObject();
    w.Key("metadata_version");
    string(w, "2.1");
    w.Key("name");
    string(w, d.name);
    w.Key("version");
    string(w, d.version);
    if (!d.requires_dist.empty()) {
        strings(w, "requires_dist", d.requires_dist);
    }
    if (!d.requires_python.empty()) {
        w.Key("requires_python");
        string(w, d.requires_python);
    }
    if (!d.provides_extra.empty()) {
        strings(w, "provides_extra", d.provides_extra);
    }
    w.EndObject();
    w.EndObject();
}

} // namespace

const char* event_name(progress_event::kind what) {
    switch (what) {
    case progress_event::kind::resolving:
        return "resolving";
    case progress_event::kind::resolved:
        return "resolved";
    case progress_event::kind::download_started:
        return "download_started";
    case progress_event::kind::download_progress:
        return "download_progress";
    case progress_event::kind::download_finished:
        return "download_finished";
    case progress_event::kind::installing:
        return "installing";
    case progress_event::kind::installed:
        return "installed";
    case progress_event::kind::warning:
        return "warning";
    }
    return "unknown";
}

std::string installation_report_json(const job_outcome& outcome) {
    rapidjson::StringBuffer buffer;
    writer w(buffer);
    w.SetIndent(' ', 2);
    w.StartObject();
    w.Key("version");
    string(w, "1");
    w.Key("pip_version");
    string(w, "actpip " + version());
    w.Key("install");
    w.StartArray();
    for (const auto& d : outcome.resolution) {
        if (!d.already_installed) {
            distribution(w, d);
        }
    }
    w.EndArray();
    w.Key("environment");
    w.StartObject();
    for (const auto& [key, value] : outcome.environment) {
        w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
        string(w, value);
    }
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

} // namespace actpip
