#pragma once
// Requirements files in pip's format (`pip install -r`), read the way pip reads them:
// lines ending in `\` continue, `#` starts a comment at the start of a line or after
// whitespace, `${VAR}` expands, options are split like a shell would split them, and
// `-r`/`-c` include other files relative to the including one.
//
// The parser does no I/O: files come from a loader callback, environment variables from a
// lookup callback. actpip installs wheels only, so editable requirements, VCS URLs, source
// archives and local directories are errors that say so.

#include "actpip/core/error.hpp"
#include "actpip/core/hash.hpp"
#include "actpip/core/marker.hpp"
#include "actpip/core/requirement.hpp"
#include "actpip/core/wheel_filename.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace actpip::core {

// Returns the text of a requirements file. Gets the path or URL as the parser computed it:
// the root path as given, nested paths joined to the including file's directory (lexically
// normalized), URLs joined to an including URL; other URLs as written.
using requirements_file_loader = std::function<result<std::string>(const std::string& path)>;

// The value of an environment variable, or nullopt when unset. An unset or empty variable
// leaves `${NAME}` in the text, as pip does.
using environment_lookup = std::function<std::optional<std::string>(std::string_view name)>;

enum class requirements_file_kind { requirements, constraints };

// A line naming a wheel file by path or URL instead of by name: `./dist/x-1.0-py3-none-any.whl`,
// `https://host/x-1.0-py3-none-any.whl; python_version >= "3.8"`, `x.whl[extra]`.
struct direct_file {
    // As written (after ${VAR} expansion), without extras or markers. A relative path is
    // relative to the current directory, not to the requirements file, as in pip.
    std::string location;
    bool is_url = false;
    std::vector<std::string> extras;
    std::optional<core::marker> marker;
    wheel_filename wheel; // parsed from filename(); a name that does not parse is an error

    // The last path segment without query or fragment, percent-decoded for URLs:
    // "x-1.0+cpu-py3-none-any.whl".
    std::string filename() const;
};

struct requirements_file_entry {
    std::variant<requirement, direct_file> spec;
    std::vector<hash_digest> hashes; // --hash values in file order (sha256/384/512 only)
    std::string source;              // path or URL of the file holding the line
    std::size_t line = 0;            // 1-based; the first line of a continued line
    std::string text;                // the requirement part of the line

    const requirement* as_requirement() const { return std::get_if<requirement>(&spec); }
    const direct_file* as_direct_file() const { return std::get_if<direct_file>(&spec); }
};

// A --find-links value: as written, and joined to the directory of the file that holds it.
// pip uses the joined form when that path exists and the written one otherwise; the caller,
// which can look at the disk, decides.
struct find_links_entry {
    std::string value;
    std::string relative_to_file; // equals value for URLs and absolute paths
    friend bool operator==(const find_links_entry&, const find_links_entry&) = default;
};

struct requirements_file_options {
    std::optional<std::string> index_url; // the last -i/--index-url seen
    std::vector<std::string> extra_index_urls;
    bool no_index = false;
    std::vector<find_links_entry> find_links;
    bool pre = false;
    bool prefer_binary = false;
    bool require_hashes = false;
    // pip's format control: normalized project names, or ":all:". An --only-binary of a
    // name removes it from no_binary and the other way round; ":none:" clears.
    std::set<std::string> no_binary;
    std::set<std::string> only_binary;
    std::vector<std::string> trusted_hosts;
    std::vector<std::string> use_features; // --use-feature values, accepted and kept
};

struct requirements_file {
    std::vector<requirements_file_entry> requirements; // in reading order
    std::vector<requirements_file_entry> constraints;  // from -c files
    requirements_file_options options;                 // from every file read
    std::vector<std::string> files;                    // every file read, in order
};

// Reads `path` through `load` and every file it includes. Errors are
// errc::invalid_requirements_file with the file, the line number and the offending text in
// the message; a loader's error is passed on with context naming the including line. As in
// pip, `-r` inside a constraints file includes requirements.
result<requirements_file>
parse_requirements_file(const std::string& path, const requirements_file_loader& load,
                        const environment_lookup& env = {},
                        requirements_file_kind kind = requirements_file_kind::requirements);

// The same, adding to `into` (for several -r/-c on a command line). On error `into` may hold
// part of what was read.
result<void>
parse_requirements_file_into(requirements_file& into, const std::string& path,
                             const requirements_file_loader& load,
                             const environment_lookup& env = {},
                             requirements_file_kind kind = requirements_file_kind::requirements);

// For text already in hand (standard input, tests): `path` names it in messages and is the
// base for its relative includes, which still go through `load` (which may be empty when
// nothing is included).
result<requirements_file>
parse_requirements_text(std::string_view content, const std::string& path,
                        const requirements_file_loader& load = {},
                        const environment_lookup& env = {},
                        requirements_file_kind kind = requirements_file_kind::requirements);

} // namespace actpip::core
