// The one translation unit with Beast in it: HTTP/1.1 over TCP or TLS, proxy CONNECT.
#include "connection.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <cstring>
#include <limits>

namespace actpip::net::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using beast::error_code;

void session_deleter::operator()(SSL_SESSION* s) const {
    SSL_SESSION_free(s);
}

namespace {

failure fail_with(std::string message, bool retryable = true) {
    return failure{core::error{core::errc::network, std::move(message)}, retryable};
}

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 ||
           inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string describe(const error_code& ec, std::chrono::milliseconds timeout) {
    if (ec == beast::error::timeout)
        return "timed out after " + std::to_string(timeout.count()) + " ms";
    if (ec == http::error::end_of_stream || ec == asio::error::eof)
        return "connection closed by the server";
    if (ec == http::error::partial_message)
        return "connection closed before the end of the body";
    return ec.message();
}

auto awaitable_ec(error_code& ec) {
    return asio::redirect_error(asio::use_awaitable, ec);
}

} // namespace

struct connection::impl {
    asio::any_io_executor ex;
    connection_target target;
    ssl::context* ctx;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;
    // Bytes of a Content-Length body still to read when the body bypasses the parser (the
    // fast path: straight from the socket into the caller's buffer, no copy).
    std::optional<std::uint64_t> direct_left;
    std::optional<http::response_parser<http::buffer_body>> parser;
    bool keep_alive = false;
    bool broken = false;
    bool resumed = false;
    tls_session resume;

    beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

    template <class Stream>
    task<error_code> write_and_read_head(Stream& s, http::request<http::string_body>& req) {
        error_code ec;
        co_await http::async_write(s, req, awaitable_ec(ec));
        if (!ec)
            co_await http::async_read_header(s, buffer, *parser, awaitable_ec(ec));
        co_return ec;
    }

    template <class Stream>
    task<std::size_t> read_direct(Stream& s, std::span<char> buf, error_code& ec) {
        std::size_t n =
            co_await s.async_read_some(asio::buffer(buf.data(), buf.size()), awaitable_ec(ec));
        co_return n;
    }

    template <class Stream>
    task<error_code> read_some(Stream& s) {
        error_code ec;
        co_await http::async_read_some(s, buffer, *parser, awaitable_ec(ec));
        co_return ec;
    }

    task<outcome<void>> proxy_connect() {
        error_code ec;
        std::string authority =
            (target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host) +
            ":" + std::to_string(target.port);
        http::request<http::empty_body> req{http::verb::connect, authority, 11};
        req.set(http::field::host, authority);
        if (!target.proxy_authorization.empty())
            req.set(http::field::proxy_authorization, target.proxy_authorization);
        co_await http::async_write(*plain, req, awaitable_ec(ec));
        http::response_parser<http::empty_body> p;
        p.skip(true);
        if (!ec)
            co_await http::async_read_header(*plain, buffer, p, awaitable_ec(ec));
        if (ec)
            co_return std::unexpected(
                fail_with("proxy CONNECT failed: " + describe(ec, target.connect_timeout)));
        if (p.get().result_int() == 407) {
            std::string proxy = target.proxy->redacted();
            core::error e{core::errc::network,
                          target.proxy_authorization.empty()
                              ? "proxy " + proxy + " requires authentication (HTTP 407) and " +
                                    "its URL has no credentials"
                              : "proxy " + proxy + " rejected the credentials in its URL " +
                                    "(HTTP 407)"};
            e.add_hint("give them in the proxy URL: http://user:password@host:port");
            co_return std::unexpected(failure{std::move(e), false});
        }
        if (p.get().result_int() != 200)
            co_return std::unexpected(fail_with(
                "proxy refused CONNECT to " + authority + ": HTTP " +
                    std::to_string(p.get().result_int()) + " " + std::string(p.get().reason()),
                false));
        buffer.consume(buffer.size());
        co_return outcome<void>{};
    }

