#include "actpip/core/candidate.hpp"

#include "actpip/core/name.hpp"
#include "actpip/core/sdist_filename.hpp"

namespace actpip::core {

page_candidates candidates_from_page(const project_page& page, std::string_view name,
                                     std::string_view source) {
    page_candidates out;
    std::string wanted = name.empty() ? page.name : normalize_name(name);
    for (const auto& file : page.files) {
        candidate c;
        c.file = file;
        c.source = std::string(source);
        const auto& filename = file.filename;
        if (filename.ends_with(".whl")) {
            auto parsed = parse_wheel_filename(filename);
            if (!parsed) {
                out.skipped.push_back({filename, parsed.error().message});
                continue;
            }
            c.name = parsed->name;
            c.version = parsed->version;
            c.kind = distribution_kind::wheel;
            c.wheel = std::move(*parsed);
        } else if (filename.ends_with(".tar.gz") || filename.ends_with(".zip")) {
            auto parsed = parse_sdist_filename(filename);
            if (!parsed) {
                out.skipped.push_back({filename, parsed.error().message});
                continue;
            }
            c.name = parsed->name;
            c.version = parsed->version;
            c.kind = distribution_kind::sdist;
        } else {
            out.skipped.push_back({filename, "not a wheel or an sdist"});
            continue;
        }
        if (!wanted.empty() && c.name != wanted) {
            out.skipped.push_back({filename, "a distribution of " + c.name + ", not " + wanted});
            continue;
        }
        out.candidates.push_back(std::move(c));
    }
    return out;
}

} // namespace actpip::core
