#pragma once
// The session's record of its wheels: one slot per pinned version (tentative pins included),
// its file, whether its download is running, has landed or failed, and, once the resolution
// is final, whether every wheel it needs is there and in which order they go to the
// installer. The session asks it every decision about downloads; it holds no actors, so
// those decisions are tested directly.

#include "actpip/actors/protocol/download.hpp"
#include "actpip/actors/protocol/resolution.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace actpip::actors {

// A pinned file and the verified wheel in the cache.
struct session_wheel {
    wire_file file;
    artifact wheel;
};

class download_book {
public:
    enum class state {
        known,       // the file is known, no download asked for (a dry run)
        downloading, // asked for, not landed
        downloaded,  // in the cache, hash-checked
        failed,      // the download (or unpacking it) failed: `error` says why
    };
    struct slot {
        wire_file file;
        state status = state::known;
        artifact wheel;          // downloaded
        bool from_cache = false; // downloaded without a request
        core::error error;       // failed
    };

    // The file of a pin is known (a dry run records files without downloading them).
    void know(const wire_file& file);
    // A pin's file should be downloaded: true when its download must start now (the first
    // time its version asks for one).
    bool start(const wire_file& file);
    // The download of `key` (pin_key) landed, or failed; a landed wheel that cannot be
    // unpacked fails too. Unknown keys are ignored.
    void landed(const std::string& key, const downloaded_wheel& w);
    void failed(const std::string& key, core::error e);

    const slot* find(const std::string& key) const;
    // The file name whose bytes arrive from `url` (progress of a download in flight).
    const std::string* filename_of_url(const std::string& url) const;
    bool has(const std::string& key) const { return slots_.contains(key); }

    // Where the final resolution stands. The pins already installed need nothing.
    struct readiness {
        std::optional<core::error> failure; // the first needed wheel (by name) that failed
        std::vector<std::string> missing;   // pin keys still without a file or a wheel
        std::vector<session_wheel> wheels;  // when nothing is missing: the install order
        bool ready() const { return !failure && missing.empty(); }
    };
    // `need_wheels` false (a dry run): a known file is enough.
    readiness check(const std::vector<resolved_pin>& pins, bool need_wheels) const;

private:
    std::map<std::string, slot> slots_;             // by pin_key
    std::map<std::string, std::string> url_to_key_; // download URL -> pin key
};

} // namespace actpip::actors
