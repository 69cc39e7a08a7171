#include "actpip/net/retry_policy.hpp"

#include <array>
#include <charconv>
#include <ctime>

namespace actpip::net {

retry_policy::retry_policy(retry_options options, std::uint64_t seed)
    : options_(options),
      state_(seed != 0 ? seed
                       : static_cast<std::uint64_t>(
                             std::chrono::steady_clock::now().time_since_epoch().count()) |
                             1) {}

bool retry_policy::retryable_status(unsigned s) {
    return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

std::optional<std::chrono::milliseconds>
retry_policy::delay(int next_attempt, std::optional<std::string_view> retry_after,
                    std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    if (next_attempt > options_.max_attempts)
        return std::nullopt;
    if (retry_after) {
        std::string_view v = *retry_after;
        std::uint64_t seconds = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
        std::optional<milliseconds> wait;
        if (ec == std::errc{} && end == v.data() + v.size()) {
            wait = milliseconds(seconds > 1'000'000 ? 1'000'000'000 : seconds * 1000);
        } else if (auto when = parse_http_date(v)) {
            wait = *when > now ? duration_cast<milliseconds>(*when - now) : milliseconds(0);
        }
        if (wait) {
            if (*wait > options_.max_retry_after)
                return std::nullopt;
            return *wait;
        }
    }
    // xorshift64*: jitter needs no quality, only independence between clients.
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    std::uint64_t r = state_ * 0x2545F4914F6CDD1Dull;
    int shift = std::min(next_attempt - 2, 30);
    auto full = options_.base_delay.count() * (std::int64_t{1} << std::max(shift, 0));
    full = std::min<std::int64_t>(full, options_.max_delay.count());
    auto half = full / 2;
    auto jitter =
        half > 0 ? static_cast<std::int64_t>(r % static_cast<std::uint64_t>(half + 1)) : 0;
    return milliseconds(half + jitter);
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view t) {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    if (t.size() != 29 || t[3] != ',' || t.substr(25) != " GMT")
        return std::nullopt;
    static constexpr std::array<std::string_view, 12> months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto num = [&](std::size_t pos, std::size_t len, int& out) {
        auto [end, ec] = std::from_chars(t.data() + pos, t.data() + pos + len, out);
        return ec == std::errc{} && end == t.data() + pos + len;
    };
    std::tm tm{};
    int day = 0, year = 0, h = 0, m = 0, s = 0;
    if (!num(5, 2, day) || !num(12, 4, year) || !num(17, 2, h) || !num(20, 2, m) ||
        !num(23, 2, s) || t[19] != ':' || t[22] != ':')
        return std::nullopt;
    int month = -1;
    for (std::size_t i = 0; i < months.size(); ++i)
        if (t.substr(8, 3) == months[i])
            month = static_cast<int>(i);
    if (month < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60)
        return std::nullopt;
    tm.tm_year = year - 1900;
    tm.tm_mon = month;
    tm.tm_mday = day;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = s;
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

} // namespace actpip::net
