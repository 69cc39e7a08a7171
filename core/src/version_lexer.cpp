#include "version_lexer.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace actpip::core::detail::pep440 {

namespace {

struct decoded {
    std::uint32_t code = 0;
    std::size_t length = 0; // 0: not a valid UTF-8 sequence
};

decoded decode(std::string_view s, std::size_t pos) {
    if (pos >= s.size()) {
        return {};
    }
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80) {
        return {b0, 1};
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if ((b0 & 0xE0) == 0xC0) {
        length = 2;
        code = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        length = 3;
        code = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        length = 4;
        code = b0 & 0x07;
    } else {
        return {};
    }
    if (pos + length > s.size()) {
        return {};
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) {
            return {};
        }
        code = (code << 6) | (b & 0x3F);
    }
    return {code, length};
}

bool is_python_space(std::uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_digit(std::string_view s, std::size_t pos) {
    return pos < s.size() && s[pos] >= '0' && s[pos] <= '9';
}

bool is_sep(std::string_view s, std::size_t pos) {
    return pos < s.size() && (s[pos] == '-' || s[pos] == '_' || s[pos] == '.');
}

// Bytes of `word` matched case-insensitively at s[pos], 0 if it does not match.
std::size_t match_word(std::string_view s, std::size_t pos, std::string_view word) {
    std::size_t p = pos;
    for (const char c : word) {
        const std::size_t n = match_letter(s, p, c);
        if (n == 0) {
            return 0;
        }
        p += n;
    }
    return p - pos;
}

// Length of the [a-z0-9] character (under re.IGNORECASE) at s[pos], 0 if none.
std::size_t alnum_length(std::string_view s, std::size_t pos) {
    if (pos >= s.size()) {
        return 0;
    }
    const char c = s[pos];
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return 1;
    }
    const decoded d = decode(s, pos);
    const bool folds = d.code == 0x130 || d.code == 0x131 || d.code == 0x17F || d.code == 0x212A;
    return folds ? d.length : 0;
}

struct pre_word {
    std::string_view word;
    pre_kind kind;
};

// Longest spellings first: a shorter one would leave letters nothing else can take.
constexpr std::array pre_words{
    pre_word{"preview", pre_kind::rc}, pre_word{"alpha", pre_kind::alpha},
    pre_word{"beta", pre_kind::beta},  pre_word{"pre", pre_kind::rc},
    pre_word{"rc", pre_kind::rc},      pre_word{"a", pre_kind::alpha},
    pre_word{"b", pre_kind::beta},     pre_word{"c", pre_kind::rc},
};
constexpr std::array<std::string_view, 3> post_words{"post", "rev", "r"};

// A greedy scanner over the grammar of packaging's VERSION_PATTERN. Greedy choices are the
// ones Python's backtracking regex settles on: every optional separator or number it takes
// here could not have been taken by a later part of the pattern instead.
class scanner {
public:
    explicit scanner(std::string_view text) : t_(text) {}

    std::expected<version, scan_failure> run(version_grammar grammar) {
        if (t_.empty()) {
            return fail(0, "the version is empty");
        }
        if (const std::size_t n = match_letter(t_, pos_, 'v'); n != 0) {
            pos_ += n;
        }
        if (!is_digit(t_, pos_)) {
            return fail(pos_, "expected a release number, found " + quoted(pos_));
        }
        std::size_t q = pos_;
        while (is_digit(t_, q)) {
            ++q;
        }
        if (q < t_.size() && t_[q] == '!') {
            builder_.epoch(number());
            ++pos_;
            if (!is_digit(t_, pos_)) {
                return fail(pos_,
                            "expected a release number after the epoch, found " + quoted(pos_));
            }
        }
        std::vector<std::uint64_t> release{number()};
        while (pos_ < t_.size() && t_[pos_] == '.' && is_digit(t_, pos_ + 1)) {
            ++pos_;
            release.push_back(number());
        }
        builder_.release(std::move(release));
        scan_pre();
        scan_post();
        if (grammar == version_grammar::full) {
            scan_dev();
            if (pos_ < t_.size() && t_[pos_] == '+') {
                scan_local();
            }
        }
        if (!failure_ && pos_ != t_.size()) {
            return fail(pos_, "unexpected " + quoted(pos_));
        }
        if (failure_) {
            return std::unexpected(std::move(*failure_));
        }
        return builder_.build();
    }

private:
    std::unexpected<scan_failure> fail(std::size_t pos, std::string reason) {
        return std::unexpected(scan_failure{pos, std::move(reason)});
    }

    std::string quoted(std::size_t pos) const {
        if (pos >= t_.size()) {
            return "the end";
        }
        return "'" + std::string(char_at(t_, pos)) + "'";
    }