    task<outcome<void>> handshake() {
        tls.emplace(std::move(*plain), *ctx);
        plain.reset();
        SSL* ssl_handle = tls->native_handle();
        bool ip = is_ip_literal(target.host);
        if (!ip)
            SSL_set_tlsext_host_name(ssl_handle, target.host.c_str());
        if (target.verify) {
            X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
            X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            if (ip)
                X509_VERIFY_PARAM_set1_ip_asc(param, target.host.c_str());
            else
                X509_VERIFY_PARAM_set1_host(param, target.host.c_str(), 0);
            SSL_set_verify(ssl_handle, SSL_VERIFY_PEER, nullptr);
        } else {
            SSL_set_verify(ssl_handle, SSL_VERIFY_NONE, nullptr);
        }
        if (resume)
            SSL_set_session(ssl_handle, resume.get());
        error_code ec;
        co_await tls->async_handshake(ssl::stream_base::client, awaitable_ec(ec));
        if (ec) {
            long verify = SSL_get_verify_result(ssl_handle);
            if (target.verify && verify != X509_V_OK)
                co_return std::unexpected(
                    fail_with(std::string("TLS certificate verification failed: ") +
                                  X509_verify_cert_error_string(verify),
                              false));
            co_return std::unexpected(
                fail_with("TLS handshake failed: " + describe(ec, target.connect_timeout)));
        }
        resumed = SSL_session_reused(ssl_handle) == 1;
        co_return outcome<void>{};
    }
};

connection::connection(asio::any_io_executor ex, connection_target target, ssl::context* ctx)
    : impl_(std::make_unique<impl>()) {
    impl_->ex = ex;
    impl_->target = std::move(target);
    impl_->ctx = ctx;
}

