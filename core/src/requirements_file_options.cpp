// The options pip accepts in requirements files, parsed the way optparse parses them.

#include "requirements_file_detail.hpp"

#include "actpip/core/name.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core::detail {
namespace {

struct option_spec {
    option_id id;
    char short_name; // '\0' when none
    std::string_view long_name;
    bool takes_value;
};

constexpr std::array<option_spec, 18> option_table{{
    {option_id::index_url, 'i', "--index-url", true},
    {option_id::index_url, '\0', "--pypi-url", true},
    {option_id::extra_index_url, '\0', "--extra-index-url", true},
    {option_id::no_index, '\0', "--no-index", false},
    {option_id::constraint, 'c', "--constraint", true},
    {option_id::requirement, 'r', "--requirement", true},
    {option_id::editable, 'e', "--editable", true},
    {option_id::find_links, 'f', "--find-links", true},
    {option_id::no_binary, '\0', "--no-binary", true},
    {option_id::only_binary, '\0', "--only-binary", true},
    {option_id::prefer_binary, '\0', "--prefer-binary", false},
    {option_id::require_hashes, '\0', "--require-hashes", false},
    {option_id::pre, '\0', "--pre", false},
    {option_id::trusted_host, '\0', "--trusted-host", true},
    {option_id::use_feature, '\0', "--use-feature", true},
    {option_id::global_option, '\0', "--global-option", true},
    {option_id::config_settings, '\0', "--config-settings", true},
    {option_id::hash, '\0', "--hash", true},
}};

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// optparse's _match_abbrev: an exact name, else the only name the text is a prefix of.
result<const option_spec*> match_long(std::string_view name) {
    std::vector<const option_spec*> candidates;
    for (const auto& spec : option_table) {
        if (spec.long_name == name) {
            return &spec;
        }
        if (spec.long_name.starts_with(name)) {
            candidates.push_back(&spec);
        }
    }
    if (candidates.size() == 1) {
        return candidates.front();
    }
    if (candidates.empty()) {
        return fail(errc::invalid_requirements_file, "unknown option " + quoted(name));
    }
    std::string names;
    for (const auto* c : candidates) {
        names += names.empty() ? "" : ", ";
        names += c->long_name;
    }
    return fail(errc::invalid_requirements_file,
                "ambiguous option " + quoted(name) + " (could be " + names + ")");
}

const option_spec* match_short(char c) {
    for (const auto& spec : option_table) {
        if (spec.short_name == c) {
            return &spec;
        }
    }
    return nullptr;
}

} // namespace

result<std::vector<parsed_option>> parse_options(const std::vector<std::string>& args) {
    std::vector<parsed_option> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "--") {
            if (i + 1 < args.size()) {
                return fail(errc::invalid_requirements_file,
                            "unexpected argument " + quoted(args[i + 1]));
            }
            break;
        }
        if (arg.starts_with("--")) {
            const auto eq = arg.find('=');
            const auto name = arg.substr(0, eq);
            auto spec = match_long(name);
            if (!spec) {
                return std::unexpected(std::move(spec.error()));
            }
            const auto* s = *spec;
            parsed_option opt{s->id, std::string(s->long_name), {}};
            if (eq != std::string_view::npos) {
                if (!s->takes_value) {
                    return fail(errc::invalid_requirements_file,
                                std::string(s->long_name) + " option does not take a value");
                }
                opt.value = std::string(arg.substr(eq + 1));
            } else if (s->takes_value) {
                if (i + 1 >= args.size()) {
                    return fail(errc::invalid_requirements_file,
                                std::string(s->long_name) + " option requires 1 argument");
                }
                opt.value = args[++i];
            }
            out.push_back(std::move(opt));
        } else if (arg.size() > 1 && arg.starts_with('-')) {
            const auto* s = match_short(arg[1]);
            if (s == nullptr) {
                return fail(errc::invalid_requirements_file,
                            "unknown option " + quoted(arg.substr(0, 2)));
            }
            parsed_option opt{s->id, "-" + std::string(1, s->short_name), {}};
            if (arg.size() > 2) {
                opt.value = std::string(arg.substr(2));
            } else if (i + 1 >= args.size()) {
                return fail(errc::invalid_requirements_file,
                            opt.spelled + " option requires 1 argument");
            } else {
                opt.value = args[++i];
            }
            out.push_back(std::move(opt));
        } else {
            return fail(errc::invalid_requirements_file, "unexpected argument " + quoted(arg));
        }
    }
    return out;
}

result<void> apply_format_control(std::string_view value, std::set<std::string>& target,
                                  std::set<std::string>& other) {
    if (value.starts_with('-')) {
        return fail(errc::invalid_requirements_file,
                    "--no-binary / --only-binary option requires 1 argument");
    }
    std::vector<std::string_view> items;
    std::size_t pos = 0;
    while (pos <= value.size()) {
        const auto end = std::min(value.find(',', pos), value.size());
        items.push_back(value.substr(pos, end - pos));
        pos = end + 1;
    }
    // As FormatControl.handle_mutual_excludes: ":all:" resets both sets and swallows what
    // precedes it; ":none:" clears the target; names move from the other set to this one.
    auto all = std::find(items.begin(), items.end(), ":all:");
    while (all != items.end()) {
        other.clear();
        target.clear();
        target.insert(":all:");
        items.erase(items.begin(), all + 1);
        if (std::find(items.begin(), items.end(), ":none:") == items.end()) {
            return {};
        }
        all = std::find(items.begin(), items.end(), ":all:");
    }
    for (const auto item : items) {
        if (item == ":none:") {
            target.clear();
            continue;
        }
        if (item.empty()) {
            continue;
        }
        auto name = normalize_name(item);
        other.erase(name);
        target.insert(std::move(name));
    }
    return {};
}

} // namespace actpip::core::detail
