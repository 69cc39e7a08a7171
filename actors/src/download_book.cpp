#include "actpip/actors/download_book.hpp"

#include "actpip/actors/resolution_wire.hpp"

namespace actpip::actors {

void download_book::know(const wire_file& file) {
    auto key = pin_key(file.name, file.version);
    auto [it, fresh] = slots_.try_emplace(key);
    if (!fresh)
        return;
    it->second.file = file;
    url_to_key_[file.url] = key;
}

bool download_book::start(const wire_file& file) {
    auto key = pin_key(file.name, file.version);
    auto [it, fresh] = slots_.try_emplace(key);
    if (!fresh && it->second.status != state::known)
        return false;
    it->second.file = file;
    it->second.status = state::downloading;
    url_to_key_[file.url] = key;
    return true;
}

void download_book::landed(const std::string& key, const downloaded_wheel& w) {
    auto it = slots_.find(key);
    if (it == slots_.end() || it->second.status != state::downloading)
        return;
    it->second.status = state::downloaded;
    it->second.wheel = w.wheel;
    it->second.from_cache = w.requests == 0;
}

void download_book::failed(const std::string& key, core::error e) {
    auto it = slots_.find(key);
    if (it == slots_.end())
        return;
    it->second.status = state::failed;
    it->second.error = std::move(e);
}

const download_book::slot* download_book::find(const std::string& key) const {
    auto it = slots_.find(key);
    return it == slots_.end() ? nullptr : &it->second;
}

const std::string* download_book::filename_of_url(const std::string& url) const {
    auto it = url_to_key_.find(url);
    if (it == url_to_key_.end())
        return nullptr;
    return &slots_.at(it->second).file.filename;
}

download_book::readiness download_book::check(const std::vector<resolved_pin>& pins,
                                              bool need_wheels) const {
    readiness r;
    // Pins come sorted by name: the install order is the resolution's, whatever the order
    // in which the wheels landed, so that two runs hand the installer the same plan.
    for (const auto& pin : pins) {
        if (pin.installed)
            continue;
        auto key = pin_key(pin.name, pin.version);
        const auto* s = find(key);
        if (s && s->status == state::failed) {
            r.failure = s->error;
            break;
        }
        bool there = s && (need_wheels ? s->status == state::downloaded : true);
        if (!there)
            r.missing.push_back(key);
        else if (need_wheels)
            r.wheels.push_back({s->file, s->wheel});
    }
    if (!r.ready())
        r.wheels.clear();
    return r;
}

} // namespace actpip::actors
