#pragma once
// One HTTP/1.1 connection (plain TCP or TLS, direct or through an HTTP proxy). Private to
// net/: the only place that includes Beast is connection.cpp.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "actpip/core/error.hpp"
#include "actpip/net/request.hpp"
#include "actpip/net/url.hpp"

typedef struct ssl_session_st SSL_SESSION;
namespace boost::asio::ssl {
class context;
}

namespace actpip::net::detail {

template <class T>
using task = boost::asio::awaitable<T>;

// A failure and whether trying again (on a new connection) could help.
struct failure {
    core::error error;
    bool retryable = true;
};
template <class T>
using outcome = std::expected<T, failure>;

struct connection_target {
    std::string host;
    std::uint16_t port = 0;
    bool tls = false;
    bool verify = true;       // false for a trusted host
    std::optional<url> proxy; // an http:// proxy
    std::string proxy_authorization;
    std::chrono::milliseconds connect_timeout{15'000};
    std::chrono::milliseconds read_timeout{30'000};
};

struct wire_request {
    std::string method;
    std::string target; // origin-form, or absolute-form through a proxy
    std::vector<header> headers;
    std::string body;
};

struct response_head {
    unsigned status = 0;
    std::string reason;
    std::vector<header> headers;
    std::optional<std::uint64_t> content_length;
    bool has_body = false;
};

struct body_chunk {
    std::size_t bytes = 0;
    bool done = false;
};

struct session_deleter {
    void operator()(SSL_SESSION* s) const;
};
using tls_session = std::shared_ptr<SSL_SESSION>;

class connection {
public:
    // `ctx` (owned by the client) is used only for TLS targets.
    connection(boost::asio::any_io_executor ex, connection_target target,
               boost::asio::ssl::context* ctx);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    // The TLS session to offer in `open`'s handshake.
    void resume_from(tls_session s);
    task<outcome<void>> open();
    // Writes the request and reads the response head.
    task<outcome<response_head>> exchange(const wire_request& req, bool head_only);
    // Reads some of the body into `buf`.
    task<outcome<body_chunk>> read_body(std::span<char> buf);

    // The response was read completely and the server keeps the connection open.
    bool reusable() const;
    bool tls_resumed() const;
    // The TLS session to resume on the next connection to this host (null if none).
    tls_session session() const;
    void close();

    std::chrono::steady_clock::time_point last_used{};
    std::uint64_t id = 0;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace actpip::net::detail
