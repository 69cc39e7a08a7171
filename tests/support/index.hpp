#pragma once
// Simple indexes laid out by scripts/make_index.py, the one index generator (the demo and the
// e2e and embedding tests run it too).

#include <filesystem>
#include <string>
#include <string_view>

namespace actpip::test {

// `www` (replaced) as a PEP 503 + 691 + 658/714 index of the wheels in `wheels_dir`:
// www/simple/<project>/index.{html,json}, www/files/<wheel>{,.metadata}.
bool make_index(const std::filesystem::path& www, const std::filesystem::path& wheels_dir,
                std::string* why = nullptr);

// Generated wheels described by `spec_json` (see make_index.py --spec: per wheel its
// dependencies, PEP 658 or not, wrong hashes, zip layout) on bare PEP 503 pages under `www`.
bool make_spec_index(const std::filesystem::path& www, std::string_view spec_json,
                     std::string* why = nullptr);

} // namespace actpip::test
