#pragma once
// The one shape of an answer that can fail: a value or our error, like std::expected, but
// default-constructible and inspectable so that it travels in messages (CAF deserializes into
// a default-constructed value). A reply that fails carries the error naming what failed;
// "not found" and similar outcomes that are data stay in the value.

#include "actpip/actors/protocol/error.hpp"

#include <caf/meta/type_name.hpp>

#include <utility>

namespace actpip::actors {

template <class T>
class reply {
public:
    using value_type = T;

    // An empty reply is an internal error: every real reply is built from a value or an error.
    reply() : error_(core::errc::internal, "empty reply") {}
    reply(T value) : ok_(true), value_(std::move(value)) {}
    reply(core::error e) : error_(std::move(e)) {}
    reply(std::unexpected<core::error> e) : error_(std::move(e).error()) {}
    reply(core::result<T> r) {
        if (r) {
            ok_ = true;
            value_ = std::move(*r);
        } else {
            error_ = std::move(r.error());
        }
    }

    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }

    T& value() & { return value_; }
    const T& value() const& { return value_; }
    T&& value() && { return std::move(value_); }
    T& operator*() & { return value_; }
    const T& operator*() const& { return value_; }
    T* operator->() { return &value_; }
    const T* operator->() const { return &value_; }

    core::error& error() & { return error_; }
    const core::error& error() const& { return error_; }
    core::error&& error() && { return std::move(error_); }

    core::result<T> to_result() && {
        if (ok_)
            return std::move(value_);
        return std::unexpected(std::move(error_));
    }

    template <class Inspector>
    friend typename Inspector::result_type inspect(Inspector& f, reply& x) {
        return f(caf::meta::type_name("actpip_reply"), x.ok_, x.value_, x.error_);
    }

private:
    bool ok_ = false;
    T value_{};
    core::error error_;
};

} // namespace actpip::actors
