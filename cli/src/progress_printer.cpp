#include "progress_printer.hpp"

#include "human_size.hpp"
#include "json_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <vector>

namespace actpip::cli {

progress_style choose_progress_style(const std::string& setting, bool stderr_is_terminal) {
    if (setting == "bar") {
        return progress_style::bar;
    }
    if (setting == "plain") {
        return progress_style::plain;
    }
    if (setting == "json") {
        return progress_style::json;
    }
    if (setting == "none") {
        return progress_style::none;
    }
    return stderr_is_terminal ? progress_style::bar : progress_style::plain;
}

namespace {

std::string seconds(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(s < 10 ? 2 : 1) << s << 's';
    return out.str();
}

// "name==version" lines in the order of their lower-cased names, as uv lists them.
std::vector<std::string> by_name(std::vector<std::string> lines) {
    auto lower = [](std::string s) {
        for (auto& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return s;
    };
    std::sort(lines.begin(), lines.end(),
              [&](const std::string& a, const std::string& b) { return lower(a) < lower(b); });
    return lines;
}

std::string packages(std::uint64_t n) {
    return std::to_string(n) + (n == 1 ? " package" : " packages");
}

} // namespace

std::uint64_t progress_printer::receiving() const {
    std::uint64_t sum = 0;
    for (const auto& [name, bytes] : receiving_) {
        sum += bytes;
    }
    return sum;
}

void progress_printer::line(const std::string& text) {
    clear_status();
    out_ << text << '\n';
}

void progress_printer::clear_status() {
    if (status_shown_) {
        out_ << "\r\033[K";
        status_shown_ = false;
    }
}

void progress_printer::status_line() {
    auto now = std::chrono::steady_clock::now();
    if (status_shown_ && now - last_draw_ < std::chrono::milliseconds(50)) {
        return;
    }
    last_draw_ = now;
    std::ostringstream s;
    s << phase_ << ": " << packages(known_);
    if (downloads_started_ > 0) {
        const int width = 20;
        auto filled = static_cast<int>(width * downloads_done_ / downloads_started_);
        s << "  [" << std::string(static_cast<std::size_t>(filled), '#')
          << std::string(static_cast<std::size_t>(width - filled), '-') << "] " << downloads_done_
          << '/' << downloads_started_ << " wheels, "
          << human_size(downloaded_bytes_ + receiving());
    }
    out_ << "\r\033[K" << s.str() << std::flush;
    status_shown_ = true;
}

void progress_printer::on_event(const progress_event& e) {
    std::lock_guard lock(mutex_);
    if (style_ == progress_style::none || verbosity_ < 0) {
        return;
    }
    if (style_ == progress_style::json) {
        json_writer j;
        j.begin_object().key("event").string(event_name(e.what)).key("t").number(e.elapsed);
        if (!e.subject.empty()) {
            j.key("subject").string(e.subject);
        }
        if (!e.message.empty()) {
            j.key("message").string(e.message);
        }
        if (e.bytes || e.total) {
            j.key("bytes").uint(e.bytes).key("total").uint(e.total);
        }
        if (e.count) {
            j.key("count").uint(e.count);
        }
        if (e.seconds > 0) {
            j.key("seconds").number(e.seconds);
        }
        if (e.what == progress_event::kind::download_finished) {
            j.key("from_cache").boolean(e.from_cache);
        }
        j.end_object();
        out_ << j.str() << '\n' << std::flush;
        return;
    }
    switch (e.what) {
    case progress_event::kind::resolving:
        known_ = e.count;
        break;
    case progress_event::kind::resolved:
        phase_ = "Downloading";
        if (style_ == progress_style::plain || verbosity_ > 0) {
            line("Resolved " + packages(e.count) + " in " + seconds(e.seconds));
        }
        known_ = e.count;
        break;
    case progress_event::kind::download_started:
        ++downloads_started_;
        if (verbosity_ > 0) {
            line("Downloading " + e.subject);
        }
        break;
    case progress_event::kind::download_progress:
        receiving_[e.subject] = e.bytes;
        break;
    case progress_event::kind::download_finished:
        ++downloads_done_;
        receiving_.erase(e.subject);
        downloaded_bytes_ += e.from_cache ? 0 : e.bytes;
        from_cache_ += e.from_cache ? 1 : 0;
        if (verbosity_ > 0) {
            line((e.from_cache ? "Cached " : "Downloaded ") + e.subject + " (" +
                 human_size(e.bytes) + ")");
        }
        break;
    case progress_event::kind::installing:
        phase_ = "Installing";
        if (style_ == progress_style::plain && verbosity_ > 0) {
            line("Installing " + packages(e.count));
        }
        break;
    case progress_event::kind::installed:
        break;
    case progress_event::kind::warning:
        line("WARNING: " + e.message);
        break;
    }
    if (style_ == progress_style::bar) {
        status_line();
    } else {
        out_ << std::flush;
    }
}

void progress_printer::on_outcome(const job_outcome& o, job_kind kind) {
    std::lock_guard lock(mutex_);
    clear_status();
    for (const auto& w : o.warnings) {
        if (verbosity_ >= 0) {
            out_ << "WARNING: " << w << '\n';
        }
    }
    if (o.exit_code != 0) {
        out_ << "ERROR: " << o.error << '\n';
        for (const auto& h : o.hints) {
            out_ << "hint: " << h << '\n';
        }
        out_ << std::flush;
        return;
    }
    if (verbosity_ < 0 || style_ == progress_style::json) {
        return;
    }
    // The plain style printed the resolution line as it happened.
    if (style_ != progress_style::plain && verbosity_ == 0) {
        out_ << "Resolved " << packages(o.resolution.size()) << " in " << seconds(o.resolve_seconds)
             << '\n';
    }
    if (kind == job_kind::resolve) {
        std::string would;
        for (const auto& d : o.resolution) {
            if (!d.already_installed) {
                would += ' ' + d.name + "-" + d.version;
            }
        }
        out_ << (would.empty() ? std::string("Nothing to install") : "Would install" + would)
             << '\n';
    } else if (kind == job_kind::download) {
        out_ << "Saved " << packages(o.resolution.size()) << '\n';
        for (const auto& d : o.resolution) {
            out_ << "  " << d.local_path << '\n';
        }
    } else {
        if (downloads_done_ > from_cache_) {
            out_ << "Downloaded " << packages(downloads_done_ - from_cache_) << " ("
                 << human_size(downloaded_bytes_) << ")\n";
        }
        if (o.installed.empty()) {
            out_ << "Requirements already satisfied\n";
        } else {
            out_ << "Installed " << packages(o.installed.size()) << " in "
                 << seconds(o.install_seconds) << '\n';
        }
        for (const auto& r : by_name(o.removed)) {
            out_ << " - " << r << '\n';
        }
        for (const auto& i : by_name(o.installed)) {
            out_ << " + " << i << '\n';
        }
    }
    out_ << std::flush;
}

} // namespace actpip::cli
