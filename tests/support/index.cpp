#include "support/index.hpp"

#include "support/files.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"

#include <vector>

namespace actpip::test {

namespace {

bool make_index_py(std::vector<std::string> args, std::string* why) {
    args.insert(args.begin(), {"python3", (source_dir() / "scripts" / "make_index.py").string()});
    auto r = run(args);
    if (r.exit_code != 0 && why)
        *why = "make_index.py failed: " + r.output;
    return r.exit_code == 0;
}

} // namespace

bool make_index(const std::filesystem::path& www, const std::filesystem::path& wheels_dir,
                std::string* why) {
    return make_index_py({www.string(), wheels_dir.string()}, why);
}

bool make_spec_index(const std::filesystem::path& www, std::string_view spec_json,
                     std::string* why) {
    auto spec = www.string() + ".spec.json";
    if (!write_file(spec, spec_json)) {
        if (why)
            *why = "cannot write " + spec;
        return false;
    }
    return make_index_py({"--spec", spec, www.string()}, why);
}

} // namespace actpip::test
