#include "actpip/core/error.hpp"

namespace actpip::core {

std::string_view to_string(errc code) {
    switch (code) {
    case errc::invalid_name:
        return "invalid_name";
    case errc::invalid_version:
        return "invalid_version";
    case errc::invalid_specifier:
        return "invalid_specifier";
    case errc::invalid_marker:
        return "invalid_marker";
    case errc::invalid_requirement:
        return "invalid_requirement";
    case errc::invalid_tag:
        return "invalid_tag";
    case errc::invalid_filename:
        return "invalid_filename";
    case errc::invalid_metadata:
        return "invalid_metadata";
    case errc::invalid_requirements_file:
        return "invalid_requirements_file";
    case errc::invalid_hash:
        return "invalid_hash";
    case errc::undefined_comparison:
        return "undefined_comparison";
    case errc::undefined_environment_name:
        return "undefined_environment_name";
    case errc::unsupported:
        return "unsupported";
    case errc::io:
        return "io";
    case errc::network:
        return "network";
    case errc::hash_mismatch:
        return "hash_mismatch";
    case errc::not_found:
        return "not_found";
    case errc::internal:
        return "internal";
    case errc::busy:
        return "busy";
    }
    return "unknown";
}

std::string error::describe() const {
    std::string out;
    for (auto it = context.rbegin(); it != context.rend(); ++it) {
        out += *it;
        out += ": ";
    }
    out += message;
    return out;
}

error parse_error(errc code, std::string_view what, std::string_view text, std::size_t pos,
                  std::string_view reason) {
    std::string msg = "invalid ";
    msg += what;
    msg += " '";
    msg += text;
    msg += "': ";
    msg += reason;
    if (pos != std::string_view::npos) {
        msg += " at position ";
        msg += std::to_string(pos + 1);
    }
    return error{code, std::move(msg)};
}

} // namespace actpip::core
