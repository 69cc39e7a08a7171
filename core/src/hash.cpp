#include "actpip/core/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

namespace actpip::core {
namespace {

struct algorithm_info {
    hash_algorithm algorithm;
    std::string_view name;
    std::size_t size;
};

// In pip's Link._SUPPORTED_HASHES order, which is also find_url_hash's.
constexpr std::array<algorithm_info, 6> algorithms{{
    {hash_algorithm::sha512, "sha512", 64},
    {hash_algorithm::sha384, "sha384", 48},
    {hash_algorithm::sha256, "sha256", 32},
    {hash_algorithm::sha224, "sha224", 28},
    {hash_algorithm::sha1, "sha1", 20},
    {hash_algorithm::md5, "md5", 16},
}};

const algorithm_info& info(hash_algorithm algorithm) {
    for (const auto& a : algorithms) {
        if (a.algorithm == algorithm) {
            return a;
        }
    }
    return algorithms[2];
}

const EVP_MD* evp_md(hash_algorithm algorithm) {
    switch (algorithm) {
    case hash_algorithm::md5:
        return EVP_md5();
    case hash_algorithm::sha1:
        return EVP_sha1();
    case hash_algorithm::sha224:
        return EVP_sha224();
    case hash_algorithm::sha256:
        return EVP_sha256();
    case hash_algorithm::sha384:
        return EVP_sha384();
    case hash_algorithm::sha512:
        return EVP_sha512();
    }
    return nullptr;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4U];
        out += digits[data[i] & 0x0FU];
    }
    return out;
}

result<hash_digest> parse_separated(std::string_view text, char sep, bool strong_only) {
    const auto at = text.find(sep);
    if (at == std::string_view::npos) {
        std::string reason = "expected <algorithm>";
        reason += sep;
        reason += "<hex digest>, like sha256";
        reason += sep;
        reason += "abcde...";
        return std::unexpected(
            parse_error(errc::invalid_hash, "hash", text, std::string_view::npos, reason));
    }
    const auto algorithm = parse_hash_algorithm(text.substr(0, at));
    if (!algorithm || (strong_only && !is_strong(*algorithm))) {
        return std::unexpected(
            parse_error(errc::invalid_hash, "hash", text, 0,
                        strong_only ? "allowed hash algorithms are sha256, sha384, sha512"
                                    : "unknown hash algorithm"));
    }
    return hash_digest::make(*algorithm, text.substr(at + 1));
}

} // namespace

std::string_view to_string(hash_algorithm algorithm) {
    return info(algorithm).name;
}

std::optional<hash_algorithm> parse_hash_algorithm(std::string_view name) {
    for (const auto& a : algorithms) {
        if (a.name == name) {
            return a.algorithm;
        }
    }
    return std::nullopt;
}

std::size_t digest_size(hash_algorithm algorithm) {
    return info(algorithm).size;
}

bool is_strong(hash_algorithm algorithm) {
    return algorithm == hash_algorithm::sha256 || algorithm == hash_algorithm::sha384 ||
           algorithm == hash_algorithm::sha512;
}

result<hash_digest> hash_digest::make(hash_algorithm algorithm, std::string_view hex) {
    std::string label(core::to_string(algorithm));
    label += " digest";
    const std::size_t want = digest_size(algorithm) * 2;
    hash_digest out{algorithm, std::string(hex)};
    for (std::size_t i = 0; i < out.hex.size(); ++i) {
        char& c = out.hex[i];
        if (c >= 'A' && c <= 'F') {
            c = static_cast<char>(c - 'A' + 'a');
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return std::unexpected(
                parse_error(errc::invalid_hash, label, hex, i, "not a hexadecimal digit"));
        }
    }
    if (out.hex.size() != want) {
        return std::unexpected(parse_error(errc::invalid_hash, label, hex, std::string_view::npos,
                                           "expected " + std::to_string(want) +
                                               " hexadecimal digits, got " +
                                               std::to_string(out.hex.size())));
    }
    return out;
}

