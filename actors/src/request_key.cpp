#include "actpip/actors/protocol/http.hpp"

namespace actpip::actors {

std::string request_key(const http_request& r) {
    std::string key = r.method + ' ' + r.url;
    key += " range=" + std::to_string(static_cast<int>(r.range)) + ':' +
           std::to_string(r.range_first) + '-' + std::to_string(r.range_last);
    key += " inm=" + r.if_none_match + " ims=" + r.if_modified_since + " accept=" + r.accept +
           " file=" + r.to_file;
    return key;
}

} // namespace actpip::actors
