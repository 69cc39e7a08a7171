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
#include "actpip/actors/protocol/download.hpp"
#include "actpip/actors/protocol/install.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/embed.hpp"

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
    auto thrower = sys.spawn([](caf::event_based_actor* self) -> caf::behavior {
        guard_exceptions(self, "the thrower");
        return {[](int) { throw std::runtime_error("the disk caught fire"); }};
    });
    caf::scoped_actor self{sys};
    self->monitor(thrower);
    self->send(thrower, 1);
    core::error got;
    self->receive([&](caf::down_msg& dm) { got = from_down(dm, "the thrower"); },
                  caf::after(std::chrono::seconds(30)) >> [] { ADD_FAILURE() << "no down"; });
    EXPECT_EQ(got.describe(), "the thrower stopped unexpectedly: unexpected exception in the "
                              "thrower: the disk caught fire");
}

template <class T>
T round_trip(caf::actor_system& sys, T value) {
    std::vector<char> buffer;
    caf::binary_serializer out{sys, buffer};
    EXPECT_FALSE(out(value));
    T back;
    caf::binary_deserializer in{sys, buffer};
    EXPECT_FALSE(in(back));
    return back;
}

TEST(message_types, register_and_survive_the_serializer) {
    caf::actor_system_config cfg;
    embed::add_message_types(cfg);
    caf::actor_system sys{cfg};
    EXPECT_EQ(sys.types().portable_name(0, &typeid(download_request)), "actpip_download_request");

    reply<downloaded_wheel> failed(core::error{core::errc::hash_mismatch, "expected sha256:aa"}
                                       .add_context("while downloading x.whl")
                                       .add_hint("check the index"));
    auto f = round_trip(sys, failed);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, core::errc::hash_mismatch);
    EXPECT_EQ(f.error().describe(), failed.error().describe());
    EXPECT_EQ(f.error().hints, failed.error().hints);

    downloaded_wheel w;
    w.wheel = artifact{"/cache/x.whl", std::string(64, 'b'), 42};
    w.requests = 1;
    auto ok = round_trip(sys, reply<downloaded_wheel>(w));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->wheel.sha256, w.wheel.sha256);
    EXPECT_EQ(ok->wheel.size, 42u);

    versions_answer v;
    v.name = "lib";
    v.available = false;
    v.missing = wire_unavailable{resolver::unavailable_kind::no_compatible_wheel, "only sdists"};
    auto vb = round_trip(sys, v);
    EXPECT_EQ(vb.missing.kind, resolver::unavailable_kind::no_compatible_wheel);
    EXPECT_EQ(vb.missing.message, "only sdists");

    install_plan p;
    p.link_mode = storage::link_mode::hardlink;
    p.wheels.push_back(
        install_item{"/w.whl", std::string(64, 'c'), "w-1-py3-none-any.whl", true, ""});
    auto pb = round_trip(sys, p);
    EXPECT_EQ(pb.link_mode, storage::link_mode::hardlink);
    ASSERT_EQ(pb.wheels.size(), 1u);
    EXPECT_EQ(pb.wheels[0].filename, "w-1-py3-none-any.whl");
}

} // namespace
