#pragma once
// The fetch target (protocol/fetch.hpp) as the fetch actors use it: its key (answers that
// depend on it are kept under it) and what it compiles to (the candidate selection policy,
// with the tags computed from the interpreter's facts, and the marker environment). Pure:
// tested without actors.

#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/core/candidate_selector.hpp"
#include "actpip/core/error.hpp"
#include "actpip/core/marker.hpp"

#include <span>
#include <string>

namespace actpip::actors {

// A digest of everything in the target: two targets with the same key get the same answers.
std::string target_key(const fetch_target& target);

struct compiled_target {
    core::selection_policy policy;
    core::marker_environment markers;
};

// An error when the target cannot be used (a Python version that does not parse, no tags).
core::result<compiled_target> compile_target(const fetch_target& target);

wire_interpreter to_wire(const core::interpreter_info& info,
                         std::span<const std::string> platforms);
core::interpreter_info from_wire(const wire_interpreter& w);

} // namespace actpip::actors
