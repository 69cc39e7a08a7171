#include "actpip/storage/resolution_memo.hpp"

#include "actpip/core/hash.hpp"
#include "actpip/storage/cache_entry.hpp"

namespace actpip::storage {

namespace {

std::filesystem::path memo_path(const cache_layout& layout, std::string_view key) {
    return layout.resolutions_dir() / key.substr(0, 2) / key;
}

} // namespace

std::string resolution_memo_key(std::string_view input) {
    auto d = core::hash_bytes(core::hash_algorithm::sha256, input);
    return d ? d->hex : std::string(64, '0');
}

std::vector<std::string> load_resolution_memo(const cache_layout& layout, std::string_view key) {
    std::vector<std::string> names;
    if (key.size() < 2) {
        return names;
    }
    auto read = read_cache_entry(memo_path(layout, key));
    if (!read.content) {
        return names;
    }
    std::string_view text = *read.content;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        if (!line.empty()) {
            names.emplace_back(line);
        }
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    return names;
}

core::result<void> store_resolution_memo(const cache_layout& layout, std::string_view key,
                                         const std::vector<std::string>& names) {
    if (key.size() < 2) {
        return core::fail(core::errc::internal, "empty resolution memo key");
    }
    std::string content;
    for (const auto& n : names) {
        content += n;
        content += '\n';
    }
    return write_cache_entry(memo_path(layout, key), content, layout.global_lock());
}

} // namespace actpip::storage
