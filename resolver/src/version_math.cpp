#include "version_math.hpp"

#include <algorithm>

namespace actpip::resolver::detail {

std::strong_ordering compare_base(const core::version& a, const core::version& b) {
    if (auto c = a.epoch() <=> b.epoch(); c != 0) {
        return c;
    }
    const auto& ra = a.release();
    const auto& rb = b.release();
    const std::size_t n = std::max(ra.size(), rb.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t x = i < ra.size() ? ra[i] : 0;
        const std::uint64_t y = i < rb.size() ? rb[i] : 0;
        if (auto c = x <=> y; c != 0) {
            return c;
        }
    }
    return std::strong_ordering::equal;
}

core::version base_of(const core::version& v) {
    return core::version_builder().epoch(v.epoch()).release(v.release()).build();
}

namespace {

core::version_builder public_builder(const core::version& v) {
    core::version_builder b;
    b.epoch(v.epoch()).release(v.release());
    if (v.pre()) {
        b.pre(v.pre()->kind, v.pre()->number);
    }
    if (v.post()) {
        b.post(*v.post());
    }
    return b;
}

} // namespace

core::version with_dev(const core::version& v, std::uint64_t dev) {
    return public_builder(v).dev(dev).build();
}

core::version successor_public(const core::version& v) {
    if (v.dev()) {
        return with_dev(v, *v.dev() + 1);
    }
    auto b = public_builder(v);
    b.post(v.post() ? *v.post() + 1 : 0);
    return b.dev(0).build();
}

core::version prefix_start(const core::version& v, std::size_t n) {
    std::vector<std::uint64_t> r(v.release().begin(),
                                 v.release().begin() + std::min(n, v.release().size()));
    r.resize(std::max<std::size_t>(n, 1), 0);
    return core::version_builder().epoch(v.epoch()).release(std::move(r)).dev(0).build();
}

core::version prefix_end(const core::version& v, std::size_t n) {
    std::vector<std::uint64_t> r(v.release().begin(),
                                 v.release().begin() + std::min(n, v.release().size()));
    r.resize(std::max<std::size_t>(n, 1), 0);
    r.back() += 1;
    return core::version_builder().epoch(v.epoch()).release(std::move(r)).dev(0).build();
}

bool is_plain_dev0(const core::version& v) {
    return v.dev() && *v.dev() == 0 && !v.pre() && !v.post() && !v.has_local();
}

} // namespace actpip::resolver::detail
