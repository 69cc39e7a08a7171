#pragma once
// Private pieces of the requirements file parser: line preprocessing, shell-like splitting,
// option parsing and path joining, each as pip (and Python's shlex/optparse/urljoin) does it.

#include "actpip/core/error.hpp"
#include "actpip/core/requirements_file.hpp"

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace actpip::core::detail {

struct logical_line {
    std::size_t number = 0; // 1-based, the first physical line
    std::string text;       // joined, comment removed, trimmed, ${VAR} expanded
};

// pip's preprocess(): split lines, join `\` continuations, drop comments and blank lines,
// expand ${VAR} (names of A-Z, 0-9 and _).
std::vector<logical_line> preprocess_requirements_text(std::string_view content,
                                                       const environment_lookup& env);

// pip's break_args_options(): the words before the first one starting with '-' (split on
// single spaces, trimmed), and the rest.
struct args_and_options {
    std::string args;
    std::string options;
};
args_and_options break_args_options(std::string_view line);

// shlex.split() in POSIX mode. The error is a bare reason ("no closing quotation").
result<std::vector<std::string>> shell_split(std::string_view text);

enum class option_id {
    index_url,
    extra_index_url,
    no_index,
    constraint,
    requirement,
    editable,
    find_links,
    no_binary,
    only_binary,
    prefer_binary,
    require_hashes,
    pre,
    trusted_host,
    use_feature,
    global_option,
    config_settings,
    hash,
};

struct parsed_option {
    option_id id = option_id::index_url;
    std::string spelled; // "-i", "--index-url"
    std::string value;   // empty for flags
};

// optparse over pip's requirements-file options: long options by unique prefix,
// `--opt=value`, `--opt value`, `-xvalue`, `-x value`. Arguments that are not options are
// errors here (pip ignores them silently). The error is a bare reason.
result<std::vector<parsed_option>> parse_options(const std::vector<std::string>& args);

// pip's FormatControl.handle_mutual_excludes; the error is a bare reason.
result<void> apply_format_control(std::string_view value, std::set<std::string>& target,
                                  std::set<std::string>& other);

// pip's parse_req_from_line for what actpip installs: a PEP 508 requirement, or a wheel
// file named by path or URL (with `[extras]` for paths and `; marker`). VCS URLs, source
// archives and directories are errors. The error is a bare reason naming the text.
result<std::variant<requirement, direct_file>> classify_requirement(std::string_view text);

// `^(http|https|file):` case-insensitively: the references pip joins as URLs.
bool is_url_reference(std::string_view text);
// A scheme followed by ':' (RFC 3986 shape).
bool has_scheme(std::string_view text);

// Lexical normalization: collapses "." and "name/..", keeps leading ".." of relative paths.
std::string normalize_path(std::string_view path);
// Where pip looks for `reference` named in `including`: urljoin for an including URL, the
// including file's directory joined to a relative path, URLs and absolute paths unchanged.
std::string join_reference(std::string_view including, std::string_view reference);

} // namespace actpip::core::detail
