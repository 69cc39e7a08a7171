#include "actpip/actors/fetch_target.hpp"

#include "actpip/core/hash.hpp"

namespace actpip::actors {

namespace {

// Fields joined by a separator no field can hold, each list prefixed with its length.
void put(std::string& out, std::string_view field) {
    out += field;
    out += '\x1f';
}
void put(std::string& out, const std::vector<std::string>& list) {
    put(out, std::to_string(list.size()));
    for (const auto& x : list)
        put(out, x);
}

} // namespace

std::string target_key(const fetch_target& t) {
    std::string text;
    put(text, t.index_urls);
    put(text, t.find_links);
    put(text, std::to_string(static_cast<int>(t.strategy)));
    const auto& i = t.interpreter;
    put(text, i.implementation);
    put(text, std::to_string(i.major) + "." + (i.has_minor ? std::to_string(i.minor) : "-"));
    put(text, i.abis);
    put(text, std::to_string(static_cast<int>(i.os)));
    put(text, i.arch);
    put(text,
        i.has_glibc ? std::to_string(i.glibc_major) + "." + std::to_string(i.glibc_minor) : "-");
    put(text, i.has_musl ? std::to_string(i.musl_major) + "." + std::to_string(i.musl_minor) : "-");
    put(text, std::to_string(i.macos_major) + "." + std::to_string(i.macos_minor));
    put(text, i.platform);
    put(text, i.platforms);
    put(text, t.python_version);
    put(text, t.allow_prereleases ? "pre" : "final");
    put(text, t.no_binary);
    put(text, t.only_binary);
    put(text, std::to_string(t.markers.size()));
    for (const auto& [k, v] : t.markers) {
        put(text, k);
        put(text, v);
    }
    put(text, std::to_string(static_cast<int>(t.cache_mode)));
    put(text, t.crawl ? "crawl" : "no-crawl");
    auto digest = core::hash_bytes(core::hash_algorithm::sha256, text);
    return digest ? digest->hex : text;
}

wire_interpreter to_wire(const core::interpreter_info& info,
                         std::span<const std::string> platforms) {
    wire_interpreter w;
    w.implementation = info.implementation;
    w.major = info.version.major;
    w.has_minor = info.version.minor.has_value();
    w.minor = info.version.minor.value_or(0);
    w.abis = info.abis;
    w.os = info.os;
    w.arch = info.arch;
    if (info.glibc) {
        w.has_glibc = true;
        w.glibc_major = info.glibc->major;
        w.glibc_minor = info.glibc->minor;
    }
    if (info.musl) {
        w.has_musl = true;
        w.musl_major = info.musl->major;
        w.musl_minor = info.musl->minor;
    }
    w.macos_major = info.macos.major;
    w.macos_minor = info.macos.minor;
    w.platform = info.platform;
    w.platforms.assign(platforms.begin(), platforms.end());
    return w;
}

core::interpreter_info from_wire(const wire_interpreter& w) {
    core::interpreter_info info;
    info.implementation = w.implementation;
    info.version.major = w.major;
    if (w.has_minor)
        info.version.minor = w.minor;
    info.abis = w.abis;
    info.os = w.os;
    info.arch = w.arch;
    if (w.has_glibc)
        info.glibc = core::major_minor{w.glibc_major, w.glibc_minor};
    if (w.has_musl)
        info.musl = core::major_minor{w.musl_major, w.musl_minor};
    info.macos = core::major_minor{w.macos_major, w.macos_minor};
    info.platform = w.platform;
    return info;
}

core::result<compiled_target> compile_target(const fetch_target& t) {
    compiled_target c;
    auto tags = core::supported_tags(from_wire(t.interpreter), t.interpreter.platforms);
    if (tags.empty())
        return core::fail(core::errc::invalid_tag,
                          "no wheel tags for the target interpreter and platform");
    c.policy.tags = core::tag_ranker(tags);
    auto v = core::version::parse(t.python_version);
    if (!v)
        return std::unexpected(std::move(v.error()).add_context("the target's Python version"));
    c.policy.python_version = std::move(*v);
    c.policy.allow_prereleases = t.allow_prereleases;
    for (const auto& x : t.no_binary)
        c.policy.formats.no_binary.insert(x);
    for (const auto& x : t.only_binary)
        c.policy.formats.only_binary.insert(x);
    for (const auto& [k, v2] : t.markers)
        c.markers.values.emplace(k, v2);
    return c;
}

} // namespace actpip::actors
