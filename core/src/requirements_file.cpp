// Requirements files: reading lines, following -r/-c includes, and turning requirement lines
// into entries. Line-level helpers are in requirements_file_lines.cpp, options in
// requirements_file_options.cpp, requirement lines in requirements_file_entry.cpp.

#include "actpip/core/requirements_file.hpp"

#include "requirements_file_detail.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace actpip::core {
namespace {

constexpr std::size_t max_include_depth = 64;

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// The reason, followed by the line unless the reason already quotes it.
std::string in_line(const std::string& reason, std::string_view line) {
    if (reason.find(line) != std::string::npos) {
        return reason;
    }
    return reason + " in " + quoted(line);
}

class parser {
public:
    parser(requirements_file& out, const requirements_file_loader& load,
           const environment_lookup& env)
        : out_(out), load_(load), env_(env) {}

    result<void> parse_content(std::string_view content, const std::string& path,
                               requirements_file_kind kind) {
        out_.files.push_back(path);
        stack_.push_back(key_of(path));
        for (const auto& line : detail::preprocess_requirements_text(content, env_)) {
            if (auto ok = handle_line(line, path, kind); !ok) {
                return ok;
            }
        }
        stack_.pop_back();
        return {};
    }

    result<void> parse_file(const std::string& path, requirements_file_kind kind,
                            const std::string& context) {
        if (!load_) {
            return std::unexpected(error(errc::io, "cannot read " + path + ": no loader was given")
                                       .add_context(context));
        }
        auto content = load_(path);
        if (!content) {
            return std::unexpected(std::move(content.error()).add_context(context));
        }
        return parse_content(*content, path, kind);
    }

private:
    static std::string key_of(const std::string& path) {
        return detail::is_url_reference(path) ? path : detail::normalize_path(path);
    }

    static std::unexpected<error> fail_at(const std::string& file, std::size_t line,
                                          std::string message) {
        return fail(errc::invalid_requirements_file,
                    file + " line " + std::to_string(line) + ": " + std::move(message));
    }

    result<void> handle_line(const detail::logical_line& line, const std::string& path,
                             requirements_file_kind kind) {
        const auto [args, options_text] = detail::break_args_options(line.text);
        auto words = detail::shell_split(options_text);
        if (!words) {
            return fail_at(path, line.number,
                           "cannot split options (" + words.error().message + ") in " +
                               quoted(line.text));
        }
        auto options = detail::parse_options(*words);
        if (!options) {
            return fail_at(path, line.number, in_line(options.error().message, line.text));
        }
        for (const auto& opt : *options) {
            if (opt.id == detail::option_id::editable) {
                auto e = fail_at(path, line.number,
                                 "editable requirements are not supported: " + quoted(line.text));
                e.error().add_hint("actpip installs wheels only; build a wheel of the project "
                                   "and name that file instead");
                return e;
            }
            if (opt.id == detail::option_id::global_option ||
                opt.id == detail::option_id::config_settings) {
                return fail_at(path, line.number,
                               opt.spelled +
                                   " is not supported (actpip installs wheels and "
                                   "builds nothing) in " +
                                   quoted(line.text));
            }
        }
        if (!args.empty()) {
            return handle_requirement(line, args, *options, path, kind);
        }
        for (const auto& opt : *options) {
            if (auto ok = apply_option(line, opt, path); !ok) {
                return ok;
            }
        }
        return {};
    }

    result<void> handle_requirement(const detail::logical_line& line, const std::string& args,
                                    const std::vector<detail::parsed_option>& options,
                                    const std::string& path, requirements_file_kind kind) {
        requirements_file_entry entry;
        for (const auto& opt : options) {
            if (opt.id != detail::option_id::hash) {
                return fail_at(path, line.number,
                               "option " + opt.spelled +
                                   " cannot be used on a requirement line; put it on a line of "
                                   "its own: " +
                                   quoted(line.text));
            }
            auto hash = parse_hash_option(opt.value);
            if (!hash) {
                return fail_at(path, line.number, in_line(hash.error().message, line.text));
            }
            entry.hashes.push_back(std::move(*hash));
        }
        auto spec = detail::classify_requirement(args);
        if (!spec) {
            return fail_at(path, line.number, spec.error().message);
        }
        const auto* req = std::get_if<requirement>(&*spec);
        const bool extras =
            req != nullptr ? !req->extras.empty() : !std::get<direct_file>(*spec).extras.empty();
        if (kind == requirements_file_kind::constraints && extras) {
            return fail_at(path, line.number,
                           "constraints cannot have extras: " + quoted(line.text));
        }
        entry.spec = std::move(*spec);
        entry.source = path;
        entry.line = line.number;
        entry.text = args;
        auto& target =
            kind == requirements_file_kind::constraints ? out_.constraints : out_.requirements;
        target.push_back(std::move(entry));
        return {};
    }

