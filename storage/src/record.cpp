#include "actpip/storage/record.hpp"

#include <algorithm>
#include <tuple>

namespace actpip::storage {

namespace {

constexpr std::string_view b64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// One CSV field as Python's csv.writer (QUOTE_MINIMAL) writes it.
void append_field(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
}

} // namespace

std::string base64_urlsafe_nopad(std::string_view bytes) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += b64_alphabet[(acc >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += b64_alphabet[(acc << (6 - bits)) & 0x3f];
    }
    return out;
}

std::optional<std::string> base64_urlsafe_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        auto pos = b64_alphabet.find(c);
        if (pos == std::string_view::npos) {
            return std::nullopt;
        }
        acc = (acc << 6) | static_cast<std::uint32_t>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    return out;
}

std::string hex_to_bytes(std::string_view hex) {
    std::string out;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
    }
    return out;
}

std::string format_record_hash(core::hash_algorithm algorithm, std::string_view digest_bytes) {
    return std::string(core::to_string(algorithm)) + "=" + base64_urlsafe_nopad(digest_bytes);
}

core::result<record_hash> parse_record_hash(std::string_view field) {
    auto eq = field.find('=');
    if (eq == std::string_view::npos) {
        return core::fail(core::errc::invalid_hash,
                          "RECORD hash '" + std::string(field) + "' is not <algorithm>=<digest>");
    }
    auto algorithm = core::parse_hash_algorithm(field.substr(0, eq));
    if (!algorithm || *algorithm == core::hash_algorithm::md5 ||
        *algorithm == core::hash_algorithm::sha1) {
        return core::fail(core::errc::invalid_hash,
                          "RECORD hash algorithm '" + std::string(field.substr(0, eq)) +
                              "' is not allowed (PEP 427: sha256 or stronger)");
    }
    auto digest = base64_urlsafe_decode(field.substr(eq + 1));
    if (!digest || digest->size() != core::digest_size(*algorithm)) {
        return core::fail(core::errc::invalid_hash,
                          "RECORD hash '" + std::string(field) + "' has a malformed digest");
    }
    return record_hash{*algorithm, std::move(*digest)};
}

core::result<std::vector<record_entry>> parse_record(std::string_view text,
                                                     std::string_view source) {
    std::vector<record_entry> rows;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    bool any = false;
    auto end_row = [&] {
        if (any || !field.empty()) {
            fields.push_back(std::move(field));
        }
        field.clear();
        if (!fields.empty() && !fields[0].empty()) {
            record_entry e;
            e.path = fields[0];
            e.hash = fields.size() > 1 ? fields[1] : "";
            e.size = fields.size() > 2 ? fields[2] : "";
            rows.push_back(std::move(e));
        }
        fields.clear();
        any = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && field.empty()) {
            quoted = true;
            any = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            end_row();
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else {
            field += c;
        }
    }
    if (quoted) {
        return core::fail(core::errc::invalid_metadata,
                          std::string(source) + ": unterminated quoted field");
    }
    end_row();
    return rows;
}

std::string format_record(std::vector<record_entry> rows) {
    std::sort(rows.begin(), rows.end(), [](const record_entry& a, const record_entry& b) {
        return std::tie(a.path, a.hash, a.size) < std::tie(b.path, b.hash, b.size);
    });
    std::string out;
    for (const auto& r : rows) {
        append_field(out, r.path);
        out += ',';
        append_field(out, r.hash);
        out += ',';
        append_field(out, r.size);
        out += "\r\n";
    }
    return out;
}

} // namespace actpip::storage