std::string hash_digest::to_string() const {
    std::string out(core::to_string(algorithm));
    out += ':';
    out += hex;
    return out;
}

std::string hash_digest::to_fragment() const {
    std::string out(core::to_string(algorithm));
    out += '=';
    out += hex;
    return out;
}

bool operator==(const hash_digest& a, const hash_digest& b) {
    return a.algorithm == b.algorithm && constant_time_equal(a.hex, b.hex);
}

result<hash_digest> parse_hash(std::string_view text) {
    return parse_separated(text, ':', false);
}

result<hash_digest> parse_hash_option(std::string_view text) {
    return parse_separated(text, ':', true);
}

result<hash_digest> parse_hash_fragment(std::string_view fragment) {
    return parse_separated(fragment, '=', false);
}

result<std::optional<hash_digest>> find_url_hash(std::string_view url) {
    for (std::size_t pos = 0; pos < url.size(); ++pos) {
        if (url[pos] != '#' && url[pos] != '&') {
            continue;
        }
        const auto rest = url.substr(pos + 1);
        for (const auto& a : algorithms) {
            if (!rest.starts_with(a.name) || !rest.substr(a.name.size()).starts_with('=')) {
                continue;
            }
            const auto value = rest.substr(a.name.size() + 1);
            auto digest = hash_digest::make(a.algorithm, value.substr(0, value.find('&')));
            if (!digest) {
                return std::unexpected(std::move(digest.error()));
            }
            return std::optional<hash_digest>(std::move(*digest));
        }
    }
    return std::optional<hash_digest>();
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

struct hasher::impl {
    EVP_MD_CTX* ctx = nullptr;
    const EVP_MD* md = nullptr;
    impl() = default;
    impl(const impl&) = delete;
    impl& operator=(const impl&) = delete;
    ~impl() { EVP_MD_CTX_free(ctx); }
};

hasher::hasher(hash_algorithm algorithm, std::unique_ptr<impl> state)
    : algorithm_(algorithm), impl_(std::move(state)) {}
hasher::hasher(hasher&&) noexcept = default;
hasher& hasher::operator=(hasher&&) noexcept = default;
hasher::~hasher() = default;

result<hasher> hasher::create(hash_algorithm algorithm) {
    auto state = std::make_unique<impl>();
    state->md = evp_md(algorithm);
    state->ctx = EVP_MD_CTX_new();
    if (state->md == nullptr || state->ctx == nullptr ||
        EVP_DigestInit_ex(state->ctx, state->md, nullptr) != 1) {
        return fail(errc::unsupported,
                    "cannot compute " + std::string(to_string(algorithm)) + " hashes here");
    }
    return hasher(algorithm, std::move(state));
}

void hasher::update(std::span<const std::byte> data) {
    if (impl_ && !data.empty()) {
        EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
    }
}

void hasher::update(std::string_view data) {
    update(std::as_bytes(std::span(data)));
}

result<hash_digest> hasher::finish() {
    if (!impl_) {
        return fail(errc::internal, "hasher used after being moved from");
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int size = 0;
    const bool ok = EVP_DigestFinal_ex(impl_->ctx, out.data(), &size) == 1;
    // Start over, so the hasher can be used again.
    const bool reset = EVP_DigestInit_ex(impl_->ctx, impl_->md, nullptr) == 1;
    if (!ok || !reset || size != digest_size(algorithm_)) {
        return fail(errc::internal, "libcrypto failed to finish a " +
                                        std::string(to_string(algorithm_)) + " digest");
    }
    return hash_digest{algorithm_, to_hex(out.data(), size)};
}

result<hash_digest> hash_bytes(hash_algorithm algorithm, std::span<const std::byte> data) {
    auto h = hasher::create(algorithm);
    if (!h) {
        return std::unexpected(std::move(h.error()));
    }
    h->update(data);
    return h->finish();
}

result<hash_digest> hash_bytes(hash_algorithm algorithm, std::string_view data) {
    return hash_bytes(algorithm, std::as_bytes(std::span(data)));
}

} // namespace actpip::core
