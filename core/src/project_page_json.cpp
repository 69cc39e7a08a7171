// PEP 691 project pages, with PEP 700's additions (versions, size, upload-time) and PEP
// 714's "core-metadata" (and the older "dist-info-metadata").

#include "actpip/core/index_url.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/project_page.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace actpip::core {

namespace {

using json = rapidjson::Value;

class json_page_parser {
public:
    json_page_parser(std::string_view url, std::string_view project)
        : url_(url), project_(normalize_name(project)) {}

    result<project_page> parse(std::string_view body) {
        rapidjson::Document doc;
        doc.Parse(body.data(), body.size());
        if (doc.HasParseError()) {
            return bad("invalid JSON at byte " + std::to_string(doc.GetErrorOffset()) + ": " +
                       rapidjson::GetParseError_En(doc.GetParseError()));
        }
        if (!doc.IsObject()) {
            return bad("the page is not a JSON object");
        }
        project_page page;
        page.url = url_;
        page.api_version = "1.0";
        if (auto meta = doc.FindMember("meta"); meta != doc.MemberEnd()) {
            if (!meta->value.IsObject()) {
                return bad("\"meta\" is not an object");
            }
            auto version = meta->value.FindMember("api-version");
            if (version != meta->value.MemberEnd()) {
                if (!version->value.IsString()) {
                    return bad("\"meta.api-version\" is not a string");
                }
                page.api_version = version->value.GetString();
            }
        }
        if (!page.api_version.starts_with("1.") && page.api_version != "1") {
            return bad("unsupported repository API version " + page.api_version +
                       " (actpip understands 1.x)");
        }
        page.name = project_;
        if (auto name = doc.FindMember("name"); name != doc.MemberEnd()) {
            if (!name->value.IsString()) {
                return bad("\"name\" is not a string");
            }
            page.name = normalize_name(name->value.GetString());
            if (!project_.empty() && page.name != project_) {
                return bad("the page is for project '" + page.name + "', not '" + project_ + "'");
            }
        }
        auto files = doc.FindMember("files");
        if (files == doc.MemberEnd() || !files->value.IsArray()) {
            return bad("\"files\" is missing or not an array");
        }
        std::size_t index = 0;
        for (const auto& entry : files->value.GetArray()) {
            auto file = parse_file(entry);
            if (!file) {
                return bad("files[" + std::to_string(index) + "]: " + file.error().message);
            }
            page.files.push_back(std::move(*file));
            ++index;
        }
        if (auto versions = doc.FindMember("versions"); versions != doc.MemberEnd()) {
            if (!versions->value.IsArray()) {
                return bad("\"versions\" is not an array");
            }
            for (const auto& v : versions->value.GetArray()) {
                if (!v.IsString()) {
                    return bad("\"versions\" holds a value that is not a string");
                }
                page.versions.emplace_back(v.GetString(), v.GetStringLength());
            }
        }
        return page;
    }

private:
    std::unexpected<error> bad(std::string why) const {
        return fail(errc::invalid_metadata, "malformed index page " + url_ + ": " + why);
    }

    static std::unexpected<error> field_error(std::string why) {
        return fail(errc::invalid_metadata, std::move(why));
    }

    // A {"sha256": "<hex>", ...} object; algorithms actpip does not know are skipped.
    static result<std::vector<hash_digest>> hashes(const json& value, std::string_view field) {
        std::vector<hash_digest> out;
        if (!value.IsObject()) {
            return field_error("\"" + std::string(field) + "\" is not an object");
        }
        for (const auto& member : value.GetObject()) {
            auto algorithm = parse_hash_algorithm(member.name.GetString());
            if (!algorithm) {
                continue;
            }
            if (!member.value.IsString()) {
                return field_error("\"" + std::string(field) + "\"." + member.name.GetString() +
                                   " is not a string");
            }
            auto digest = hash_digest::make(*algorithm, member.value.GetString());
            if (!digest) {
                return field_error("\"" + std::string(field) + "\": " + digest.error().message);
            }
            out.push_back(std::move(*digest));
        }
        return out;
    }

