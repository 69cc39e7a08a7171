#include "actpip/net/content_decoder.hpp"

#include <zlib.h>

#include <array>
#include <string>

#include "actpip/net/response.hpp"

namespace actpip::net {

struct content_decoder::impl {
    encoding enc;
    z_stream z{};
    bool initialised = false;
    bool ended = false;
    bool sniffed = false; // deflate: zlib header or raw, decided on the first two bytes
    std::string head;     // deflate: bytes held back until two have arrived
    std::array<char, 64 * 1024> buf{};

    ~impl() {
        if (initialised)
            inflateEnd(&z);
    }
    bool init(int window_bits) {
        initialised = inflateInit2(&z, window_bits) == Z_OK;
        return initialised;
    }
};

namespace {

core::error decode_error(std::string_view why) {
    return core::error{core::errc::network, "cannot decode response body: " + std::string(why)};
}

} // namespace

std::optional<content_decoder::encoding> content_decoder::from_header(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    if (v.empty() || iequals(v, "identity"))
        return encoding::identity;
    if (iequals(v, "gzip") || iequals(v, "x-gzip"))
        return encoding::gzip;
    if (iequals(v, "deflate"))
        return encoding::deflate;
    return std::nullopt;
}

content_decoder::content_decoder(encoding e) : impl_(std::make_unique<impl>()) {
    impl_->enc = e;
    if (e == encoding::gzip)
        impl_->init(16 + MAX_WBITS);
}

content_decoder::~content_decoder() = default;

core::result<void> content_decoder::write(std::string_view in, const output& out) {
    auto& s = *impl_;
    if (s.enc == encoding::identity)
        return in.empty() ? core::result<void>{} : out(in);
    if (in.empty())
        return {};
    if (s.enc == encoding::deflate && !s.sniffed) {
        if (s.head.size() + in.size() < 2) {
            s.head.append(in);
            return {};
        }
        if (!s.head.empty()) {
            std::string joined = s.head + std::string(in);
            s.head.clear();
            return write(joined, out);
        }
        s.sniffed = true;
        // A zlib header: CMF with method 8 and (CMF*256+FLG) % 31 == 0.
        bool zlib_wrapped =
            in.size() >= 2 && (static_cast<unsigned char>(in[0]) & 0x0f) == 8 &&
            ((static_cast<unsigned char>(in[0]) << 8) | static_cast<unsigned char>(in[1])) % 31 ==
                0;
        s.init(zlib_wrapped ? MAX_WBITS : -MAX_WBITS);
    }
    if (!s.initialised)
        return std::unexpected(decode_error("zlib initialisation failed"));
    if (s.ended)
        return std::unexpected(decode_error("data after the end of the compressed stream"));
    s.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    s.z.avail_in = static_cast<uInt>(in.size());
    do {
        s.z.next_out = reinterpret_cast<Bytef*>(s.buf.data());
        s.z.avail_out = static_cast<uInt>(s.buf.size());
        int rc = inflate(&s.z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            s.ended = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return std::unexpected(decode_error(s.z.msg ? s.z.msg : "corrupt data"));
        }
        auto produced = s.buf.size() - s.z.avail_out;
        if (produced > 0) {
            if (auto r = out(std::string_view(s.buf.data(), produced)); !r)
                return r;
        }
        if (rc == Z_BUF_ERROR && produced == 0)
            break;
    } while (!s.ended && (s.z.avail_in > 0 || s.z.avail_out == 0));
    if (s.ended && s.z.avail_in > 0)
        return std::unexpected(decode_error("data after the end of the compressed stream"));
    return {};
}

core::result<void> content_decoder::finish() {
    if (impl_->enc == encoding::identity || impl_->ended)
        return {};
    if (!impl_->sniffed && impl_->enc == encoding::deflate && impl_->head.empty())
        return {}; // an empty body
    return std::unexpected(decode_error("compressed stream is truncated"));
}

} // namespace actpip::net
