#pragma once
// Turns a job's progress events and outcome into what the user sees on stderr: a live status
// line on a terminal (`bar`), plain lines otherwise (`plain`), one JSON object per line for
// machines (`json`), or nothing (`none`, and -q, which keeps errors only).

#include "actpip/api.hpp"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>

namespace actpip::cli {

enum class progress_style { bar, plain, json, none };

// "auto": bars on a terminal, plain lines otherwise.
progress_style choose_progress_style(const std::string& setting, bool stderr_is_terminal);

class progress_printer {
public:
    progress_printer(std::ostream& out, progress_style style, int verbosity)
        : out_(out), style_(style), verbosity_(verbosity) {}

    // Called from actpip's threads, one at a time.
    void on_event(const progress_event& e);

    // The summary after the job: what was resolved, downloaded and installed, or the error
    // with its hints. `dry_run`: "Would install ...".
    void on_outcome(const job_outcome& o, job_kind kind);

private:
    void status_line();
    void clear_status();
    void line(const std::string& text);
    std::uint64_t receiving() const;

    std::ostream& out_;
    progress_style style_;
    int verbosity_; // -1 quiet, 0 normal, 1+ verbose
    std::mutex mutex_;
    std::uint64_t known_ = 0;
    std::uint64_t downloads_started_ = 0;
    std::uint64_t downloads_done_ = 0;
    std::uint64_t downloaded_bytes_ = 0;
    std::map<std::string, std::uint64_t> receiving_; // bytes so far of unfinished downloads
    std::uint64_t from_cache_ = 0;
    std::string phase_ = "Resolving";
    bool status_shown_ = false;
    std::chrono::steady_clock::time_point last_draw_{};
};

} // namespace actpip::cli
