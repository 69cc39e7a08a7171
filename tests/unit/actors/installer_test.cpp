// The installer actor with wheels made by the support library, installed with `--target DIR`
// (the interpreter is python3 on PATH): several wheels at once, an evil wheel among good
// ones (nothing changes), removals.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>

#include "actpip/actors/installer.hpp"
#include "actpip/actors/unpack_pool.hpp"
#include "actpip/core/hash.hpp"
#include "support/actors/ask.hpp"
#include "support/actors/system.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"
#include "support/venv.hpp"
#include "support/wheel_builder.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using namespace actpip;
using namespace actpip::actors;

class installer_test : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = tmp_.path();
        fs::create_directories(dir_ / "wheels");
        if (std::system("python3 -c pass") != 0) {
            GTEST_SKIP() << "python3 is not on PATH";
        }
        sys_ = test::make_actor_system();
    }
    void TearDown() override { sys_.reset(); }

    // <name>-<version>-py3-none-any.whl with <name>/__init__.py; `evil`: that member differs
    // from what RECORD says.
    install_item wheel(const std::string& name, const std::string& version, bool evil = false) {
        test::wheel_builder w(name, version);
        auto init = name + "/__init__.py";
        auto content = "V = '" + version + "'\n";
        if (evil)
            w.wrong_hash(init, content);
        else
            w.file(init, content);
        install_item item;
        item.path = w.write(dir_ / "wheels").string();
        item.sha256 =
            core::hash_bytes(core::hash_algorithm::sha256, test::read_file(item.path))->hex;
        item.filename = w.filename();
        return item;
    }

    install_plan plan(std::vector<install_item> wheels) {
        install_plan p;
        p.wheels = std::move(wheels);
        p.environment.python = "python3";
        p.environment.target = target().string();
        p.unpacked_dir = (dir_ / "unpacked").string();
        p.interpreter_cache_dir = (dir_ / "interpreters").string();
        return p;
    }

    reply<install_result> run(install_plan p, unpack_pool_actor pool = {}) {
        auto installer = spawn_installer(*sys_, pool);
        auto out = test::ask<reply<install_result>>(*sys_, installer, std::move(p));
        caf::anon_send_exit(installer, caf::exit_reason::user_shutdown);
        return out;
    }

    fs::path target() const { return dir_ / "target"; }

    test::temp_dir tmp_;
    fs::path dir_;
    std::unique_ptr<test::actor_system_for_test> sys_;
};

} // namespace

TEST_F(installer_test, installs_several_wheels_at_once) {
    std::vector<install_item> wheels;
    for (const char* name : {"alpha", "beta", "gamma", "delta", "epsilon"}) {
        wheels.push_back(wheel(name, "1.0"));
    }
    wheels[1].requested = false;
    wheels[2].direct_url_json = R"({"archive_info": {}, "url": "file:///gamma.whl"})";
    auto r = run(plan(wheels));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->installed, (std::vector<std::string>{"alpha-1.0", "beta-1.0", "delta-1.0",
                                                      "epsilon-1.0", "gamma-1.0"}));
    EXPECT_TRUE(r->removed.empty());
    EXPECT_EQ(test::read_file(target() / "alpha" / "__init__.py"), "V = '1.0'\n");
    EXPECT_EQ(test::read_file(target() / "alpha-1.0.dist-info" / "INSTALLER"), "actpip\n");
    EXPECT_TRUE(fs::exists(target() / "alpha-1.0.dist-info" / "REQUESTED"));
    EXPECT_FALSE(fs::exists(target() / "beta-1.0.dist-info" / "REQUESTED"));
    EXPECT_EQ(test::read_file(target() / "gamma-1.0.dist-info" / "direct_url.json"),
              wheels[2].direct_url_json);
    for (const auto& [path, _] : test::snapshot(target())) {
        EXPECT_EQ(path.find(".actpip-"), std::string::npos) << path;
    }
}

TEST_F(installer_test, an_evil_wheel_among_good_ones_changes_nothing) {
    auto first = run(plan({wheel("alpha", "1.0")}));
    ASSERT_TRUE(first) << first.error().describe();
    const auto before = test::snapshot(target());

    auto r = run(plan({wheel("alpha", "2.0"), wheel("beta", "1.0"), wheel("evil", "1.0", true),
                       wheel("gamma", "1.0")}));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().describe().find("evil"), std::string::npos) << r.error().describe();
    EXPECT_EQ(test::snapshot(target()), before);
}

