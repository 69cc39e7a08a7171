#pragma once
// The download actor's vocabulary: a file of the index -> the verified wheel in the cache.

#include "actpip/actors/protocol/cache.hpp"
#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/actors/protocol/reply.hpp"

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>

namespace actpip::actors {

struct download_request {
    wire_file file; // url, filename and hashes are what count
    std::string session;
    storage::cache_mode cache_mode = storage::cache_mode::normal; // offline: no request
};

struct downloaded_wheel {
    artifact wheel;
    std::uint32_t requests = 0; // HTTP requests this answer cost (0: from the cache)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, download_request& x) {
    return f(caf::meta::type_name("download_request"), x.file, x.session, x.cache_mode);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, downloaded_wheel& x) {
    return f(caf::meta::type_name("downloaded_wheel"), x.wheel, x.requests);
}

// The reply is the wheel, hash-checked, or an error naming the file and the cause.
using download_actor =
    caf::typed_actor<caf::replies_to<download_request>::with<reply<downloaded_wheel>>>;

} // namespace actpip::actors
