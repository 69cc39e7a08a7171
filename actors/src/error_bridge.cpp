#include "actpip/actors/error_bridge.hpp"

#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>

#include <new>
#include <stdexcept>

namespace actpip::actors {

namespace {

// The strings a CAF error carries as context (our own reasons travel there).
std::string context_text(const caf::error& e) {
    std::string out;
    const auto& ctx = e.context();
    for (std::size_t i = 0; i < ctx.size(); ++i)
        if (ctx.match_element<std::string>(i))
            out += (out.empty() ? "" : "; ") + ctx.get_as<std::string>(i);
    return out;
}

std::string describe_sec(caf::sec code) {
    switch (code) {
    case caf::sec::request_timeout:
        return "did not answer in time";
    case caf::sec::request_receiver_down:
        return "is no longer running";
    case caf::sec::unexpected_message:
        return "did not understand the request";
    case caf::sec::unexpected_response:
        return "sent an answer of the wrong type";
    case caf::sec::runtime_error:
        return "failed";
    case caf::sec::cannot_connect_to_node:
        return "cannot be connected to";
    case caf::sec::no_route_to_receiving_node:
    case caf::sec::connection_timeout:
        return "cannot be reached";
    case caf::sec::disconnect_during_handshake:
        return "dropped the connection during the handshake (not an actpip server, or over "
               "TLS a certificate the other end does not accept)";
    case caf::sec::unexpected_actor_messaging_interface:
        return "is not an actpip server of this version";
    default:
        return caf::to_string(code);
    }
}

std::string describe_exit(caf::exit_reason reason) {
    switch (reason) {
    case caf::exit_reason::normal:
        return "ended";
    case caf::exit_reason::user_shutdown:
        return "shut down";
    case caf::exit_reason::unhandled_exception:
        return "died of an unexpected exception";
    case caf::exit_reason::kill:
        return "was killed";
    case caf::exit_reason::remote_link_unreachable:
    case caf::exit_reason::unreachable:
        return "became unreachable";
    default:
        return caf::to_string(reason);
    }
}

} // namespace

std::string describe(const caf::error& e) {
    if (!e)
        return "no error";
    std::string text;
    if (e.category() == caf::atom("system"))
        text = describe_sec(static_cast<caf::sec>(e.code()));
    else if (e.category() == caf::atom("exit"))
        text = describe_exit(static_cast<caf::exit_reason>(e.code()));
    else
        text = caf::to_string(e);
    auto ctx = context_text(e);
    // Our runtime errors say everything in their context.
    if (!ctx.empty())
        text = e.category() == caf::atom("system") &&
                       static_cast<caf::sec>(e.code()) == caf::sec::runtime_error
                   ? ctx
                   : text + " (" + ctx + ")";
    return text;
}

core::error from_caf(const caf::error& e, std::string_view what) {
    return core::error{core::errc::internal, std::string(what) + " failed: " + describe(e)};
}

bool is_failure(const caf::error& exit_reason) {
    if (!exit_reason)
        return false;
    if (exit_reason.category() != caf::atom("exit"))
        return true;
    auto r = static_cast<caf::exit_reason>(exit_reason.code());
    return r != caf::exit_reason::normal && r != caf::exit_reason::user_shutdown;
}

core::error from_down(const caf::down_msg& dm, std::string_view who) {
    return core::error{core::errc::internal,
                       std::string(who) + " stopped unexpectedly: " + describe(dm.reason)};
}

caf::error from_exception(const std::exception_ptr& e, std::string_view actor) {
    std::string what = "unknown exception";
    try {
        if (e)
            std::rethrow_exception(e);
    } catch (const std::exception& x) { // the one place our code catches: CAF hands it over
        what = x.what();
    } catch (...) {
    }
    return caf::make_error(caf::sec::runtime_error,
                           "unexpected exception in " + std::string(actor) + ": " + what);
}

void guard_exceptions(caf::scheduled_actor* self, std::string actor) {
    self->set_exception_handler(
        [actor = std::move(actor)](caf::scheduled_actor*, std::exception_ptr& e) -> caf::error {
            return from_exception(e, actor);
        });
}

} // namespace actpip::actors
