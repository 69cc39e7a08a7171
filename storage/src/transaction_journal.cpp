#include "transaction_journal.hpp"

#include "install_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace actpip::storage::detail {

namespace fs = std::filesystem;

namespace {

int field_count(char kind) {
    switch (kind) {
    case 'P':
    case 'T':
        return 2;
    case 'X':
    case 'S':
    case 'R':
    case 'D':
    case 'E':
        return 1;
    case 'C':
        return 0;
    default:
        return -1;
    }
}

} // namespace

std::string journal_file_name(std::string_view id) {
    return ".actpip-journal-" + std::string(id);
}
std::string backup_suffix(std::string_view id) {
    return ".actpip-old-" + std::string(id);
}
std::string staging_name(std::string_view id) {
    return ".actpip-tx-" + std::string(id);
}

std::string encode_record(char kind, const fs::path& first, const fs::path& second) {
    std::string out(1, kind);
    out += '\0';
    const int n = field_count(kind);
    if (n >= 1) {
        out += first.native();
        out += '\0';
    }
    if (n >= 2) {
        out += second.native();
        out += '\0';
    }
    return out;
}

journal_contents parse_journal(std::string_view bytes, std::string id) {
    journal_contents out;
    out.id = std::move(id);
    std::vector<std::string_view> fields;
    while (!bytes.empty()) {
        auto nul = bytes.find('\0');
        if (nul == std::string_view::npos) {
            break; // a field cut short
        }
        fields.push_back(bytes.substr(0, nul));
        bytes.remove_prefix(nul + 1);
    }
    for (std::size_t i = 0; i < fields.size();) {
        if (fields[i].size() != 1 || field_count(fields[i][0]) < 0) {
            break; // not a record: stop at the damage
        }
        const char kind = fields[i][0];
        const auto n = static_cast<std::size_t>(field_count(kind));
        if (i + 1 + n > fields.size()) {
            break;
        }
        journal_record r{kind, {}, {}};
        if (n >= 1) {
            r.first = fs::path(std::string(fields[i + 1]));
        }
        if (n >= 2) {
            r.second = fs::path(std::string(fields[i + 2]));
        }
        if (kind == 'C') {
            out.committed = true;
        } else {
            out.records.push_back(std::move(r));
        }
        i += 1 + n;
    }
    return out;
}

journal_writer::~journal_writer() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void journal_writer::add(char kind, const fs::path& first, const fs::path& second) {
    pending_ += encode_record(kind, first, second);
}

core::result<void> journal_writer::sync() {
    if (path_.empty()) {
        return {};
    }
    if (fd_ < 0) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            return std::unexpected(os_error("cannot create the journal", path_, errno));
        }
    }
    std::string_view data = pending_;
    while (!data.empty()) {
        ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::unexpected(os_error("cannot write the journal", path_, errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    pending_.clear();
    if (::fdatasync(fd_) != 0) {
        return std::unexpected(os_error("cannot flush the journal", path_, errno));
    }
    return {};
}

void journal_writer::discard() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (!path_.empty()) {
        ::unlink(path_.c_str());
    }
    pending_.clear();
}

} // namespace actpip::storage::detail
