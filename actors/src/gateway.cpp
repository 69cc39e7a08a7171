#include "gateway_state.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/remote_request.hpp"
#include "actpip/core/wheel_filename.hpp"

#include <caf/actor_cast.hpp>
#include <caf/node_id.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace actpip::actors {

bool same_token(const std::string& expected, const std::string& given) {
    if (expected.empty() || expected.size() != given.size())
        return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return diff == 0;
}

bool is_plain_wheel_filename(const std::string& filename) {
    if (filename.empty() || filename.size() > 255 ||
        filename.find_first_of("/\\\0", 0, 3) != std::string::npos || filename.starts_with("."))
        return false;
    return core::parse_wheel_filename(filename).has_value();
}

namespace gateway_detail {

std::string now_utc() {
    auto t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\', out += c;
        else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else
            out += c;
    }
    return out + "\"";
}

// One line of the server's log: key=value pairs, or a JSON object with `json`.
std::string format_line(bool json, log_fields fields) {
    fields.insert(fields.begin(), {"time", now_utc()});
    std::string line;
    if (json) {
        line = "{";
        for (const auto& [k, v] : fields)
            line += (line.size() > 1 ? "," : "") + json_string(k) + ":" + json_string(v);
        line += "}";
    } else {
        for (const auto& [k, v] : fields) {
            bool quote = v.find_first_of(" \t\"") != std::string::npos || v.empty();
            line += (line.empty() ? "" : " ") + k + "=" + (quote ? json_string(v) : v);
        }
    }
    return line;
}

void log_line(self_ptr self, log_fields fields) {
    const auto& o = self->state.options;
    if (o.log)
        o.log(format_line(o.log_json, std::move(fields)));
}

std::string ms_since(clock::time_point t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t).count());
}

// Who sent the message being handled: the client's name and its node.
// "name@host#pid": the name the client gave and where its process runs (the node's host
// hash, shortened, and its process id), so that two processes on one machine are two
// clients. Read before make_response_promise(), which takes the sender away.
std::string client_of(self_ptr self, const std::string& name) {
    auto shown = name.substr(0, 64);
    if (shown.empty())
        shown = "anonymous";
    if (const auto& sender = self->current_sender(); sender && sender->node() != self->node()) {
        auto node = caf::to_string(sender->node());
        auto hash = node.find('#');
        shown += "@" + node.substr(0, std::min<std::size_t>(8, hash)) +
                 (hash == std::string::npos ? "" : node.substr(hash));
    }
    return shown;
}

// A refusal: logged with why, answered with what the client is told.
core::error refuse(self_ptr self, const std::string& client, const char* request, const char* why,
                   core::errc code, std::string told) {
    log_line(self, {{"client", client}, {"request", request}, {"result", "refused"}, {"why", why}});
    return core::error{code, std::move(told)};
}

// The checks every request passes before anything is done for it.
std::optional<core::error> admit(self_ptr self, const std::string& token, const std::string& client,
                                 const char* request) {
    auto& st = self->state;
    if (!st.options.token.empty() && !same_token(st.options.token, token))
        return refuse(self, client, request, "wrong token", core::errc::unsupported,
                      "the server refused this client: wrong or missing token");
    auto& n = st.in_flight[client];
    if (n >= st.options.max_in_flight)
        return refuse(self, client, request, "too many requests in flight", core::errc::busy,
                      "the server refused a request: too many in flight from this client");
    ++n;
    return std::nullopt;
}

void release(self_ptr self, const std::string& client) {
    auto& st = self->state;
    if (auto it = st.in_flight.find(client); it != st.in_flight.end() && --it->second == 0)
        st.in_flight.erase(it);
}

void check_drains(self_ptr self) {
    auto& st = self->state;
    if (!st.transfers.empty())
        return;
    for (auto& rp : st.drains)
        rp.deliver(true);
    st.drains.clear();
}

// The client's target with the server's own sources: a client says what fits its
// interpreter, never where to fetch from.
fetch_target server_side(self_ptr self, fetch_target t) {
    const auto& o = self->state.options;
    t.index_urls = o.index_urls;
    t.find_links = o.find_links;
    t.strategy = o.strategy;
    t.cache_mode = storage::cache_mode::normal;
    return t;
}

bool too_big(const std::vector<std::string>& items) {
    return items.size() > max_items || std::any_of(items.begin(), items.end(), [](const auto& s) {
               return s.size() > max_text;
           });
}

