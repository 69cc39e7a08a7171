#include "actpip/core/wheel_filename.hpp"

#include "actpip/core/name.hpp"
#include "py_unicode.hpp"

#include <algorithm>

namespace actpip::core {
namespace {

constexpr std::string_view what = "wheel filename";
// CPython's default sys.get_int_max_str_digits(): int() refuses longer digit strings.
constexpr std::size_t max_int_digits = 4300;

std::unexpected<error> bad(std::string_view filename, std::size_t pos, std::string_view reason) {
    return std::unexpected(parse_error(errc::invalid_filename, what, filename, pos, reason));
}

// re.match(r"^[\w\d._]*$", name, re.UNICODE): `$` also matches before one final "\n".
bool is_wheel_name(std::string_view name) {
    if (name.ends_with('\n')) {
        name.remove_suffix(1);
    }
    std::size_t pos = 0;
    while (pos < name.size()) {
        const auto c = detail::decode_utf8(name, pos);
        if (!c || !(detail::is_py_word(c->code) || c->code == U'.')) {
            return false;
        }
        pos += c->size;
    }
    return true;
}

// _build_tag_regex.match(text) for (\d+)(.*), then int() of the digits.
std::optional<build_tag> match_build_tag(std::string_view text) {
    build_tag out;
    std::size_t digits = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto c = detail::decode_utf8(text, pos);
        if (!c) {
            break;
        }
        const int value = detail::py_decimal_value(c->code);
        if (value < 0) {
            break;
        }
        ++digits;
        if (!(out.number.empty() && value == 0)) {
            out.number += static_cast<char>('0' + value);
        }
        pos += c->size;
    }
    if (digits == 0 || digits > max_int_digits) {
        return std::nullopt;
    }
    if (out.number.empty()) {
        out.number = "0";
    }
    const auto rest = text.substr(pos);
    out.suffix = std::string(rest.substr(0, rest.find('\n')));
    return out;
}

} // namespace

std::strong_ordering operator<=>(const build_tag& a, const build_tag& b) {
    if (const auto c = a.number.size() <=> b.number.size(); c != 0) {
        return c;
    }
    if (const auto c = a.number.compare(b.number); c != 0) {
        return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    // Python compares str by code point, which is UTF-8's byte order.
    const auto c = std::lexicographical_compare_three_way(
        a.suffix.begin(), a.suffix.end(), b.suffix.begin(), b.suffix.end(), [](char x, char y) {
            return static_cast<unsigned char>(x) <=> static_cast<unsigned char>(y);
        });
    return c;
}

std::string wheel_filename::to_string() const {
    std::string out = name;
    std::replace(out.begin(), out.end(), '-', '_');
    out += '-';
    out += version.to_string();
    if (build) {
        out += '-';
        out += build->to_string();
    }
    for (const auto* part : {&python_tag, &abi_tag, &platform_tag}) {
        out += '-';
        out += *part;
    }
    out += ".whl";
    return out;
}

result<wheel_filename> parse_wheel_filename(std::string_view filename) {
    if (!filename.ends_with(".whl")) {
        return bad(filename, std::string_view::npos, "the extension must be '.whl'");
    }
    const std::string_view stem = filename.substr(0, filename.size() - 4);
    const auto dashes = static_cast<std::size_t>(std::count(stem.begin(), stem.end(), '-'));
    if (dashes != 4 && dashes != 5) {
        return bad(filename, std::string_view::npos,
                   "expected name-version(-build)-python-abi-platform.whl (4 or 5 '-')");
    }
    // stem.split("-", dashes - 2): name, version, [build], "python-abi-platform".
    std::vector<std::string_view> parts;
    std::vector<std::size_t> offsets;
    std::size_t start = 0;
    for (std::size_t i = 0; i < dashes - 2; ++i) {
        const auto at = stem.find('-', start);
        parts.push_back(stem.substr(start, at - start));
        offsets.push_back(start);
        start = at + 1;
    }
    parts.push_back(stem.substr(start));
    offsets.push_back(start);

    const auto name_part = parts[0];
    if (const auto at = name_part.find("__"); at != std::string_view::npos) {
        return bad(filename, at, "the project name contains '__'");
    }
    if (!is_wheel_name(name_part)) {
        return bad(filename, 0,
                   "the project name may hold only letters, digits, '_' and '.' (PEP 427)");
    }
    wheel_filename out;
    out.name = normalize_name(name_part);

    auto parsed = version::parse(parts[1]);
    if (!parsed) {
        return bad(filename, offsets[1], parsed.error().message);
    }
    out.version = std::move(*parsed);

    if (dashes == 5) {
        out.build = match_build_tag(parts[2]);
        if (!out.build) {
            return bad(filename, offsets[2], "the build tag must start with a digit");
        }
    }

    const auto tag_part = parts.back();
    auto tags = parse_tag(tag_part);
    if (!tags) {
        return bad(filename, offsets.back(), tags.error().message);
    }
    out.tags = std::move(*tags);
    const auto first = tag_part.find('-');
    const auto second = tag_part.find('-', first + 1);
    out.python_tag = std::string(tag_part.substr(0, first));
    out.abi_tag = std::string(tag_part.substr(first + 1, second - first - 1));
    out.platform_tag = std::string(tag_part.substr(second + 1));
    return out;
}

} // namespace actpip::core
