// The solver's tentative pins: every version it chooses to try, reported once as it is chosen
// (before its metadata is there, or with it), so that a download can start at that moment.
#include <gtest/gtest.h>

#include "actpip/resolver/memory_provider.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <variant>

namespace {

using namespace actpip;
using namespace actpip::resolver;

memory_provider::release rel(const char* version, std::vector<const char*> deps = {}) {
    memory_provider::release r;
    r.listing.version = *core::version::parse(version);
    dist_metadata m;
    for (auto* d : deps)
        m.requires_dist.push_back(*core::requirement::parse(d));
    r.metadata = std::move(m);
    return r;
}

resolve_options linux_py311() {
    resolve_options o;
    o.environment.values = {{"python_version", "3.11"}, {"sys_platform", "linux"}, {"extra", ""}};
    o.python_version = *core::version::parse("3.11.7");
    return o;
}

// Drives the solver answering only what it requires (no prefetch), collecting its pins.
std::vector<std::string> tried(const memory_provider& u, solver& s, step_result& end) {
    std::vector<std::string> out;
    for (;;) {
        end = s.step();
        for (const auto& p : s.take_tentative_pins())
            out.push_back(p.name + "==" + p.version.to_string());
        auto* n = std::get_if<needs>(&end);
        if (!n)
            return out;
        for (const auto& r : n->required)
            u.answer_into(s, r);
    }
}

TEST(tentative_pins, every_version_tried_and_every_final_pin_is_reported_as_chosen) {
    memory_provider u;
    u.add("app", rel("2.0", {"lib>=2"}));
    u.add("app", rel("1.0", {"lib<2"}));
    u.add("lib", rel("2.1", {"tool<1"}));
    u.add("lib", rel("1.5"));
    u.add("tool", rel("1.2"));
    solver s{{*core::requirement::parse("app")}, linux_py311()};
    step_result end;
    auto pins = tried(u, s, end);
    ASSERT_TRUE(std::holds_alternative<solution>(end));
    std::set<std::string> unique(pins.begin(), pins.end());
    for (const char* v : {"app==2.0", "lib==2.1", "app==1.0", "lib==1.5"})
        EXPECT_TRUE(unique.contains(v)) << v;
    for (const auto& p : std::get<solution>(end).pins)
        EXPECT_TRUE(unique.contains(p.name + "==" + p.version.to_string())) << p.name;
    EXPECT_EQ(std::find(pins.begin(), pins.end(), "app==2.0") <
                  std::find(pins.begin(), pins.end(), "app==1.0"),
              true)
        << "in the order they were tried";
    EXPECT_TRUE(s.take_tentative_pins().empty()) << "each is taken once";
}

TEST(tentative_pins, a_version_whose_metadata_was_prefetched_is_reported_too) {
    memory_provider u;
    u.add("app", rel("1.0", {"lib"}));
    u.add("lib", rel("1.0"));
    solver s{{*core::requirement::parse("app")}, linux_py311()};
    // Everything answered ahead of need: the solver decides lib without asking for it.
    for (const auto& r : std::vector<request>{versions_request{"app", std::nullopt},
                                              versions_request{"lib", std::nullopt}})
        u.answer_into(s, r);
    u.answer_into(s, metadata_request{"app", *core::version::parse("1.0"), std::nullopt});
    u.answer_into(s, metadata_request{"lib", *core::version::parse("1.0"), std::nullopt});
    auto end = s.step();
    ASSERT_TRUE(std::holds_alternative<solution>(end));
    std::set<std::string> got;
    for (const auto& p : s.take_tentative_pins())
        got.insert(p.name + "==" + p.version.to_string());
    EXPECT_EQ(got, (std::set<std::string>{"app==1.0", "lib==1.0"}));
}

} // namespace
