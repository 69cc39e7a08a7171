#pragma once
// The wheel tags a probed interpreter supports, best first: the bridge between what
// probe_interpreter reads and core's tag rules (PEP 425, PEP 600 with this machine's glibc,
// PEP 656, abi3).

#include "actpip/core/platform_tags.hpp"
#include "actpip/storage/interpreter.hpp"

#include <vector>

namespace actpip::storage {

core::interpreter_info tag_facts(const interpreter_info& info);

inline std::vector<core::tag> supported_tags(const interpreter_info& info) {
    return core::supported_tags(tag_facts(info));
}

} // namespace actpip::storage
