#include "actpip/core/name.hpp"

namespace actpip::core {
namespace {

bool is_name_punctuation(char c) {
    return c == '-' || c == '_' || c == '.';
}

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

// packaging's canonicalize_name: re.sub(r"[-_.]+", "-", name).lower(). Only ASCII letters are
// lower-cased; a name with other characters is not a valid name anyway.
std::string normalize_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (std::size_t i = 0; i < name.size();) {
        if (is_name_punctuation(name[i])) {
            while (i < name.size() && is_name_punctuation(name[i])) {
                ++i;
            }
            out += '-';
        } else {
            out += ascii_lower(name[i]);
            ++i;
        }
    }
    return out;
}

// PEP 508: ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$ with re.IGNORECASE.
bool is_valid_name(std::string_view name) {
    if (name.empty() || !is_ascii_alnum(name.front()) || !is_ascii_alnum(name.back())) {
        return false;
    }
    for (char c : name) {
        if (!is_ascii_alnum(c) && !is_name_punctuation(c)) {
            return false;
        }
    }
    return true;
}

result<std::string> parse_name(std::string_view name) {
    if (name.empty()) {
        return std::unexpected(parse_error(errc::invalid_name, "name", name, 0, "empty name"));
    }
    if (!is_ascii_alnum(name.front())) {
        return std::unexpected(parse_error(errc::invalid_name, "name", name, 0,
                                           "a name must start with a letter or digit"));
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!is_ascii_alnum(name[i]) && !is_name_punctuation(name[i])) {
            return std::unexpected(
                parse_error(errc::invalid_name, "name", name, i,
                            "only ASCII letters, digits, '.', '-' and '_' are allowed"));
        }
    }
    if (!is_ascii_alnum(name.back())) {
        return std::unexpected(parse_error(errc::invalid_name, "name", name, name.size() - 1,
                                           "a name must end with a letter or digit"));
    }
    return normalize_name(name);
}

} // namespace actpip::core
