#pragma once
// One project's page on a simple repository (PEP 503 HTML or PEP 691 JSON) as a plain
// model: its files with their hashes, Requires-Python, yanking (PEP 592), core metadata
// availability (PEP 658/714), size and upload time (PEP 700), and the page's versions.
// The parsers live in project_page_json.cpp and project_page_html.cpp; the format is chosen
// by the response's Content-Type.

#include "actpip/core/error.hpp"
#include "actpip/core/hash.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

// Whether a file's core metadata is served at "<file url>.metadata", and its hashes.
struct core_metadata_availability {
    bool available = false;
    std::vector<hash_digest> hashes; // may be empty when available ("true")
};

struct project_file {
    std::string filename;                       // as the page gives it (JSON) or the URL's
    std::string url;                            // absolute, without the #fragment
    std::vector<hash_digest> hashes;            // known algorithms only; may be empty
    std::optional<std::string> requires_python; // as written, character references decoded
    bool yanked = false;
    std::optional<std::string> yanked_reason; // a non-empty reason
    core_metadata_availability core_metadata;
    std::optional<std::uint64_t> size;
    std::optional<std::string> upload_time; // ISO 8601, as written

    // The PEP 658 URL of the core metadata (meaningful when core_metadata.available).
    std::string metadata_url() const { return url + ".metadata"; }
    // The hash the page gives for `algorithm`, if any.
    const hash_digest* find_hash(hash_algorithm algorithm) const;
    // The strongest hash the page gives (sha512 > ... > md5), if any.
    const hash_digest* best_hash() const;
};

struct project_page {
    std::string name;        // normalized (PEP 503); empty for a find-links page
    std::string url;         // the page's URL (what relative links were resolved against)
    std::string api_version; // "1.0", "1.1": the repository version the page declares
    std::vector<project_file> files;
    std::vector<std::string> versions; // PEP 700 (JSON api 1.1); empty otherwise
};

enum class page_format { json, html };

// application/vnd.pypi.simple.v1+json -> json; application/vnd.pypi.simple.v1+html,
// text/html (and application/xhtml+xml) -> html. Parameters (";charset=...") and case are
// ignored; "latest" versions are accepted as v1; anything else is nullopt.
std::optional<page_format> page_format_for(std::string_view content_type);

// The Accept header that asks for JSON first, then HTML, as pip sends it.
inline constexpr std::string_view project_page_accept =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.2, "
    "text/html; q=0.01";

// Parses a page served with `content_type` from `url`. `project` is the name that was asked
// for (normalized here); a JSON page naming another project is an error. Errors say which
// URL and what is wrong with it.
result<project_page> parse_project_page(std::string_view body, std::string_view content_type,
                                        std::string_view url, std::string_view project);

// PEP 691 JSON. Major api-version other than 1 is an error, as the PEP asks.
result<project_page> parse_project_page_json(std::string_view body, std::string_view url,
                                             std::string_view project);

// PEP 503 HTML: every <a href> is a file (anchors without href are skipped). `project` may
// be empty for a find-links page, which lists files of many projects.
result<project_page> parse_project_page_html(std::string_view body, std::string_view url,
                                             std::string_view project);

// A find-links directory (or any flat list of files): one file per name, with URLs
// resolved against `base_url` ("file:///wheels/"), no hashes.
project_page project_page_from_filenames(std::string_view base_url,
                                         const std::vector<std::string>& filenames);

} // namespace actpip::core
