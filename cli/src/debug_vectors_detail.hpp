#pragma once
// Pieces shared by the files that answer the conformance vectors, one file per standard.

#include "json_writer.hpp"

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace actpip::cli::detail {

std::string str(const rapidjson::Value& obj, const char* key);
std::vector<std::string> str_list(const rapidjson::Value& obj, const char* key);

// Each returns false when the case cannot be answered (reported as unsupported).
bool wheel_filename_vector(const rapidjson::Value& in, json_writer& w);
bool tag_parse_vector(const rapidjson::Value& in, json_writer& w);
bool tag_priority_vector(const rapidjson::Value& in, json_writer& w);

} // namespace actpip::cli::detail