    // Reads the ASCII digits at pos_; records a failure when they exceed 64 bits. A deliberate
    // divergence from packaging (Python integers are unbounded): no real version needs more,
    // and fixed-size numbers keep comparison cheap.
    std::uint64_t number() {
        const std::size_t start = pos_;
        std::uint64_t value = 0;
        bool overflow = false;
        for (; is_digit(t_, pos_); ++pos_) {
            const auto digit = static_cast<std::uint64_t>(t_[pos_] - '0');
            if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
                overflow = true;
            } else {
                value = value * 10 + digit;
            }
        }
        if (overflow && !failure_) {
            failure_ =
                scan_failure{start, "the number '" + std::string(t_.substr(start, pos_ - start)) +
                                        "' is too large (the limit is 2^64-1)"};
        }
        return value;
    }

    std::size_t skip_sep(std::size_t p) const { return is_sep(t_, p) ? p + 1 : p; }

    // `[-_.]? letters [-_.]? digits?` starting at pos_; returns true when the letters matched.
    template <class Words, class OnMatch>
    bool scan_labeled(const Words& words, OnMatch&& on_match) {
        const std::size_t p = skip_sep(pos_);
        for (const auto& w : words) {
            std::size_t n = 0;
            if constexpr (std::is_same_v<std::decay_t<decltype(w)>, pre_word>) {
                n = match_word(t_, p, w.word);
            } else {
                n = match_word(t_, p, w);
            }
            if (n == 0) {
                continue;
            }
            pos_ = skip_sep(p + n);
            const std::uint64_t value = is_digit(t_, pos_) ? number() : 0;
            on_match(w, value);
            return true;
        }
        return false;
    }

    void scan_pre() {
        scan_labeled(pre_words,
                     [&](const pre_word& w, std::uint64_t n) { builder_.pre(w.kind, n); });
    }

    void scan_post() {
        if (pos_ < t_.size() && t_[pos_] == '-' && is_digit(t_, pos_ + 1)) {
            ++pos_;
            builder_.post(number()); // implicit post release: 1.0-1
            return;
        }
        scan_labeled(post_words, [&](std::string_view, std::uint64_t n) { builder_.post(n); });
    }

    void scan_dev() {
        constexpr std::array<std::string_view, 1> dev_words{"dev"};
        scan_labeled(dev_words, [&](std::string_view, std::uint64_t n) { builder_.dev(n); });
    }

    void scan_local() {
        ++pos_; // '+'
        std::vector<local_segment> segments;
        while (true) {
            const std::size_t start = pos_;
            bool all_digits = true;
            while (const std::size_t n = alnum_length(t_, pos_)) {
                all_digits = all_digits && is_digit(t_, pos_);
                pos_ += n;
            }
            if (pos_ == start) {
                if (!failure_) {
                    failure_ = scan_failure{start, "expected a local version label, found " +
                                                       quoted(start)};
                }
                return;
            }
            if (all_digits) {
                pos_ = start;
                segments.emplace_back(number());
            } else {
                segments.emplace_back(python_lower(t_.substr(start, pos_ - start)));
            }
            if (!is_sep(t_, pos_) || alnum_length(t_, pos_ + 1) == 0) {
                break;
            }
            ++pos_;
        }
        builder_.local(std::move(segments));
    }

    std::string_view t_;
    std::size_t pos_ = 0;
    version_builder builder_;
    std::optional<scan_failure> failure_;
};

} // namespace

std::size_t space_length(std::string_view s, std::size_t pos) {
    const decoded d = decode(s, pos);
    return d.length != 0 && is_python_space(d.code) ? d.length : 0;
}

trimmed strip_spaces(std::string_view s) {
    std::size_t begin = 0;
    while (const std::size_t n = space_length(s, begin)) {
        begin += n;
    }
    // Scan forward so multi-byte spaces at the end are found without decoding backwards.
    std::size_t end = begin;
    std::size_t p = begin;
    while (p < s.size()) {
        if (const std::size_t n = space_length(s, p)) {
            p += n;
        } else {
            const decoded d = decode(s, p);
            p += d.length == 0 ? 1 : d.length;
            end = p;
        }
    }
    return {begin, s.substr(begin, end - begin)};
}

std::size_t find_space(std::string_view s) {
    std::size_t p = 0;
    while (p < s.size()) {
        if (space_length(s, p) != 0) {
            return p;
        }
        const decoded d = decode(s, p);
        p += d.length == 0 ? 1 : d.length;
    }
    return std::string_view::npos;
}

std::size_t match_letter(std::string_view s, std::size_t pos, char lower) {
    if (pos >= s.size()) {
        return 0;
    }
    const char c = s[pos];
    if (c == lower || c == lower - ('a' - 'A')) {
        return 1;
    }
    const decoded d = decode(s, pos);
    switch (lower) {
    case 'i':
        return d.code == 0x130 || d.code == 0x131 ? d.length : 0; // İ ı
    case 's':
        return d.code == 0x17F ? d.length : 0; // ſ
    case 'k':
        return d.code == 0x212A ? d.length : 0; // Kelvin sign
    default:
        return 0;
    }
}

std::string python_lower(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t p = 0; p < s.size();) {
        const char c = s[p];
        if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c + ('a' - 'A'));
            ++p;
            continue;
        }
        const decoded d = decode(s, p);
        if (d.code == 0x130) {
            out += "i\xCC\x87"; // U+0130 lower-cases to 'i' + U+0307
        } else if (d.code == 0x212A) {
            out += 'k';
        } else if (d.length > 1) {
            out += s.substr(p, d.length);
        } else {
            out += c;
        }
        p += d.length == 0 ? 1 : d.length;
    }
    return out;
}

std::string_view char_at(std::string_view s, std::size_t pos) {
    const decoded d = decode(s, pos);
    return s.substr(pos, d.length == 0 ? 1 : d.length);
}

std::expected<version, scan_failure> scan_version(std::string_view text, version_grammar grammar) {
    return scanner(text).run(grammar);
}

} // namespace actpip::core::detail::pep440
