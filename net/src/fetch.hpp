#pragma once
// One request through redirects and retries, on the client's thread. Private to net/.

#include <functional>
#include <memory>

#include "actpip/net/client.hpp"
#include "actpip/net/retry_policy.hpp"
#include "connection.hpp"

namespace actpip::net::detail {

class connection_pool;

struct fetch_env {
    boost::asio::any_io_executor ex;
    const client_options& options;
    retry_policy& retry;
    // The pool for an http(s) URL's origin, or an error (plain HTTP refused, bad scheme).
    std::function<core::result<std::shared_ptr<connection_pool>>(const url&)> pool_for;
};

task<core::result<response>> run_fetch(fetch_env& env, request req);

// file:// URLs: a file (with Range), or a directory as an HTML page of links.
core::result<response> fetch_file(const request& req);

std::string base64(std::string_view in);
// "Basic <base64(user:password)>" from percent-encoded URL credentials.
std::string basic_authorization(const url& u);

} // namespace actpip::net::detail
