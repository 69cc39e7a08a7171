#pragma once
// core::error as a message field: serializable, so a failure keeps its message, context and
// hints across actors and across processes.

#include "actpip/core/error.hpp"

#include <caf/meta/type_name.hpp>

namespace actpip::core {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, error& x) {
    return f(caf::meta::type_name("actpip_error"), x.code, x.message, x.context, x.hints);
}

} // namespace actpip::core
