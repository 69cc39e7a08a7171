#pragma once
// When and how long to wait before trying a request again: exponential backoff with full
// jitter, Retry-After honoured up to a bound.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace actpip::net {

struct retry_options {
    int max_attempts = 5;                              // tries in all, the first included
    std::chrono::milliseconds base_delay{200};         // before the second try, on average
    std::chrono::milliseconds max_delay{10'000};       // backoff cap
    std::chrono::milliseconds max_retry_after{60'000}; // a longer Retry-After fails instead
};

class retry_policy {
public:
    explicit retry_policy(retry_options options, std::uint64_t seed = 0);

    // Statuses worth another try: 408, 429, 500, 502, 503, 504.
    static bool retryable_status(unsigned status);

    // The delay before try number `next_attempt` (2 for the first retry): uniform in
    // [d/2, d] with d = min(max_delay, base * 2^(next_attempt-2)); a Retry-After (seconds
    // or HTTP date, relative to `now`) replaces it. Empty: give up (attempts exhausted or
    // Retry-After too long).
    std::optional<std::chrono::milliseconds>
    delay(int next_attempt, std::optional<std::string_view> retry_after = std::nullopt,
          std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    const retry_options& options() const { return options_; }

private:
    retry_options options_;
    std::uint64_t state_;
};

// Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), as Retry-After and Last-Modified
// carry it.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

} // namespace actpip::net