    result<void> include(const detail::logical_line& line, const detail::parsed_option& opt,
                         const std::string& path, requirements_file_kind kind) {
        const auto nested = detail::join_reference(path, opt.value);
        if (std::find(stack_.begin(), stack_.end(), key_of(nested)) != stack_.end()) {
            return fail_at(path, line.number,
                           nested + " recursively references itself in " + path + " (" +
                               quoted(line.text) + ")");
        }
        if (stack_.size() >= max_include_depth) {
            return fail_at(path, line.number,
                           "requirements files nested more than " +
                               std::to_string(max_include_depth) + " deep at " + quoted(line.text));
        }
        return parse_file(nested, kind,
                          "while reading " + nested + " (" + opt.spelled + " in " + path +
                              " line " + std::to_string(line.number) + ")");
    }

    result<void> apply_option(const detail::logical_line& line, const detail::parsed_option& opt,
                              const std::string& path) {
        auto& o = out_.options;
        result<void> ok;
        switch (opt.id) {
        case detail::option_id::index_url:
            o.index_url = opt.value;
            break;
        case detail::option_id::extra_index_url:
            o.extra_index_urls.push_back(opt.value);
            break;
        case detail::option_id::no_index:
            o.no_index = true;
            break;
        case detail::option_id::requirement:
            return include(line, opt, path, requirements_file_kind::requirements);
        case detail::option_id::constraint:
            return include(line, opt, path, requirements_file_kind::constraints);
        case detail::option_id::find_links: {
            const bool as_is = detail::has_scheme(opt.value) || opt.value.starts_with('/');
            o.find_links.push_back(
                {opt.value, as_is ? opt.value : detail::join_reference(path, opt.value)});
            break;
        }
        case detail::option_id::no_binary:
            ok = detail::apply_format_control(opt.value, o.no_binary, o.only_binary);
            break;
        case detail::option_id::only_binary:
            ok = detail::apply_format_control(opt.value, o.only_binary, o.no_binary);
            break;
        case detail::option_id::prefer_binary:
            o.prefer_binary = true;
            break;
        case detail::option_id::require_hashes:
            o.require_hashes = true;
            break;
        case detail::option_id::pre:
            o.pre = true;
            break;
        case detail::option_id::trusted_host:
            o.trusted_hosts.push_back(opt.value);
            break;
        case detail::option_id::use_feature:
            if (std::find(o.use_features.begin(), o.use_features.end(), opt.value) ==
                o.use_features.end()) {
                o.use_features.push_back(opt.value);
            }
            break;
        case detail::option_id::hash: {
            auto e = fail_at(path, line.number,
                             "--hash without a requirement on the same line: " + quoted(line.text));
            e.error().add_hint("end the requirement's line with '\\' to continue it on the "
                               "next line");
            return e;
        }
        case detail::option_id::editable:
        case detail::option_id::global_option:
        case detail::option_id::config_settings:
            break; // rejected in handle_line
        }
        if (!ok) {
            return fail_at(path, line.number, in_line(ok.error().message, line.text));
        }
        return {};
    }

    requirements_file& out_;
    const requirements_file_loader& load_;
    const environment_lookup& env_;
    std::vector<std::string> stack_; // the files being read, outermost first
};

} // namespace

result<void> parse_requirements_file_into(requirements_file& into, const std::string& path,
                                          const requirements_file_loader& load,
                                          const environment_lookup& env,
                                          requirements_file_kind kind) {
    parser p(into, load, env);
    return p.parse_file(path, kind, "while reading requirements file " + path);
}

result<requirements_file> parse_requirements_file(const std::string& path,
                                                  const requirements_file_loader& load,
                                                  const environment_lookup& env,
                                                  requirements_file_kind kind) {
    requirements_file out;
    if (auto ok = parse_requirements_file_into(out, path, load, env, kind); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return out;
}

result<requirements_file> parse_requirements_text(std::string_view content, const std::string& path,
                                                  const requirements_file_loader& load,
                                                  const environment_lookup& env,
                                                  requirements_file_kind kind) {
    requirements_file out;
    parser p(out, load, env);
    if (auto ok = p.parse_content(content, path, kind); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return out;
}

} // namespace actpip::core