bool too_big(const fetch_target& t) {
    return too_big(t.index_urls) || too_big(t.find_links) || too_big(t.no_binary) ||
           too_big(t.only_binary) || too_big(t.interpreter.abis) ||
           too_big(t.interpreter.platforms) || t.markers.size() > 64 ||
           t.python_version.size() > 64;
}

std::string next_session(self_ptr self) {
    return "serve-" + std::to_string(++self->state.sessions);
}

void end_server_session(self_ptr self, const std::string& session) {
    // The service may have been shut down under a gateway still answering (in tests).
    if (self->state.service && self->state.service->pools)
        self->state.service->pools->end_session(caf::actor{}, session);
}

} // namespace gateway_detail

namespace {

using namespace gateway_detail;

gateway_impl::behavior_type gateway(self_ptr self, std::shared_ptr<const fetch_service> service,
                                    gateway_options options) {
    guard_exceptions(self, "the gateway");
    auto& st = self->state;
    st.service = std::move(service);
    st.options = std::move(options);
    st.disk = spawn_disk_worker(self);
    // Only a local exit message ends the gateway: a client cannot shut the server down.
    self->set_exit_handler([self](caf::exit_msg& m) {
        if (m.source && m.source.node() != self->node()) {
            log_line(self, {{"request", "exit"},
                            {"result", "refused"},
                            {"why", "an exit message from a client"}});
            return;
        }
        for (auto& [key, p] : self->state.providers)
            caf::anon_send_exit(p.first, caf::exit_reason::user_shutdown);
        self->state.providers.clear();
        self->quit(m.reason);
    });
    // Anything else a client sends is dropped (and said once per message).
    self->set_default_handler(
        [self](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
            log_line(self, {{"client", client_of(self, "")},
                            {"request", "unknown"},
                            {"result", "refused"},
                            {"why", "not a message of the remote protocol"}});
            return caf::make_error(caf::sec::unexpected_message);
        });
    self->delayed_send(self, std::chrono::seconds(10), tick_atom::value);
    return {
        [self](remote_versions& r) { return ask_versions(self, r); },
        [self](remote_metadata& r) { return ask_metadata(self, r); },
        [self](remote_file& r) { return ask_file(self, r); },
        [self](remote_hello& h) -> reply<remote_welcome> {
            auto client = client_of(self, h.client);
            if (auto refused = admit(self, h.token, client, "hello"))
                return std::move(*refused);
            release(self, client);
            if (h.protocol != remote_protocol_version) {
                log_line(self, {{"client", client},
                                {"request", "hello"},
                                {"result", "refused"},
                                {"why", "protocol " + std::to_string(h.protocol)}});
                return core::error{core::errc::unsupported,
                                   "the server speaks protocol " +
                                       std::to_string(remote_protocol_version) + ", this client " +
                                       std::to_string(h.protocol)};
            }
            log_line(self, {{"client", client}, {"request", "hello"}, {"result", "ok"}});
            const auto& o = self->state.options;
            return remote_welcome{"actpip",
                                  remote_protocol_version,
                                  masked_sources(o.index_urls),
                                  masked_sources(o.find_links),
                                  o.strategy,
                                  o.max_in_flight};
        },
        [self](remote_resolve& r) { return resolve(self, r); },
        [self](remote_wheel_request& r) { return wheel(self, r); },
        [self](remote_chunk_request& r) { return chunk(self, r); },
        [self](drain_atom) -> caf::typed_response_promise<bool> {
            auto rp = self->make_response_promise<bool>();
            self->state.drains.push_back(rp);
            check_drains(self);
            return rp;
        },
        [self](tick_atom) {
            auto& st = self->state;
            auto now = clock::now();
            auto dropped = std::erase_if(st.transfers, [&](const auto& entry) {
                bool idle = now - entry.second.last > st.options.transfer_idle;
                if (idle)
                    log_line(self, {{"client", entry.second.client},
                                    {"request", "wheel"},
                                    {"artifact", entry.second.filename},
                                    {"result", "abandoned"},
                                    {"bytes", std::to_string(entry.second.sent)}});
                return idle;
            });
            if (dropped > 0)
                keep_within_budget(self);
            check_drains(self);
            self->delayed_send(self, std::chrono::seconds(10), tick_atom::value);
        },
    };
}

} // namespace

gateway_host_actor spawn_gateway(caf::actor_system& sys,
                                 std::shared_ptr<const fetch_service> service,
                                 gateway_options options) {
    return caf::actor_cast<gateway_host_actor>(
        sys.spawn(gateway, std::move(service), std::move(options)));
}

} // namespace actpip::actors
