#pragma once
// CAF serialization of core::error, so replies can carry it across processes.

#include <caf/meta/type_name.hpp>

#include <cstdint>

#include "actpip/core/error.hpp"

namespace actpip::core {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, error& x) {
    return f(caf::meta::type_name("actpip_error"), x.code, x.message, x.context, x.hints);
}

} // namespace actpip::core
