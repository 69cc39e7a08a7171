#include "actpip/storage/http_cache_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace actpip::storage {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::optional<std::int64_t> parse_seconds(std::string_view text) {
    text = trim(text);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
        text = text.substr(1, text.size() - 2);
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec == std::errc::result_out_of_range) {
        return ec == std::errc::result_out_of_range ? std::optional<std::int64_t>(INT32_MAX)
                                                    : std::nullopt;
    }
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> weekdays{"Thu", "Fri", "Sat", "Sun",
                                                   "Mon", "Tue", "Wed"}; // 1970-01-01: Thu

std::optional<int> number(std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::vector<std::string_view> split_fields(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '-')) {
            ++i;
        }
        std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '-') {
            ++i;
        }
        if (i > start) {
            out.push_back(s.substr(start, i - start));
        }
    }
    return out;
}

} // namespace

std::optional<std::string> find_header(const http_headers& headers, std::string_view name) {
    std::optional<std::string> out;
    for (const auto& h : headers) {
        if (iequals(h.name, name)) {
            out = out ? *out + ", " + h.value : h.value;
        }
    }
    return out;
}

cache_control parse_cache_control(std::string_view value) {
    cache_control cc;
    std::size_t start = 0;
    while (start <= value.size()) {
        auto comma = value.find(',', start);
        auto item =
            trim(value.substr(start, comma == std::string_view::npos ? value.npos : comma - start));
        auto eq = item.find('=');
        auto name = trim(item.substr(0, eq));
        std::optional<std::string_view> arg;
        if (eq != std::string_view::npos) {
            arg = item.substr(eq + 1);
        }
        if (iequals(name, "no-cache")) {
            cc.no_cache = true;
        } else if (iequals(name, "no-store")) {
            cc.no_store = true;
        } else if (iequals(name, "must-revalidate")) {
            cc.must_revalidate = true;
        } else if (iequals(name, "private")) {
            cc.is_private = true;
        } else if (iequals(name, "immutable")) {
            cc.immutable = true;
        } else if (iequals(name, "max-age")) {
            cc.max_age = arg ? parse_seconds(*arg).value_or(0) : 0;
        } else if (iequals(name, "s-maxage")) {
            cc.s_maxage = arg ? parse_seconds(*arg).value_or(0) : 0;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return cc;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
    text = trim(text);
    std::vector<std::string_view> f;
    int day = 0, year = 0;
    std::string_view month, time;
    if (auto comma = text.find(','); comma != std::string_view::npos) {
        f = split_fields(text.substr(comma + 1)); // IMF-fixdate or RFC 850
        if (f.size() != 5 || f[4] != "GMT") {
            return std::nullopt;
        }
        auto d = number(f[0]);
        auto y = number(f[2]);
        if (!d || !y) {
            return std::nullopt;
        }
        day = *d;
        year = f[2].size() == 2 ? (*y < 70 ? 2000 + *y : 1900 + *y) : *y;
        month = f[1];
        time = f[3];
    } else { // asctime: "Sun Nov  6 08:49:37 1994"
        f = split_fields(text);
        if (f.size() != 5) {
            return std::nullopt;
        }
        auto d = number(f[2]);
        auto y = number(f[4]);
        if (!d || !y) {
            return std::nullopt;
        }
        day = *d;
        year = *y;
        month = f[1];
        time = f[3];
    }
    auto m = std::find(months.begin(), months.end(), month);
    if (m == months.end() || time.size() != 8 || time[2] != ':' || time[5] != ':') {
        return std::nullopt;
    }
    auto hh = number(time.substr(0, 2));
    auto mm = number(time.substr(3, 2));
    auto ss = number(time.substr(6, 2));
    if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60 || day < 1 || day > 31) {
        return std::nullopt;
    }
    auto days = days_from_civil(year, static_cast<unsigned>(m - months.begin() + 1),
                                static_cast<unsigned>(day));
    return days * 86400 + *hh * 3600 + *mm * 60 + *ss;
}

std::string format_http_date(std::int64_t seconds) {
    std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    std::int64_t rest = seconds - days * 86400;
    // civil_from_days
    std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
    auto two = [](std::int64_t v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    auto weekday = weekdays[static_cast<std::size_t>(((days % 7) + 7) % 7)];
    return std::string(weekday) + ", " + two(d) + " " + std::string(months[m - 1]) + " " +
           std::to_string(y) + " " + two(rest / 3600) + ":" + two(rest / 60 % 60) + ":" +
           two(rest % 60) + " GMT";
}

std::int64_t current_age(const stored_response& r, std::int64_t now) {
    std::int64_t date = r.response_time;
    if (auto d = find_header(r.headers, "date")) {
        date = parse_http_date(*d).value_or(r.response_time);
    }
    std::int64_t age_value = 0;
    if (auto a = find_header(r.headers, "age")) {
        age_value = parse_seconds(*a).value_or(0);
    }
    auto apparent_age = std::max<std::int64_t>(0, r.response_time - date);
    auto response_delay = std::max<std::int64_t>(0, r.response_time - r.request_time);
    auto corrected_age_value = age_value + response_delay;
    auto corrected_initial_age = std::max(apparent_age, corrected_age_value);
    auto resident_time = std::max<std::int64_t>(0, now - r.response_time);
    return corrected_initial_age + resident_time;
}

std::optional<std::int64_t> freshness_lifetime(const stored_response& r) {
    auto cc = parse_cache_control(find_header(r.headers, "cache-control").value_or(""));
    if (cc.max_age) {
        return *cc.max_age; // s-maxage is for shared caches only
    }
    if (auto expires = find_header(r.headers, "expires")) {
        auto when = parse_http_date(*expires);
        if (!when) {
            return 0; // an invalid Expires means "already expired"
        }
        std::int64_t date = r.response_time;
        if (auto d = find_header(r.headers, "date")) {
            date = parse_http_date(*d).value_or(r.response_time);
        }
        return std::max<std::int64_t>(0, *when - date);
    }
    return std::nullopt;
}

bool is_fresh(const stored_response& r, std::int64_t now) {
    auto cc = parse_cache_control(find_header(r.headers, "cache-control").value_or(""));
    if (cc.no_cache || cc.no_store) {
        return false;
    }
    auto lifetime = freshness_lifetime(r);
    return lifetime && *lifetime > current_age(r, now);
}

bool is_storable(int status, const http_headers& headers) {
    static constexpr std::array<int, 7> statuses{200, 203, 300, 301, 308, 404, 410};
    if (std::find(statuses.begin(), statuses.end(), status) == statuses.end()) {
        return false;
    }
    auto cc = parse_cache_control(find_header(headers, "cache-control").value_or(""));
    if (cc.no_store) {
        return false;
    }
    if (auto vary = find_header(headers, "vary"); vary && trim(*vary) == "*") {
        return false;
    }
    stored_response r{status, headers, 0, 0};
    return freshness_lifetime(r).has_value() || cc.no_cache ||
           find_header(headers, "etag").has_value() ||
           find_header(headers, "last-modified").has_value();
}

cache_decision decide_cache_action(const stored_response* stored, cache_mode mode,
                                   std::int64_t now) {
    cache_decision out;
    if (mode == cache_mode::offline) {
        out.action = stored ? cache_action::use_stored : cache_action::offline_miss;
        return out;
    }
    if (!stored) {
        out.action = cache_action::fetch;
        return out;
    }
    if (mode == cache_mode::normal && is_fresh(*stored, now)) {
        out.action = cache_action::use_stored;
        return out;
    }
    if (auto etag = find_header(stored->headers, "etag")) {
        out.conditional_headers.push_back({"If-None-Match", *etag});
    }
    if (auto modified = find_header(stored->headers, "last-modified")) {
        out.conditional_headers.push_back({"If-Modified-Since", *modified});
    }
    out.action = out.conditional_headers.empty() ? cache_action::fetch : cache_action::revalidate;
    return out;
}

stored_response freshen_with_not_modified(const stored_response& stored, const http_headers& fresh,
                                          std::int64_t request_time, std::int64_t response_time) {
    static constexpr std::array<std::string_view, 5> kept{
        "content-length", "content-encoding", "transfer-encoding", "content-range", "content-type"};
    stored_response out = stored;
    out.request_time = request_time;
    out.response_time = response_time;
    for (const auto& h : fresh) {
        bool keep_stored = std::any_of(kept.begin(), kept.end(),
                                       [&](std::string_view k) { return iequals(k, h.name); });
        if (keep_stored) {
            continue;
        }
        std::erase_if(out.headers, [&](const http_header& s) { return iequals(s.name, h.name); });
    }
    for (const auto& h : fresh) {
        bool keep_stored = std::any_of(kept.begin(), kept.end(),
                                       [&](std::string_view k) { return iequals(k, h.name); });
        if (!keep_stored) {
            out.headers.push_back(h);
        }
    }
    // A 304 without Age must not leave the old Age behind ("age" was not replaced).
    if (!find_header(fresh, "age")) {
        std::erase_if(out.headers, [](const http_header& s) { return iequals(s.name, "age"); });
    }
    return out;
}

core::error offline_miss_error(std::string_view url) {
    core::error e{core::errc::not_found,
                  std::string(url) + " is not in the cache and --offline forbids fetching it"};
    e.add_hint("run once without --offline to fill the cache");
    return e;
}

} // namespace actpip::storage