TEST_F(installer_test, upgrades_and_removes) {
    ASSERT_TRUE(run(plan({wheel("alpha", "1.0"), wheel("beta", "1.0")})));
    auto p = plan({wheel("alpha", "2.0")});
    p.removals = {"Beta", "not-there"};
    auto r = run(p);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->installed, (std::vector<std::string>{"alpha-2.0"}));
    EXPECT_EQ(r->removed, (std::vector<std::string>{"alpha-1.0", "beta-1.0"}));
    EXPECT_EQ(r->not_installed, (std::vector<std::string>{"not-there"}));
    EXPECT_EQ(test::read_file(target() / "alpha" / "__init__.py"), "V = '2.0'\n");
    EXPECT_FALSE(fs::exists(target() / "beta"));
    EXPECT_FALSE(fs::exists(target() / "alpha-1.0.dist-info"));
}

TEST_F(installer_test, rejects_a_bad_plan_without_touching_anything) {
    auto item = wheel("alpha", "1.0");
    item.sha256 = "nothex";
    auto r = run(plan({item}));
    EXPECT_FALSE(r);
    EXPECT_NE(r.error().message.find("nothex"), std::string::npos) << r.error().describe();
    EXPECT_FALSE(fs::exists(target()));
}

TEST_F(installer_test, the_unpack_pool_never_unpacks_a_wheel_twice) {
    auto pool = spawn_unpack_pool(*sys_);
    auto item = wheel("alpha", "1.0");
    auto dest = (dir_ / "unpacked" / item.sha256).string();
    unpack_order order{item.path, dest, item.filename, item.sha256};
    caf::scoped_actor self{*sys_};
    for (int i = 0; i < 3; ++i) // concurrent identical orders: one unpack, three answers
        self->send(pool, order);
    std::vector<std::string> roots;
    for (int i = 0; i < 3; ++i)
        self->receive(
            [&](reply<unpacked_tree>& r) {
                ASSERT_TRUE(r) << r.error().describe();
                roots.push_back(r->root);
            },
            caf::after(test::ask_timeout) >> [] { ADD_FAILURE() << "no reply"; });
    ASSERT_EQ(roots.size(), 3u);
    EXPECT_EQ(roots[0], roots[1]);
    EXPECT_EQ(roots[1], roots[2]);
    EXPECT_TRUE(fs::exists(fs::path(roots[0]) / "alpha" / "__init__.py"));
    // Asked again once made, it answers from memory: the tree removed behind its back is not
    // made again (an installer joining the session's unpack costs nothing).
    fs::remove_all(dest);
    auto again = test::ask<reply<unpacked_tree>>(*sys_, pool, order);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->root, roots[0]);
    EXPECT_FALSE(fs::exists(dest));

    auto missing = order;
    missing.path = (dir_ / "no-such.whl").string();
    missing.dest = (dir_ / "unpacked" / "other").string();
    missing.filename = "no_such-1.0-py3-none-any.whl";
    auto bad = test::ask<reply<unpacked_tree>>(*sys_, pool, missing);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().describe().find("no_such-1.0-py3-none-any.whl"), std::string::npos)
        << bad.error().describe();
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(installer_test, installs_through_a_shared_unpack_pool) {
    auto pool = spawn_unpack_pool(*sys_);
    auto item = wheel("alpha", "1.0");
    // The session sent it to the pool as it landed; the installer joins that tree.
    auto early = test::ask<reply<unpacked_tree>>(
        *sys_, pool,
        unpack_order{item.path, (dir_ / "unpacked" / item.sha256).string(), item.filename,
                     item.sha256});
    ASSERT_TRUE(early) << early.error().describe();
    auto r = run(plan({item}), pool);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->installed, (std::vector<std::string>{"alpha-1.0"}));
    EXPECT_EQ(test::read_file(target() / "alpha" / "__init__.py"), "V = '1.0'\n");
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(installer_test, concurrent_plans_on_one_environment_take_turns) {
    auto installer = spawn_installer(*sys_);
    caf::scoped_actor self{*sys_};
    std::vector<reply<install_result>> results;
    std::vector<install_plan> plans;
    for (const char* name : {"alpha", "beta", "gamma"}) {
        plans.push_back(plan({wheel(name, "1.0")}));
    }
    for (auto& p : plans) { // all three in flight: the replies come back as messages
        self->send(installer, std::move(p));
    }
    for (int i = 0; i < 3; ++i) {
        self->receive([&](reply<install_result>& r) { results.push_back(std::move(r)); },
                      caf::after(std::chrono::seconds(120)) >>
                          [&] { ADD_FAILURE() << "no reply"; });
    }
    ASSERT_EQ(results.size(), 3u);
    for (const auto& r : results) {
        EXPECT_TRUE(r) << r.error().describe();
    }
    for (const char* name : {"alpha", "beta", "gamma"}) {
        EXPECT_TRUE(fs::exists(target() / (std::string(name) + "-1.0.dist-info") / "RECORD"));
    }
    self->send_exit(installer, caf::exit_reason::user_shutdown);
}