    // "core-metadata": true/false or a hashes object.
    static result<core_metadata_availability> metadata(const json& value, std::string_view field) {
        core_metadata_availability out;
        if (value.IsBool()) {
            out.available = value.GetBool();
            return out;
        }
        auto h = hashes(value, field);
        if (!h) {
            return std::unexpected(std::move(h.error()));
        }
        out.available = true;
        out.hashes = std::move(*h);
        return out;
    }

    result<project_file> parse_file(const json& entry) const {
        if (!entry.IsObject()) {
            return field_error("not an object");
        }
        project_file file;
        auto filename = entry.FindMember("filename");
        if (filename == entry.MemberEnd() || !filename->value.IsString()) {
            return field_error("\"filename\" is missing or not a string");
        }
        file.filename = filename->value.GetString();
        auto url = entry.FindMember("url");
        if (url == entry.MemberEnd() || !url->value.IsString()) {
            return field_error(file.filename + ": \"url\" is missing or not a string");
        }
        auto absolute = resolve_url(url_, url->value.GetString());
        if (!absolute) {
            return std::unexpected(std::move(absolute.error()));
        }
        file.url = std::string(strip_fragment(*absolute));
        auto in_context = [&](error e) {
            e.message = file.filename + ": " + e.message;
            return std::unexpected(std::move(e));
        };
        if (auto h = entry.FindMember("hashes"); h != entry.MemberEnd()) {
            auto digests = hashes(h->value, "hashes");
            if (!digests) {
                return in_context(std::move(digests.error()));
            }
            file.hashes = std::move(*digests);
        }
        if (auto fragment = find_url_hash(*absolute);
            fragment && *fragment && !file.find_hash((*fragment)->algorithm)) {
            file.hashes.push_back(**fragment);
        }
        if (auto rp = entry.FindMember("requires-python"); rp != entry.MemberEnd()) {
            if (rp->value.IsString()) {
                if (rp->value.GetStringLength() > 0) {
                    file.requires_python = rp->value.GetString();
                }
            } else if (!rp->value.IsNull()) {
                return in_context(
                    error{errc::invalid_metadata, "\"requires-python\" is not a string"});
            }
        }
        // PEP 714: "core-metadata" first, "dist-info-metadata" for older servers.
        for (const char* field : {"core-metadata", "dist-info-metadata"}) {
            auto m = entry.FindMember(field);
            if (m == entry.MemberEnd()) {
                continue;
            }
            auto availability = metadata(m->value, field);
            if (!availability) {
                return in_context(std::move(availability.error()));
            }
            file.core_metadata = std::move(*availability);
            break;
        }
        if (auto y = entry.FindMember("yanked"); y != entry.MemberEnd()) {
            if (y->value.IsBool()) {
                file.yanked = y->value.GetBool();
            } else if (y->value.IsString()) {
                file.yanked = true;
                if (y->value.GetStringLength() > 0) {
                    file.yanked_reason = y->value.GetString();
                }
            } else {
                return in_context(
                    error{errc::invalid_metadata, "\"yanked\" is neither a boolean nor a string"});
            }
        }
        if (auto s = entry.FindMember("size"); s != entry.MemberEnd()) {
            if (!s->value.IsUint64()) {
                return in_context(
                    error{errc::invalid_metadata, "\"size\" is not a non-negative integer"});
            }
            file.size = s->value.GetUint64();
        }
        if (auto t = entry.FindMember("upload-time"); t != entry.MemberEnd()) {
            if (t->value.IsString()) {
                file.upload_time = t->value.GetString();
            } else if (!t->value.IsNull()) {
                return in_context(error{errc::invalid_metadata, "\"upload-time\" is not a string"});
            }
        }
        return file;
    }

    std::string url_;
    std::string project_;
};

} // namespace

result<project_page> parse_project_page_json(std::string_view body, std::string_view url,
                                             std::string_view project) {
    return json_page_parser(url, project).parse(body);
}

} // namespace actpip::core
