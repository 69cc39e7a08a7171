#include "actpip/storage/http_cache.hpp"

#include "actpip/core/index_url.hpp"
#include "actpip/storage/cache_entry.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <filesystem>

namespace actpip::storage {

namespace {

// Entries are keyed, and their URL stored, without credentials: a password in an index URL
// is sent in its requests and never written to the cache.
std::string key_of(std::string_view url) {
    return core::url_without_credentials(url);
}

} // namespace

std::string serialize_http_entry(const http_cache_entry& entry) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("url");
    w.String(entry.url.data(), static_cast<rapidjson::SizeType>(entry.url.size()));
    w.Key("status");
    w.Int(entry.response.status);
    w.Key("request_time");
    w.Int64(entry.response.request_time);
    w.Key("response_time");
    w.Int64(entry.response.response_time);
    w.Key("headers");
    w.StartArray();
    for (const auto& h : entry.response.headers) {
        w.StartArray();
        w.String(h.name.data(), static_cast<rapidjson::SizeType>(h.name.size()));
        w.String(h.value.data(), static_cast<rapidjson::SizeType>(h.value.size()));
        w.EndArray();
    }
    w.EndArray();
    w.EndObject();
    std::string meta(buffer.GetString(), buffer.GetSize());
    std::string out;
    auto n = static_cast<std::uint32_t>(meta.size());
    for (int i = 0; i < 4; ++i) {
        out += static_cast<char>((n >> (8 * i)) & 0xFF);
    }
    out += meta;
    out += entry.body;
    return out;
}

core::result<http_cache_entry> deserialize_http_entry(std::string_view content) {
    auto bad = [](std::string why) { return core::fail(core::errc::io, "bad HTTP entry: " + why); };
    if (content.size() < 4) {
        return bad("too short");
    }
    std::uint32_t n = 0;
    for (int i = 3; i >= 0; --i) {
        n = (n << 8) | static_cast<unsigned char>(content[static_cast<std::size_t>(i)]);
    }
    if (content.size() - 4 < n) {
        return bad("header length past the end");
    }
    rapidjson::Document doc;
    doc.Parse(content.data() + 4, n);
    if (doc.HasParseError() || !doc.IsObject()) {
        return bad("header is not a JSON object");
    }
    http_cache_entry entry;
    auto url = doc.FindMember("url");
    auto status = doc.FindMember("status");
    auto request_time = doc.FindMember("request_time");
    auto response_time = doc.FindMember("response_time");
    auto headers = doc.FindMember("headers");
    if (url == doc.MemberEnd() || !url->value.IsString() || status == doc.MemberEnd() ||
        !status->value.IsInt() || request_time == doc.MemberEnd() ||
        !request_time->value.IsInt64() || response_time == doc.MemberEnd() ||
        !response_time->value.IsInt64() || headers == doc.MemberEnd() ||
        !headers->value.IsArray()) {
        return bad("missing fields");
    }
    entry.url.assign(url->value.GetString(), url->value.GetStringLength());
    entry.response.status = status->value.GetInt();
    entry.response.request_time = request_time->value.GetInt64();
    entry.response.response_time = response_time->value.GetInt64();
    for (const auto& h : headers->value.GetArray()) {
        if (!h.IsArray() || h.Size() != 2 || !h[0].IsString() || !h[1].IsString()) {
            return bad("malformed header");
        }
        entry.response.headers.push_back({std::string(h[0].GetString(), h[0].GetStringLength()),
                                          std::string(h[1].GetString(), h[1].GetStringLength())});
    }
    entry.body = std::string(content.substr(4 + n));
    return entry;
}

http_cache_lookup http_cache::load(std::string_view full_url) const {
    http_cache_lookup out;
    const auto url = key_of(full_url);
    auto path = layout_.http_entry(url);
    auto read = read_cache_entry(path);
    out.dropped = std::move(read.dropped);
    if (!read.content) {
        return out;
    }
    auto entry = deserialize_http_entry(*read.content);
    if (!entry || entry->url != url) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        out.dropped = core::error{core::errc::io,
                                  "dropped corrupt cache entry " + path.string() + ": " +
                                      (entry ? "it is for another URL" : entry.error().message)};
        return out;
    }
    out.entry = std::move(*entry);
    return out;
}

core::result<void> http_cache::store(const http_cache_entry& entry) const {
    auto url = key_of(entry.url);
    if (url != entry.url) {
        auto copy = entry;
        copy.url = url;
        return write_cache_entry(layout_.http_entry(url), serialize_http_entry(copy),
                                 layout_.global_lock());
    }
    return write_cache_entry(layout_.http_entry(url), serialize_http_entry(entry),
                             layout_.global_lock());
}

core::result<http_cache_entry> http_cache::store_not_modified(std::string_view url,
                                                              const http_headers& headers,
                                                              std::int64_t request_time,
                                                              std::int64_t response_time) const {
    auto found = load(url);
    if (!found.entry) {
        return core::fail(core::errc::not_found,
                          "a 304 arrived for " + std::string(url) +
                              " but its cache entry is gone; send a plain request");
    }
    found.entry->response =
        freshen_with_not_modified(found.entry->response, headers, request_time, response_time);
    if (auto r = store(*found.entry); !r) {
        return std::unexpected(std::move(r.error()));
    }
    return std::move(*found.entry);
}

core::result<void> http_cache::remove(std::string_view url) const {
    std::error_code ec;
    auto path = layout_.http_entry(key_of(url));
    std::filesystem::remove(path, ec);
    if (ec) {
        return core::fail(core::errc::io, "cannot remove " + path.string() + ": " + ec.message());
    }
    return {};
}

} // namespace actpip::storage
