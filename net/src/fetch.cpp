#include "fetch.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <vector>

#include "actpip/net/content_decoder.hpp"
#include "actpip/net/percent_encoding.hpp"
#include "connection_pool.hpp"

namespace actpip::net::detail {

namespace asio = boost::asio;

std::string base64(std::string_view in) {
    static constexpr char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
    }
    if (i + 1 == in.size()) {
        unsigned v = byte(i) << 16;
        out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        unsigned v = (byte(i) << 16) | (byte(i + 1) << 8);
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
    }
    return out;
}

std::string basic_authorization(const url& u) {
    std::string pair = percent_decode_lenient(u.username()) + ":" +
                       percent_decode_lenient(u.password().value_or(""));
    return "Basic " + base64(pair);
}

namespace {

bool is_redirect(unsigned s) {
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

struct hop_state {
    const request& req;
    url target; // with credentials to send (URL's own or netrc's)
    std::string method;
    std::string body;
    bool can_redirect; // hops remain
};

// The result of one try: a response, or a failure that says whether to try again.
struct attempt_result {
    std::optional<response> resp;
    failure fail;
    bool retryable_status = false; // resp holds a status worth retrying
};

class fetcher {
public:
    fetcher(fetch_env& env, request req) : env_(env), req_(std::move(req)) {}

    task<core::result<response>> run() {
        url current = req_.target.without_fragment();
        std::string method = req_.method;
        std::string body = req_.body;
        for (int hop = 0;; ++hop) {
            if (!current.has_credentials() && current.scheme() != "file") {
                if (auto c = env_.options.credentials.lookup(current.host()))
                    current.set_credentials(c->username, c->password);
            }
            hop_state st{req_, current, method, body, hop < req_.max_redirects};
            auto r = co_await with_retries(st);
            if (!r)
                co_return std::unexpected(std::move(r.error()));
            r->redirects = hop;
            if (!is_redirect(r->status) || !r->header_value("Location"))
                co_return std::move(*r);
            auto next = current.resolve(*r->header_value("Location"));
            if (!next)
                co_return std::unexpected(core::error{
                    core::errc::network, "invalid redirect Location: " + next.error().message}
                                              .add_context("while fetching " + current.redacted()));
            if (hop >= req_.max_redirects)
                co_return std::unexpected(
                    core::error{core::errc::network, "too many redirects (more than " +
                                                         std::to_string(req_.max_redirects) + ")"}
                        .add_context("while fetching " + req_.target.redacted()));
            // Credentials never follow a redirect to another origin.
            if (next->origin() != current.origin() && !next->has_credentials())
                *next = next->without_credentials();
            else if (next->origin() == current.origin() && !next->has_credentials() &&
                     current.has_credentials())
                next->set_credentials(
                    percent_decode_lenient(current.username()),
                    current.password() ? std::optional(percent_decode_lenient(*current.password()))
                                       : std::nullopt);
            if (r->status == 303 || ((r->status == 301 || r->status == 302) && method == "POST")) {
                if (method != "HEAD")
                    method = "GET";
                body.clear();
            }
            current = next->without_fragment();
        }
    }

private:
    task<core::result<response>> with_retries(hop_state& st) {
        if (st.target.scheme() == "file") {
            request copy = req_;
            copy.target = st.target;
            auto r = fetch_file(copy);
            if (r)
                r->final_url = st.target.without_credentials();
            co_return r;
        }
        auto pool = env_.pool_for(st.target);
        if (!pool)
            co_return std::unexpected(
                std::move(pool.error()).add_context("while fetching " + st.target.redacted()));
        bool idempotent = is_idempotent(st.method);
        for (int attempt = 1;; ++attempt) {
            auto a = co_await once(**pool, st, attempt);
            bool again = idempotent && (a.resp ? a.retryable_status : a.fail.retryable);
            std::optional<std::chrono::milliseconds> wait;
            if (again) {
                std::optional<std::string_view> retry_after;
                if (a.resp)
                    retry_after = a.resp->header_value("Retry-After");
                wait = env_.retry.delay(attempt + 1, retry_after);
            }
            if (!wait) {
                if (a.resp && !a.retryable_status) {
                    a.resp->attempts = attempt;
                    co_return std::move(*a.resp);
                }
                core::error e = a.resp ? core::error{core::errc::network,
                                                     "HTTP " + std::to_string(a.resp->status) +
                                                         " " + a.resp->reason}
                                       : std::move(a.fail.error);
                if (attempt > 1)
                    e.message += " (after " + std::to_string(attempt) + " attempts)";
                co_return std::unexpected(
                    std::move(e).add_context("while fetching " + st.target.redacted()));
            }
            emit(event_kind::retrying, st.target,
                 a.resp ? "HTTP " + std::to_string(a.resp->status) : a.fail.error.message,
                 a.resp ? a.resp->status : 0);
            asio::steady_timer timer(env_.ex, *wait);
            boost::system::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }

    void emit(event_kind kind, const url& u, std::string detail = {}, unsigned status = 0,
              std::uint64_t bytes = 0, std::optional<std::uint64_t> total = std::nullopt) {
        if (!env_.options.on_event && !req_.on_event)
            return;
        event e{kind, u.origin(), u.redacted(), bytes, total, status, std::move(detail)};
        // The pool reports connection_opened to the client's callback itself.
        if (env_.options.on_event && kind != event_kind::connection_opened)
            env_.options.on_event(e);
        if (req_.on_event)
            req_.on_event(e);
    }

    wire_request make_wire(const hop_state& st, connection_pool& pool) {
        (void)pool;
        wire_request w;
        w.method = st.method;
        const auto& o = env_.options;
        auto proxy = o.proxies.proxy_for(st.target);
        bool absolute = proxy && st.target.scheme() == "http";
        w.target = absolute ? st.target.without_credentials().to_string() : st.target.target();
        w.headers.push_back({"Host", st.target.authority()});
        w.headers.push_back({"User-Agent", o.user_agent});
        bool compressed = st.req.accept_compressed && !st.req.range;
        w.headers.push_back({"Accept-Encoding", compressed ? "gzip, deflate" : "identity"});
        if (st.req.range)
            w.headers.push_back({"Range", st.req.range->to_header()});
        if (st.req.if_none_match)
            w.headers.push_back({"If-None-Match", *st.req.if_none_match});
        if (st.req.if_modified_since)
            w.headers.push_back({"If-Modified-Since", *st.req.if_modified_since});
        if (st.target.has_credentials())
            w.headers.push_back({"Authorization", basic_authorization(st.target)});
        if (absolute && proxy->has_credentials())
            w.headers.push_back({"Proxy-Authorization", basic_authorization(*proxy)});
        for (const auto& h : st.req.headers)
            w.headers.push_back(h);
        w.body = st.body;
        return w;
    }

    task<attempt_result> once(connection_pool& pool, hop_state& st, int attempt) {
        attempt_result out;
        auto wire = make_wire(st, pool);
        bool head_only = st.method == "HEAD";
        // A kept-alive connection may have been closed by the server meanwhile: a failure
        // before any response byte on a reused connection is retried at once, uncounted.
        for (int stale = 0;; ++stale) {
            if (stale == 0 && attempt == 1)
                emit(event_kind::request_started, st.target);
            auto lease = co_await pool.acquire(st.req.prio, st.req.cancel.get());
            if (!lease) {
                out.fail = std::move(lease.error());
                co_return out;
            }
            if (!lease->reused)
                emit(event_kind::connection_opened, st.target,
                     lease->conn->tls_resumed() ? "tls resumed" : "");
            auto head = co_await lease->conn->exchange(wire, head_only);
            if (!head) {
                pool.release(std::move(lease->conn));
                if (lease->reused && stale < 2)
                    continue;
                out.fail = std::move(head.error());
                co_return out;
            }
            co_await read_body(pool, std::move(lease->conn), lease->reused, st, *head, out);
            co_return out;
        }
    }

    task<void> read_body(connection_pool& pool, std::unique_ptr<connection> conn, bool reused,
                         hop_state& st, response_head& head, attempt_result& out) {
        response resp;
        resp.status = head.status;
        resp.reason = std::move(head.reason);
        resp.headers = std::move(head.headers);
        resp.final_url = st.target.without_credentials();
        resp.connection_reused = reused;
        resp.tls_resumed = conn->tls_resumed();
        bool redirect = is_redirect(resp.status) && st.can_redirect;
        out.retryable_status = retry_policy::retryable_status(resp.status);
        bool to_sink = st.req.sink && resp.ok();
        // Bodies we do not want (redirects, retried errors): drained when small, else the
        // connection is dropped instead.
        bool discard = redirect || out.retryable_status;
        std::uint64_t limit = discard ? 0 : st.req.body_limit;
        if (discard) {
            if (head.has_body && (!head.content_length || *head.content_length > 65536)) {
                conn->close();
                pool.release(std::move(conn));
                out.resp = std::move(resp);
                co_return;
            }
            limit = 65536;
        }
        if (head.content_length && *head.content_length > limit &&
            !(st.req.accept_compressed && resp.header_value("Content-Encoding"))) {
            conn->close();
            pool.release(std::move(conn));
            out.fail = failure{
                core::error{core::errc::network,
                            "response body of " + std::to_string(*head.content_length) +
                                " bytes exceeds the limit of " + std::to_string(limit) + " bytes"},
                false};
            co_return;
        }
        std::optional<content_decoder> decoder;
        if (st.req.accept_compressed && !st.req.range && !discard) {
            if (auto ce = resp.header_value("Content-Encoding")) {
                if (auto enc = content_decoder::from_header(*ce);
                    enc && *enc != content_decoder::encoding::identity)
                    decoder.emplace(*enc);
            }
        }
        if (decoder) {
            std::erase_if(resp.headers, [](const header& h) {
                return iequals(h.name, "Content-Encoding") || iequals(h.name, "Content-Length");
            });
        }
        std::uint64_t delivered = 0;
        std::uint64_t next_progress = env_.options.progress_step;
        bool sink_failed = false;
        content_decoder::output deliver = [&](std::string_view chunk) -> core::result<void> {
            delivered += chunk.size();
            if (delivered > limit)
                return core::fail(core::errc::network, "response body exceeds the limit of " +
                                                           std::to_string(limit) + " bytes");
            if (to_sink && !discard) {
                auto r = st.req.sink(chunk);
                if (!r)
                    sink_failed = true;
                return r;
            }
            if (!discard)
                resp.body.append(chunk);
            return {};
        };
        if (!discard && !to_sink && head.content_length && !decoder)
            resp.body.reserve(static_cast<std::size_t>(*head.content_length));
        std::size_t buf_size = 256 * 1024;
        if (head.content_length && !decoder)
            buf_size = std::clamp<std::size_t>(static_cast<std::size_t>(*head.content_length) + 1,
                                               4096, buf_size);
        std::vector<char> buf(head.has_body ? buf_size : 0);
        bool done = !head.has_body;
        while (!done) {
            auto chunk = co_await conn->read_body(buf);
            if (!chunk) {
                pool.release(std::move(conn));
                out.fail = std::move(chunk.error());
                if (head.content_length)
                    out.fail.error.message += " (" + std::to_string(delivered) + " of " +
                                              std::to_string(*head.content_length) +
                                              " bytes received)";
                out.fail.retryable = !to_sink || delivered == 0;
                co_return;
            }
            done = chunk->done;
            std::string_view data(buf.data(), chunk->bytes);
            auto r = decoder ? decoder->write(data, deliver) : deliver(data);
            if (r && done && decoder)
                r = decoder->finish();
            if (!r) {
                conn->close();
                pool.release(std::move(conn));
                out.fail = failure{std::move(r.error()), false};
                (void)sink_failed;
                co_return;
            }
            if (delivered >= next_progress) {
                emit(event_kind::bytes_received, st.target, {}, resp.status, delivered,
                     head.content_length);
                next_progress = delivered + env_.options.progress_step;
            }
        }
        pool.release(std::move(conn));
        resp.body_bytes = delivered;
        emit(event_kind::request_finished, st.target, {}, resp.status, delivered,
             head.content_length);
        out.resp = std::move(resp);
    }

    fetch_env& env_;
    request req_;
};

} // namespace

task<core::result<response>> run_fetch(fetch_env& env, request req) {
    fetcher f(env, std::move(req));
    co_return co_await f.run();
}

} // namespace actpip::net::detail
