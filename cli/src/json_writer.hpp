#pragma once
// A small chaining face over RapidJSON's writer, for the JSON the CLI prints.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace actpip::cli {

class json_writer {
public:
    json_writer() : writer_(buffer_) {}

    json_writer& begin_object() { return ok(writer_.StartObject()); }
    json_writer& end_object() { return ok(writer_.EndObject()); }
    json_writer& begin_array() { return ok(writer_.StartArray()); }
    json_writer& end_array() { return ok(writer_.EndArray()); }
    json_writer& key(std::string_view k) {
        return ok(writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())));
    }
    json_writer& string(std::string_view s) {
        return ok(writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
    }
    json_writer& boolean(bool b) { return ok(writer_.Bool(b)); }
    json_writer& integer(std::int64_t n) { return ok(writer_.Int64(n)); }
    json_writer& uint(std::uint64_t n) { return ok(writer_.Uint64(n)); }
    json_writer& number(double d) { return ok(writer_.Double(d)); }
    json_writer& null() { return ok(writer_.Null()); }
    // A complete JSON text written by another json_writer.
    json_writer& raw(std::string_view json) {
        return ok(writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType));
    }
    // A JSON number given as its decimal digits (numbers beyond 64 bits stay exact).
    json_writer& raw_number(std::string_view digits) {
        return ok(writer_.RawValue(digits.data(), digits.size(), rapidjson::kNumberType));
    }
    template <class Value>
    json_writer& value(const Value& v) {
        return ok(v.Accept(writer_));
    }

    std::string str() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

private:
    json_writer& ok(bool) { return *this; }
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

} // namespace actpip::cli
