#pragma once
// The one error type of actpip: a value, never thrown. It crosses actor and process
// boundaries, so it holds only plain data.

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::core {

enum class errc {
    invalid_name,
    invalid_version,
    invalid_specifier,
    invalid_marker,
    invalid_requirement,
    invalid_tag,
    invalid_filename,
    invalid_metadata,
    invalid_requirements_file,
    invalid_hash,
    undefined_comparison,       // a marker compares values that have no defined order
    undefined_environment_name, // a marker names a variable the environment lacks
    unsupported,
    io,
    network,
    hash_mismatch,
    not_found,
    internal,
    busy, // the other side is at its bound for this client: a later try may succeed
};

// Short stable name of a code ("invalid_version"), for logs and JSON.
std::string_view to_string(errc code);

struct error {
    errc code = errc::internal;
    std::string message;
    // Outermost last: "while reading requirements.txt line 3" is pushed after the cause.
    std::vector<std::string> context;
    // Advice for a person ("use --pre to allow pre-releases").
    std::vector<std::string> hints;

    error() = default;
    error(errc c, std::string msg) : code(c), message(std::move(msg)) {}

    error& add_context(std::string what) & {
        context.push_back(std::move(what));
        return *this;
    }
    error&& add_context(std::string what) && {
        context.push_back(std::move(what));
        return std::move(*this);
    }
    error& add_hint(std::string hint) & {
        hints.push_back(std::move(hint));
        return *this;
    }
    error&& add_hint(std::string hint) && {
        hints.push_back(std::move(hint));
        return std::move(*this);
    }

    // The message followed by its context chain, outermost first:
    // "while installing flask: while fetching https://...: connection refused".
    std::string describe() const;
};

template <class T>
using result = std::expected<T, error>;

// "invalid version '1.0x': unexpected 'x' at position 3". `pos` is a 0-based byte offset
// into `text` and is printed 1-based for people.
error parse_error(errc code, std::string_view what, std::string_view text, std::size_t pos,
                  std::string_view reason);

inline std::unexpected<error> fail(errc code, std::string message) {
    return std::unexpected<error>(error{code, std::move(message)});
}

} // namespace actpip::core
