#include "actpip/core/version.hpp"

#include "version_lexer.hpp"

#include <algorithm>

namespace actpip::core {

namespace {

std::string_view pre_label(pre_kind kind) {
    switch (kind) {
    case pre_kind::alpha:
        return "a";
    case pre_kind::beta:
        return "b";
    case pre_kind::rc:
        return "rc";
    }
    return "?";
}

std::string join_release(const std::vector<std::uint64_t>& release) {
    std::string out;
    for (std::size_t i = 0; i < release.size(); ++i) {
        if (i != 0) {
            out += '.';
        }
        out += std::to_string(release[i]);
    }
    return out;
}

// packaging's _cmpkey, field by field. Release: trailing zeros do not count.
std::strong_ordering compare_release(const std::vector<std::uint64_t>& a,
                                     const std::vector<std::uint64_t>& b) {
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t x = i < a.size() ? a[i] : 0;
        const std::uint64_t y = i < b.size() ? b[i] : 0;
        if (x != y) {
            return x <=> y;
        }
    }
    return std::strong_ordering::equal;
}

// Pre-release key: a dev release with neither pre nor post sorts before every pre-release
// (rank 0); no pre-release sorts after them (rank 4).
std::pair<int, std::uint64_t> pre_key(const version& v) {
    if (v.pre()) {
        return {1 + static_cast<int>(v.pre()->kind), v.pre()->number};
    }
    if (!v.post() && v.dev()) {
        return {0, 0};
    }
    return {4, 0};
}

std::strong_ordering compare_local(const std::vector<local_segment>& a,
                                   const std::vector<local_segment>& b) {
    // No local label sorts first; then segment by segment, strings before numbers, and a
    // label that is a prefix of the other sorts first.
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool a_num = std::holds_alternative<std::uint64_t>(a[i]);
        const bool b_num = std::holds_alternative<std::uint64_t>(b[i]);
        if (a_num != b_num) {
            return a_num ? std::strong_ordering::greater : std::strong_ordering::less;
        }
        if (a_num) {
            const auto c = std::get<std::uint64_t>(a[i]) <=> std::get<std::uint64_t>(b[i]);
            if (c != 0) {
                return c;
            }
        } else {
            // Byte order of UTF-8 is code point order, as Python compares str.
            const int c = std::get<std::string>(a[i]).compare(std::get<std::string>(b[i]));
            if (c != 0) {
                return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
            }
        }
    }
    return a.size() <=> b.size();
}

} // namespace

result<version> version::parse(std::string_view text) {
    const detail::pep440::trimmed t = detail::pep440::strip_spaces(text);
    if (t.text.empty()) {
        return std::unexpected(parse_error(errc::invalid_version, "version", text,
                                           std::string_view::npos, "the version is empty"));
    }
    auto scanned = detail::pep440::scan_version(t.text, detail::pep440::version_grammar::full);
    if (!scanned) {
        return std::unexpected(parse_error(errc::invalid_version, "version", text,
                                           t.offset + scanned.error().pos, scanned.error().reason));
    }
    return std::move(*scanned);
}

version version::from(std::vector<std::uint64_t> release) {
    return version_builder{}.release(std::move(release)).build();
}

std::string version::to_string() const {
    std::string out = public_version();
    if (!local_.empty()) {
        out += '+';
        out += local_string();
    }
    return out;
}

std::string version::public_version() const {
    std::string out = base_version();
    if (pre_) {
        out += pre_label(pre_->kind);
        out += std::to_string(pre_->number);
    }
    if (post_) {
        out += ".post";
        out += std::to_string(*post_);
    }
    if (dev_) {
        out += ".dev";
        out += std::to_string(*dev_);
    }
    return out;
}

std::string version::base_version() const {
    std::string out;
    if (epoch_ != 0) {
        out += std::to_string(epoch_);
        out += '!';
    }
    out += join_release(release_);
    return out;
}

std::string version::local_string() const {
    std::string out;
    for (std::size_t i = 0; i < local_.size(); ++i) {
        if (i != 0) {
            out += '.';
        }
        if (const auto* n = std::get_if<std::uint64_t>(&local_[i])) {
            out += std::to_string(*n);
        } else {
            out += std::get<std::string>(local_[i]);
        }
    }
    return out;
}

version version::without_local() const {
    version v = *this;
    v.local_.clear();
    return v;
}

version version::next_release_prefix(std::size_t segments) const {
    version v;
    v.epoch_ = epoch_;
    if (segments == 0) {
        // Every version of this epoch has the empty prefix: the next epoch starts above them.
        v.epoch_ = epoch_ + 1;
        v.release_ = {0};
    } else {
        v.release_.assign(segments, 0);
        std::copy_n(release_.begin(), std::min(segments, release_.size()), v.release_.begin());
        ++v.release_.back();
    }
    v.dev_ = 0;
    return v;
}

std::strong_ordering operator<=>(const version& a, const version& b) {
    if (auto c = a.epoch_ <=> b.epoch_; c != 0) {
        return c;
    }
    if (auto c = compare_release(a.release_, b.release_); c != 0) {
        return c;
    }
    if (auto c = pre_key(a) <=> pre_key(b); c != 0) {
        return c;
    }
    // No post release sorts first; no dev release sorts last.
    if (auto c = a.post_.has_value() <=> b.post_.has_value(); c != 0) {
        return c;
    }
    if (auto c = a.post_.value_or(0) <=> b.post_.value_or(0); c != 0) {
        return c;
    }
    if (auto c = b.dev_.has_value() <=> a.dev_.has_value(); c != 0) {
        return c;
    }
    if (auto c = a.dev_.value_or(0) <=> b.dev_.value_or(0); c != 0) {
        return c;
    }
    return compare_local(a.local_, b.local_);
}

version_builder& version_builder::epoch(std::uint64_t e) {
    v_.epoch_ = e;
    return *this;
}

version_builder& version_builder::release(std::vector<std::uint64_t> r) {
    v_.release_ = r.empty() ? std::vector<std::uint64_t>{0} : std::move(r);
    return *this;
}

version_builder& version_builder::pre(pre_kind kind, std::uint64_t n) {
    v_.pre_ = pre_release{kind, n};
    return *this;
}

version_builder& version_builder::post(std::uint64_t n) {
    v_.post_ = n;
    return *this;
}

version_builder& version_builder::dev(std::uint64_t n) {
    v_.dev_ = n;
    return *this;
}

version_builder& version_builder::local(std::vector<local_segment> l) {
    v_.local_ = std::move(l);
    return *this;
}

} // namespace actpip::core
