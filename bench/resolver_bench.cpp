// Resolves generated package graphs with the in-memory provider and prints wall time, time
// per decision and the solver's counters. Graphs:
//   wide  - 1,000 packages: the root needs 100, each needs up to 10 others, 5 versions each.
//   deep  - 500 packages in a chain, 20 versions each, with a conflict at the bottom that
//           makes the last package back off 16 versions.
//   chain - an adversarial case (see chain()), kept small: PubGrub learns it one link per
//           round, so its cost grows with the square of the chain length.
// The bench measures; only this file reads a clock.

#include "actpip/resolver/memory_provider.hpp"
#include "actpip/resolver/solver.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace actpip;
using resolver::memory_provider;

core::requirement req(const std::string& text) {
    auto r = core::requirement::parse(text);
    if (!r) {
        std::fprintf(stderr, "bad requirement %s\n", text.c_str());
        std::abort();
    }
    return *r;
}

memory_provider::release make_release(int version, std::vector<std::string> deps) {
    memory_provider::release r;
    r.listing.version = core::version::from({static_cast<std::uint64_t>(version), 0});
    resolver::dist_metadata md;
    for (const auto& d : deps) {
        md.requires_dist.push_back(req(d));
    }
    r.metadata = md;
    return r;
}

std::string pkg(int i) {
    return "p" + std::to_string(i);
}

struct graph {
    memory_provider universe;
    std::vector<core::requirement> root;
};

graph wide(int packages) {
    graph g;
    for (int i = 0; i < packages; ++i) {
        for (int v = 1; v <= 5; ++v) {
            std::vector<std::string> deps;
            for (int k = 1; k <= 10; ++k) {
                const int j = i + k * 7 + v;
                if (j < packages) {
                    deps.push_back(pkg(j) + ">=" + std::to_string(1 + (v + k) % 3) + ".0");
                }
            }
            g.universe.add(pkg(i), make_release(v, deps));
        }
    }
    for (int i = 0; i < packages; i += packages / 100) {
        g.root.push_back(req(pkg(i)));
    }
    return g;
}

// A chain p0 -> p1 -> ... -> p(n-1), every version of each needing any version of the next;
// the last one's version v needs q==v, and q>=5 needs x<5 while the root needs x>=5: the
// conflict appears only at the bottom of the chain, and p(n-1) has to back off version by
// version (through q) from 20 to 4.
graph deep(int packages, int versions) {
    graph g;
    for (int i = 0; i < packages; ++i) {
        for (int v = 1; v <= versions; ++v) {
            std::vector<std::string> deps;
            if (i + 1 < packages) {
                deps.push_back(pkg(i + 1) + ">=1.0");
            } else {
                deps.push_back("q==" + std::to_string(v) + ".0");
            }
            g.universe.add(pkg(i), make_release(v, deps));
        }
    }
    for (int v = 1; v <= versions; ++v) {
        g.universe.add("q", make_release(v, v >= 5 ? std::vector<std::string>{"x<5"}
                                                   : std::vector<std::string>{}));
        g.universe.add("x", make_release(v, {}));
    }
    g.root.push_back(req("p0"));
    g.root.push_back(req("x>=5"));
    return g;
}

// Adversarial for PubGrub: chain links that differ per version (p(i) v needs p(i+1) in
// [v-1, v]) and a conflict at the bottom (z needs p0<=3) that can only be learned one link
// per round.
graph chain(int packages, int versions) {
    graph g;
    for (int i = 0; i < packages; ++i) {
        for (int v = 1; v <= versions; ++v) {
            std::vector<std::string> deps;
            if (i + 1 < packages) {
                deps.push_back(pkg(i + 1) + ">=" + std::to_string(v > 1 ? v - 1 : 1) +
                               ".0, <=" + std::to_string(v) + ".0");
            } else {
                deps.push_back("z");
            }
            g.universe.add(pkg(i), make_release(v, deps));
        }
    }
    for (int v = 1; v <= versions; ++v) {
        g.universe.add("z", make_release(v, {"p0<=3.0"}));
    }
    g.root.push_back(req("p0"));
    return g;
}

void run(const char* name, const graph& g) {
    resolver::resolve_options opts;
    opts.python_version = core::version::from({3, 12, 0});
    opts.environment.values = {{"python_version", "3.12"}, {"sys_platform", "linux"}};
    const auto start = std::chrono::steady_clock::now();
    resolver::solver s(g.root, opts);
    const auto r = g.universe.resolve(s);
    const auto end = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(end - start).count();
    const auto& st = s.stats();
    const auto* ok = std::get_if<resolver::solution>(&r);
    std::printf("%-6s %s: %zu packages pinned, %.1f ms, %zu decisions (%.1f us/decision), "
                "%zu conflicts, %zu steps\n",
                name, ok ? "resolved" : "FAILED", ok ? ok->pins.size() : 0, ms, st.decisions,
                st.decisions ? ms * 1000.0 / static_cast<double>(st.decisions) : 0.0, st.conflicts,
                st.steps);
}

} // namespace

int main() {
    run("wide", wide(1000));
    run("deep", deep(500, 20));
    run("chain", chain(50, 10));
    return 0;
}
