#pragma once
// HTML character references as Python's html.unescape decodes them (what pip applies to
// attribute values): numeric references in decimal and hex, with or without the ';';
// the Windows-1252 mapping of 0x80-0x9F; U+FFFD for 0, surrogates and values past
// U+10FFFF; and the named references index pages use (&amp; &lt; &gt; &quot; &apos; &nbsp;
// and a few typographic ones). Unknown names are left as written.

#include <cstdint>
#include <string>
#include <string_view>

namespace actpip::core {

std::string html_unescape(std::string_view text);

// Appends the UTF-8 encoding of `code_point` (which must be a valid scalar value).
void append_utf8(std::string& out, std::uint32_t code_point);

} // namespace actpip::core
