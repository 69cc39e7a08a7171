#include "actpip/core/project_page.hpp"

#include "actpip/core/index_url.hpp"

#include <array>
#include <cctype>

namespace actpip::core {

namespace {

std::string lowered_trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace

const hash_digest* project_file::find_hash(hash_algorithm algorithm) const {
    for (const auto& h : hashes) {
        if (h.algorithm == algorithm) {
            return &h;
        }
    }
    return nullptr;
}

const hash_digest* project_file::best_hash() const {
    static constexpr std::array order{hash_algorithm::sha512, hash_algorithm::sha384,
                                      hash_algorithm::sha256, hash_algorithm::sha224,
                                      hash_algorithm::sha1,   hash_algorithm::md5};
    for (auto algorithm : order) {
        if (const auto* h = find_hash(algorithm)) {
            return h;
        }
    }
    return nullptr;
}

std::optional<page_format> page_format_for(std::string_view content_type) {
    auto type = lowered_trimmed(content_type.substr(0, content_type.find(';')));
    if (type == "application/vnd.pypi.simple.v1+json" ||
        type == "application/vnd.pypi.simple.latest+json") {
        return page_format::json;
    }
    if (type == "application/vnd.pypi.simple.v1+html" ||
        type == "application/vnd.pypi.simple.latest+html" || type == "text/html" ||
        type == "application/xhtml+xml") {
        return page_format::html;
    }
    return std::nullopt;
}

result<project_page> parse_project_page(std::string_view body, std::string_view content_type,
                                        std::string_view url, std::string_view project) {
    auto format = page_format_for(content_type);
    if (!format) {
        error e{errc::unsupported, "index page " + std::string(url) +
                                       " has an unsupported content type '" +
                                       std::string(content_type) + "'"};
        e.add_hint("an index must serve application/vnd.pypi.simple.v1+json or text/html");
        return std::unexpected(std::move(e));
    }
    if (*format == page_format::json) {
        return parse_project_page_json(body, url, project);
    }
    return parse_project_page_html(body, url, project);
}

project_page project_page_from_filenames(std::string_view base_url,
                                         const std::vector<std::string>& filenames) {
    project_page page;
    page.url = std::string(base_url);
    page.api_version = "1.0";
    std::string base(base_url);
    if (!base.ends_with('/')) {
        base += '/';
    }
    for (const auto& name : filenames) {
        project_file file;
        file.filename = name;
        // file_url() percent-encodes; its "file://" prefix is dropped to get a path segment.
        auto encoded = file_url("/" + name).substr(std::string_view("file:///").size());
        file.url = base + encoded;
        page.files.push_back(std::move(file));
    }
    return page;
}

} // namespace actpip::core
