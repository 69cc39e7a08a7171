#pragma once
// The on-disk journal of one transaction (see transaction_recovery.hpp). Records are
// NUL-separated fields: a kind letter then a fixed number of paths. A record cut short by
// a crash is ignored when read back. Journals without T or X records (older versions) are
// read and replayed the same way.
//   S dir            a staging directory (written before it is created)
//   P staged dest    a file the commit will rename from staging into place
//   R dest           a file the commit will move aside to dest.actpip-old-<id>
//   T staged dest    a staged directory the commit will rename into place as a whole
//                    (dest did not exist: rolled back by removing dest's whole tree)
//   X dest           a tree being copied to dest (did not exist) across devices
//   D dir            a directory the commit may create (removed on rollback when empty)
//   E dir            a directory to remove when empty once committed (uninstalls)
//   C                the commit has done every rename

#include "actpip/core/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage::detail {

struct journal_record {
    char kind = 0;
    std::filesystem::path first;
    std::filesystem::path second;
};

struct journal_contents {
    std::string id;
    std::vector<journal_record> records;
    bool committed = false;
};

std::string journal_file_name(std::string_view id); // ".actpip-journal-<id>"
std::string backup_suffix(std::string_view id);     // ".actpip-old-<id>"
std::string staging_name(std::string_view id);      // ".actpip-tx-<id>"

// Appends records to one journal file, creating it on first use.
class journal_writer {
public:
    journal_writer() = default;
    journal_writer(const journal_writer&) = delete;
    journal_writer& operator=(const journal_writer&) = delete;
    ~journal_writer();

    // Where the journal goes; nothing is written before this is called.
    void set_path(std::filesystem::path path) { path_ = std::move(path); }
    void add(char kind, const std::filesystem::path& first = {},
             const std::filesystem::path& second = {});
    // Writes what was added and flushes it to disk.
    core::result<void> sync();
    // Deletes the journal (the transaction is over).
    void discard();

private:
    std::filesystem::path path_;
    std::string pending_;
    int fd_ = -1;
};

std::string encode_record(char kind, const std::filesystem::path& first,
                          const std::filesystem::path& second);
// Parses a journal's bytes; `id` comes from the file name.
journal_contents parse_journal(std::string_view bytes, std::string id);

} // namespace actpip::storage::detail
