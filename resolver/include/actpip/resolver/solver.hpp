#pragma once
// PubGrub over Python packages, driven from outside. `step()` runs the algorithm until it
// finishes or needs data it does not have; it then returns `needs` and the caller (an actor,
// a test, a benchmark) fetches what is asked, hands it over with `provide`, and calls `step()`
// again. Nothing blocks, nothing reads a clock, and the decision order depends only on the
// inputs and the data, never on the order in which answers arrive: the solver stops exactly
// where its fixed order needs a missing answer and resumes from the same point.
//
//   solver s{requirements, options};
//   for (;;) {
//       auto r = s.step();
//       if (auto* n = std::get_if<needs>(&r)) { ...fetch n->required (and prefetch)...
//                                               s.provide(answer); continue; }
//       if (auto* ok = std::get_if<solution>(&r)) { ...install ok->pins... }
//       if (auto* no = std::get_if<failure>(&r)) { ...print no->explanation... }
//       break;
//   }

#include "actpip/resolver/incompatibility.hpp"
#include "actpip/resolver/options.hpp"
#include "actpip/resolver/provider.hpp"

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace actpip::resolver {

struct pin {
    std::string name; // normalized
    core::version version;
    std::vector<std::string> extras; // normalized, sorted: the extras that were resolved
    std::optional<std::string> url;  // direct reference
    bool installed = false;          // the distribution already in the target is kept
    friend bool operator==(const pin&, const pin&) = default;
};

struct statistics {
    std::size_t steps = 0;
    std::size_t decisions = 0;
    std::size_t conflicts = 0;
    std::size_t incompatibilities = 0;
};

struct solution {
    std::vector<pin> pins; // sorted by name
    statistics stats;
};

struct failure {
    // The derivation as sentences, one per line, ending with the conclusion.
    std::string explanation;
    std::vector<std::string> hints; // "pre-releases of b are available; use --pre"
    statistics stats;
};

using step_result = std::variant<needs, solution, failure>;

class solver {
public:
    solver(std::vector<core::requirement> requirements, resolve_options options);
    ~solver();
    solver(solver&&) noexcept;
    solver& operator=(solver&&) noexcept;

    // Runs until done or blocked on data. After a solution or failure, returns it again.
    step_result step();

    // Answers; extra or repeated answers are fine (the first one for a key wins, so that
    // the outcome never depends on arrival order).
    void provide(versions_response r);
    void provide(metadata_response r);

    const statistics& stats() const;

    // The versions the solver chose to try since the last call, in order (the same version
    // may come again after a backtrack): a version becomes a tentative pin the moment it is
    // chosen, whether its metadata is at hand or must be asked for, so that its download can
    // start then. `installed` is set for the version already in the target.
    std::vector<pin> take_tentative_pins();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace actpip::resolver
