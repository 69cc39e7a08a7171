#pragma once
// The little URL handling index pages need: RFC 3986 reference resolution (section 5.2),
// fragments, percent-decoding and the file name a link points at. Minimal on purpose: no
// normalization beyond what resolution requires, no IDNA; net/ has the full URL type, but
// core must not depend on net.

#include "actpip/core/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace actpip::core {

// The five components of a URI reference (RFC 3986 appendix B); absent ones are nullopt.
struct url_parts {
    std::optional<std::string> scheme;
    std::optional<std::string> authority;
    std::string path;
    std::optional<std::string> query;
    std::optional<std::string> fragment;

    std::string to_string() const;
};

url_parts split_url(std::string_view reference);

// RFC 3986 section 5.2.2 (strict): `reference` resolved against `base`, which must be an
// absolute URI ("https://host/simple/foo/"). Leading and trailing ASCII whitespace of the
// reference is ignored, as browsers and pip do; an error names the base when it has no
// scheme.
result<std::string> resolve_url(std::string_view base, std::string_view reference);

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view path);

// The URL without the user and password of its authority, as PEP 610 (and pip) write URLs
// into direct_url.json and reports: a secret is sent in its request, never stored or shown.
// A `${VARIABLE}` userinfo (a placeholder, not a secret) is kept.
std::string url_without_credentials(std::string_view url);

// PEP 503: a project's page on an index, "<index>/<name>/" (`name` as the caller normalized
// it).
std::string project_page_url(std::string_view index, std::string_view name);

// The URL without its "#fragment".
std::string_view strip_fragment(std::string_view url);

// %XX sequences decoded (invalid ones kept as written).
std::string percent_decode(std::string_view text);

// The last segment of the URL's path, percent-decoded, without query or fragment:
// "https://h/files/foo-1.0.tar.gz?x#sha256=..." -> "foo-1.0.tar.gz". Empty when the path
// ends in '/'.
std::string url_filename(std::string_view url);

// "file://" URL of an absolute local path, with characters outside RFC 3986's unreserved
// set and '/' percent-encoded.
std::string file_url(std::string_view absolute_path);

} // namespace actpip::core
