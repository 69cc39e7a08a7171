#pragma once
// PEP 440 versions: parsing of every alternative spelling, normalized printing, and the
// total order the spec defines (dev < pre < final < post; local segments after the public
// version they extend).

#include "actpip/core/error.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace actpip::core {

enum class pre_kind { alpha, beta, rc }; // printed as a, b, rc

struct pre_release {
    pre_kind kind = pre_kind::alpha;
    std::uint64_t number = 0;
    friend auto operator<=>(const pre_release&, const pre_release&) = default;
};

// One dot-separated piece of a local version label: a number or a lower-case string.
using local_segment = std::variant<std::uint64_t, std::string>;

class version {
public:
    version() = default; // 0
    // Leading and trailing whitespace is ignored, as packaging does; anything else that is
    // not PEP 440 is an error naming the text and position.
    static result<version> parse(std::string_view text);
    // Shorthand for release-only versions built in code and tests: version::from({1, 2}).
    static version from(std::vector<std::uint64_t> release);

    std::uint64_t epoch() const { return epoch_; }
    const std::vector<std::uint64_t>& release() const { return release_; }
    const std::optional<pre_release>& pre() const { return pre_; }
    const std::optional<std::uint64_t>& post() const { return post_; }
    const std::optional<std::uint64_t>& dev() const { return dev_; }
    const std::vector<local_segment>& local() const { return local_; }

    bool is_prerelease() const { return pre_.has_value() || dev_.has_value(); }
    bool is_postrelease() const { return post_.has_value(); }
    bool is_devrelease() const { return dev_.has_value(); }
    bool has_local() const { return !local_.empty(); }

    std::string to_string() const;      // normalized: 1!2.0rc1.post2.dev3+abc.4
    std::string public_version() const; // without the local label
    std::string base_version() const;   // epoch and release only
    std::string local_string() const;   // "abc.4", empty when none

    version without_local() const;
    // The smallest version above every version with this release prefix, used for interval
    // arithmetic (==1.2.* is [1.2.dev0, 1.3.dev0)).
    version next_release_prefix(std::size_t segments) const;

    // PEP 440 ordering. Trailing zeros in the release do not matter (1.0 == 1.0.0).
    friend std::strong_ordering operator<=>(const version& a, const version& b);
    friend bool operator==(const version& a, const version& b) {
        return (a <=> b) == std::strong_ordering::equal;
    }

private:
    std::uint64_t epoch_ = 0;
    std::vector<std::uint64_t> release_{0};
    std::optional<pre_release> pre_;
    std::optional<std::uint64_t> post_;
    std::optional<std::uint64_t> dev_;
    std::vector<local_segment> local_;

    friend class version_builder;
};

// Builds versions field by field (for tests and for interval bounds).
class version_builder {
public:
    version_builder& epoch(std::uint64_t e);
    version_builder& release(std::vector<std::uint64_t> r);
    version_builder& pre(pre_kind kind, std::uint64_t n);
    version_builder& post(std::uint64_t n);
    version_builder& dev(std::uint64_t n);
    version_builder& local(std::vector<local_segment> l);
    version build() const { return v_; }

private:
    version v_;
};

} // namespace actpip::core
