// PEP 503 project pages (and find-links pages), with PEP 592 data-yanked, PEP 658/714
// data-core-metadata / data-dist-info-metadata and PEP 629's repository version meta tag.

#include "actpip/core/html_anchors.hpp"
#include "actpip/core/index_url.hpp"
#include "actpip/core/name.hpp"
#include "actpip/core/project_page.hpp"

namespace actpip::core {

namespace {

// "true", "" or "<algorithm>=<hex>"; a hash actpip does not know still means "available".
core_metadata_availability metadata_attribute(const std::string& value) {
    core_metadata_availability out;
    if (value == "false") {
        return out;
    }
    out.available = true;
    if (auto digest = parse_hash_fragment(value)) {
        out.hashes.push_back(std::move(*digest));
    }
    return out;
}

} // namespace

result<project_page> parse_project_page_html(std::string_view body, std::string_view url,
                                             std::string_view project) {
    auto bad = [&](std::string why) {
        return fail(errc::invalid_metadata,
                    "malformed index page " + std::string(url) + ": " + std::move(why));
    };
    if (body.find('\0') != std::string_view::npos) {
        return bad("the body is binary data, not HTML");
    }
    auto links = scan_html_links(body);
    if (!links) {
        return bad(links.error().message);
    }
    project_page page;
    page.name = normalize_name(project);
    page.url = std::string(url);
    page.api_version = "1.0";
    for (const auto& meta : links->metas) {
        if (meta.get("name") == "pypi:repository-version") {
            page.api_version = meta.get("content").value_or("");
            if (!page.api_version.starts_with("1.") && page.api_version != "1") {
                return bad("unsupported repository version '" + page.api_version +
                           "' (actpip understands 1.x)");
            }
        }
    }
    std::string base(url);
    if (links->base_href && !links->base_href->empty()) {
        auto resolved = resolve_url(url, *links->base_href);
        if (!resolved) {
            return bad(resolved.error().message);
        }
        base = std::move(*resolved);
    }
    for (const auto& anchor : links->anchors) {
        auto href = anchor.get("href");
        if (!href) {
            continue; // <a name=...> and the like
        }
        auto absolute = resolve_url(base, *href);
        if (!absolute) {
            return bad(absolute.error().message);
        }
        project_file file;
        file.url = std::string(strip_fragment(*absolute));
        file.filename = url_filename(file.url);
        if (file.filename.empty()) {
            continue; // a link to a directory, not a file
        }
        auto digest = find_url_hash(*absolute);
        if (!digest) {
            return bad("link " + *absolute + ": " + digest.error().message);
        }
        if (*digest) {
            file.hashes.push_back(std::move(**digest));
        }
        if (auto rp = anchor.get("data-requires-python"); rp && !rp->empty()) {
            file.requires_python = std::move(*rp);
        }
        if (auto yanked = anchor.get("data-yanked")) {
            file.yanked = true;
            if (!yanked->empty()) {
                file.yanked_reason = std::move(*yanked);
            }
        }
        auto metadata = anchor.get("data-core-metadata");
        if (!metadata) {
            metadata = anchor.get("data-dist-info-metadata");
        }
        if (metadata) {
            file.core_metadata = metadata_attribute(*metadata);
        }
        page.files.push_back(std::move(file));
    }
    return page;
}

} // namespace actpip::core
