// Conformance vectors for PEP 425 tags and PEP 427 wheel filenames.

#include "debug_vectors_detail.hpp"

#include "actpip/core/tags.hpp"
#include "actpip/core/wheel_filename.hpp"

#include <algorithm>

namespace actpip::cli::detail {

namespace {

void write_sorted_tags(json_writer& w, const std::vector<core::tag>& tags) {
    std::vector<std::string> names;
    for (const auto& t : tags) {
        names.push_back(t.to_string());
    }
    std::sort(names.begin(), names.end());
    w.begin_array();
    for (const auto& n : names) {
        w.string(n);
    }
    w.end_array();
}

} // namespace

bool wheel_filename_vector(const rapidjson::Value& in, json_writer& w) {
    auto wheel = core::parse_wheel_filename(str(in, "filename"));
    w.begin_object().key("valid").boolean(wheel.has_value());
    if (wheel) {
        w.key("name").string(wheel->name);
        w.key("version").string(wheel->version.to_string());
        w.key("build");
        if (wheel->build) {
            w.begin_array().raw_number(wheel->build->number).string(wheel->build->suffix);
            w.end_array();
        } else {
            w.null();
        }
        w.key("tags");
        write_sorted_tags(w, wheel->tags);
    }
    w.end_object();
    return true;
}

bool tag_parse_vector(const rapidjson::Value& in, json_writer& w) {
    auto tags = core::parse_tag(str(in, "tag"));
    if (!tags) {
        return false; // packaging raises here; the vectors hold no such case
    }
    w.begin_object().key("result");
    write_sorted_tags(w, *tags);
    w.end_object();
    return true;
}

bool tag_priority_vector(const rapidjson::Value& in, json_writer& w) {
    auto py = in.FindMember("python_version");
    if (py == in.MemberEnd() || !py->value.IsArray() || py->value.Empty()) {
        return false;
    }
    core::python_version python;
    python.major = py->value[0].GetUint();
    if (py->value.Size() > 1) {
        python.minor = py->value[1].GetUint();
    }
    auto abis = str_list(in, "abis");
    auto platforms = str_list(in, "platforms");
    auto tags = core::cpython_tags(python, abis, platforms);
    auto compatible = core::compatible_tags(python, str(in, "interpreter"), platforms);
    tags.insert(tags.end(), compatible.begin(), compatible.end());
    w.begin_object().key("result").begin_array();
    for (const auto& t : tags) {
        w.string(t.to_string());
    }
    w.end_array().end_object();
    return true;
}

} // namespace actpip::cli::detail
