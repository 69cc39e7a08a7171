// What the actor system reports, turned into our errors: each names what was asked of whom
// and why it failed; an exception's message survives as the actor's exit reason. And every
// message type registers and survives a trip through CAF's serializer (the remote boundary).
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/protocol/cache.hpp"
#include "actpip/actors/protocol/download.hpp"
#include "actpip/actors/protocol/install.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/embed.hpp"

#include <optional>
#include <stdexcept>

namespace {

using namespace actpip;
using namespace actpip::actors;

TEST(error_bridge, a_caf_error_names_the_request_and_the_reason) {
    auto e = from_caf(caf::make_error(caf::sec::request_timeout), "the cache, asked for x.whl");
    EXPECT_EQ(e.code, core::errc::internal);
    EXPECT_EQ(e.describe(), "the cache, asked for x.whl failed: did not answer in time");
    e = from_caf(caf::make_error(caf::sec::request_receiver_down), "the installer");
    EXPECT_EQ(e.describe(), "the installer failed: is no longer running");
}

TEST(error_bridge, exit_reasons_that_are_not_failures) {
    EXPECT_FALSE(is_failure(caf::error{}));
    EXPECT_FALSE(is_failure(caf::make_error(caf::exit_reason::normal)));
    EXPECT_FALSE(is_failure(caf::make_error(caf::exit_reason::user_shutdown)));
    EXPECT_TRUE(is_failure(caf::make_error(caf::exit_reason::kill)));
    EXPECT_TRUE(is_failure(caf::make_error(caf::sec::runtime_error, "boom")));
}

TEST(error_bridge, an_exception_in_an_actor_reaches_its_monitor_with_its_message) {
    caf::actor_system_config cfg;
    cfg.set("scheduler.max-threads", 2);
    caf::actor_system sys{cfg};
    // The name is an argument: CAF 0.17 dereferences a null argument tuple for a function
    // actor without arguments (UBSan reports it).
    auto thrower = sys.spawn(
        [](caf::event_based_actor* self, std::string name) -> caf::behavior {
            guard_exceptions(self, name);
            return {[](int) { throw std::runtime_error("the disk caught fire"); }};
        },
        std::string("the thrower"));
    caf::scoped_actor self{sys};
    self->monitor(thrower);
    self->send(thrower, 1);
    core::error got;
    self->receive([&](caf::down_msg& dm) { got = from_down(dm, "the thrower"); },
                  caf::after(std::chrono::seconds(30)) >> [] { ADD_FAILURE() << "no down"; });
    EXPECT_EQ(got.describe(), "the thrower stopped unexpectedly: unexpected exception in the "
                              "thrower: the disk caught fire");
}

// A message holding `value`, through CAF's serializer and back: what crossing to another
// process does, and what fails for a type that is not registered.
template <class T>
std::optional<T> through_the_wire(caf::actor_system& sys, const T& value) {
    auto msg = caf::make_message(value);
    std::vector<char> buffer;
    caf::binary_serializer out{sys, buffer};
    if (auto err = out(msg))
        return std::nullopt;
    caf::message back;
    caf::binary_deserializer in{sys, buffer};
    if (auto err = in(back))
        return std::nullopt;
    if (!back.match_elements<T>())
        return std::nullopt;
    return back.get_as<T>(0);
}

struct not_registered {
    int x = 0;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, not_registered& x) {
    return f(caf::meta::type_name("not_registered"), x.x);
}

class message_types : public testing::Test {
protected:
    message_types() : sys_(make_config()) {}
    static caf::actor_system_config& make_config() {
        static caf::actor_system_config cfg;
        static bool once = [] {
            embed::add_message_types(cfg);
            return true;
        }();
        (void)once;
        return cfg;
    }
    caf::actor_system sys_;
};

TEST_F(message_types, an_unregistered_type_cannot_cross) {
    EXPECT_FALSE(through_the_wire(sys_, not_registered{1}))
        << "the check below would prove nothing";
}

TEST_F(message_types, every_reply_and_request_crosses_with_its_content) {
    reply<downloaded_wheel> failed(core::error{core::errc::hash_mismatch, "expected sha256:aa"}
                                       .add_context("while downloading x.whl")
                                       .add_hint("check the index"));
    auto f = through_the_wire(sys_, failed);
    ASSERT_TRUE(f);
    ASSERT_FALSE(*f);
    EXPECT_EQ(f->error().code, core::errc::hash_mismatch);
    EXPECT_EQ(f->error().describe(), failed.error().describe());
    EXPECT_EQ(f->error().hints, failed.error().hints);

    downloaded_wheel w;
    w.wheel = artifact{"/cache/x.whl", std::string(64, 'b'), 42};
    w.requests = 1;
    auto ok = through_the_wire(sys_, reply<downloaded_wheel>(w));
    ASSERT_TRUE(ok && *ok);
    EXPECT_EQ((*ok)->wheel.sha256, w.wheel.sha256);
    EXPECT_EQ((*ok)->wheel.size, 42u);

    versions_answer v;
    v.name = "lib";
    v.available = false;
    v.missing = wire_unavailable{resolver::unavailable_kind::no_compatible_wheel, "only sdists"};
    auto vb = through_the_wire(sys_, reply<versions_answer>(v));
    ASSERT_TRUE(vb && *vb);
    EXPECT_EQ((*vb)->missing.kind, resolver::unavailable_kind::no_compatible_wheel);
    EXPECT_EQ((*vb)->missing.message, "only sdists");

    install_plan p;
    p.link_mode = storage::link_mode::hardlink;
    p.wheels.push_back(
        install_item{"/w.whl", std::string(64, 'c'), "w-1-py3-none-any.whl", true, ""});
    auto pb = through_the_wire(sys_, p);
    ASSERT_TRUE(pb);
    EXPECT_EQ(pb->link_mode, storage::link_mode::hardlink);
    ASSERT_EQ(pb->wheels.size(), 1u);
    EXPECT_EQ(pb->wheels[0].filename, "w-1-py3-none-any.whl");

    http_cache_query q{"https://x/simple/a/", storage::cache_mode::offline};
    auto qb = through_the_wire(sys_, q);
    ASSERT_TRUE(qb);
    EXPECT_EQ(qb->mode, storage::cache_mode::offline);

    // The rest only need to cross at all.
    EXPECT_TRUE(through_the_wire(sys_, http_request{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<http_response>(http_response{})));
    EXPECT_TRUE(through_the_wire(sys_, http_event{}));
    EXPECT_TRUE(through_the_wire(sys_, std::vector<http_header>{{"ETag", "\"v\""}}));
    EXPECT_TRUE(through_the_wire(sys_, http_cache_put{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<bool>(true)));
    EXPECT_TRUE(through_the_wire(sys_, reply<wheel_slot>(wheel_slot{})));
    EXPECT_TRUE(through_the_wire(sys_, wheel_commit{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<artifact>(artifact{})));
    EXPECT_TRUE(through_the_wire(sys_, cached_text{}));
    EXPECT_TRUE(through_the_wire(sys_, project_query{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<project_answer>(project_answer{})));
    EXPECT_TRUE(through_the_wire(sys_, metadata_fetch{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<file_metadata>(file_metadata{})));
    EXPECT_TRUE(through_the_wire(sys_, download_request{}));
    EXPECT_TRUE(through_the_wire(sys_, versions_query{}));
    EXPECT_TRUE(through_the_wire(sys_, metadata_query{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<metadata_answer>(metadata_answer{})));
    EXPECT_TRUE(through_the_wire(sys_, file_query{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<wire_file>(wire_file{})));
    EXPECT_TRUE(through_the_wire(sys_, pinned{}));
    EXPECT_TRUE(through_the_wire(sys_, resolution_outcome{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<install_result>(install_result{})));
    EXPECT_TRUE(through_the_wire(sys_, unpack_order{}));
    EXPECT_TRUE(through_the_wire(sys_, reply<unpacked_tree>(unpacked_tree{})));
    EXPECT_TRUE(through_the_wire(sys_, progress_event{}));
    EXPECT_TRUE(through_the_wire(sys_, job_outcome{}));
}

} // namespace