connection::~connection() {
    // Closing without a TLS close_notify would make OpenSSL mark the session as bad (not
    // resumable); the session is fine, only this connection ends.
    if (impl_->tls)
        SSL_set_shutdown(impl_->tls->native_handle(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
}

void connection::resume_from(tls_session s) {
    impl_->resume = std::move(s);
}

task<outcome<void>> connection::open() {
    auto& s = *impl_;
    const auto& t = s.target;
    std::string host = t.proxy ? t.proxy->host() : t.host;
    std::uint16_t port = t.proxy ? t.proxy->effective_port() : t.port;
    s.plain.emplace(s.ex);
    s.plain->expires_after(t.connect_timeout);
    error_code ec;
    tcp::resolver resolver(s.ex);
    std::string service = std::to_string(port);
    auto endpoints = co_await resolver.async_resolve(host, service, awaitable_ec(ec));
    if (ec)
        co_return std::unexpected(fail_with("cannot resolve " + host + ": " + ec.message()));
    co_await s.plain->async_connect(endpoints, awaitable_ec(ec));
    if (ec == beast::error::timeout)
        co_return std::unexpected(fail_with("timed out connecting to " + host + " port " +
                                            std::to_string(port) + " (after " +
                                            std::to_string(t.connect_timeout.count()) + " ms)"));
    if (ec)
        co_return std::unexpected(fail_with("cannot connect to " + host + " port " +
                                            std::to_string(port) + ": " +
                                            describe(ec, t.connect_timeout)));
    s.plain->socket().set_option(tcp::no_delay(true), ec);
    if (t.proxy && t.tls) {
        if (auto r = co_await s.proxy_connect(); !r)
            co_return r;
    }
    if (t.tls) {
        if (auto r = co_await s.handshake(); !r)
            co_return r;
    }
    s.lowest().expires_never();
    s.keep_alive = true;
    co_return outcome<void>{};
}

task<outcome<response_head>> connection::exchange(const wire_request& w, bool head_only) {
    auto& s = *impl_;
    http::request<http::string_body> req;
    req.version(11);
    auto verb = http::string_to_verb(w.method);
    if (verb == http::verb::unknown)
        req.method_string(w.method);
    else
        req.method(verb);
    req.target(w.target);
    for (const auto& h : w.headers)
        req.insert(h.name, h.value);
    if (!w.body.empty() || w.method == "POST" || w.method == "PUT") {
        req.body() = w.body;
        req.prepare_payload();
    }
    s.parser.emplace();
    s.direct_left.reset();
    if (s.buffer.capacity() < 64 * 1024)
        s.buffer.reserve(64 * 1024); // Beast reads at most capacity - size (512 when empty)
    s.parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    s.parser->header_limit(64 * 1024);
    if (head_only)
        s.parser->skip(true);
    s.lowest().expires_after(s.target.read_timeout);
    error_code ec;
    if (s.tls)
        ec = co_await s.write_and_read_head(*s.tls, req);
    else
        ec = co_await s.write_and_read_head(*s.plain, req);
    if (ec) {
        s.broken = true;
        co_return std::unexpected(fail_with(describe(ec, s.target.read_timeout)));
    }
    const auto& msg = s.parser->get();
    response_head head;
    head.status = msg.result_int();
    head.reason = std::string(msg.reason());
    for (const auto& f : msg)
        head.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    if (auto len = s.parser->content_length())
        head.content_length = *len;
    head.has_body = !s.parser->is_done();
    s.keep_alive = msg.keep_alive();
    if (head.has_body && !s.parser->chunked() && head.content_length)
        s.direct_left = *head.content_length;
    co_return head;
}

task<outcome<body_chunk>> connection::read_body(std::span<char> buf) {
    auto& s = *impl_;
    if (s.direct_left) {
        auto& left = *s.direct_left;
        if (left == 0)
            co_return body_chunk{0, true};
        auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
        // First what the header read already buffered, then straight from the socket.
        if (s.buffer.size() > 0) {
            auto n = std::min(want, s.buffer.size());
            std::memcpy(buf.data(), s.buffer.data().data(), n);
            s.buffer.consume(n);
            left -= n;
            co_return body_chunk{n, left == 0};
        }
        s.lowest().expires_after(s.target.read_timeout);
        error_code ec;
        std::size_t n = 0;
        if (s.tls)
            n = co_await s.read_direct(*s.tls, buf.first(want), ec);
        else
            n = co_await s.read_direct(*s.plain, buf.first(want), ec);
        if (ec) {
            s.broken = true;
            if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
                co_return std::unexpected(
                    fail_with("connection closed before the end of the body"));
            co_return std::unexpected(fail_with(describe(ec, s.target.read_timeout)));
        }
        left -= n;
        co_return body_chunk{n, left == 0};
    }
    if (!s.parser || s.parser->is_done())
        co_return body_chunk{0, true};
    auto& body = s.parser->get().body();
    body.data = buf.data();
    body.size = buf.size();
    body.more = true;
    s.lowest().expires_after(s.target.read_timeout);
    error_code ec;
    if (s.tls)
        ec = co_await s.read_some(*s.tls);
    else
        ec = co_await s.read_some(*s.plain);
    if (ec == http::error::need_buffer)
        ec = {};
    if (ec) {
        s.broken = true;
        co_return std::unexpected(fail_with(describe(ec, s.target.read_timeout)));
    }
    co_return body_chunk{buf.size() - body.size, s.parser->is_done()};
}

bool connection::reusable() const {
    const auto& s = *impl_;
    bool done = s.direct_left ? *s.direct_left == 0 : (!s.parser || s.parser->is_done());
    return !s.broken && s.keep_alive && done;
}

bool connection::tls_resumed() const {
    return impl_->resumed;
}

tls_session connection::session() const {
    if (!impl_->tls)
        return {};
    SSL_SESSION* sess = SSL_get1_session(impl_->tls->native_handle());
    if (!sess)
        return {};
    if (SSL_SESSION_is_resumable(sess) != 1) {
        SSL_SESSION_free(sess);
        return {};
    }
    return tls_session(sess, session_deleter{});
}

void connection::close() {
    auto& s = *impl_;
    s.broken = true;
    error_code ec;
    if (s.tls || s.plain)
        s.lowest().socket().close(ec);
}

} // namespace actpip::net::detail
