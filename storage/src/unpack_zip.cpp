#include "unpack_zip.hpp"

#include <sys/stat.h>
#include <zip.h>

namespace actpip::storage::detail {

namespace fs = std::filesystem;

void zip_archive::closer::operator()(::zip* z) const {
    if (z) {
        zip_discard(z);
    }
}

zip_archive::~zip_archive() = default;

core::result<zip_archive> zip_archive::open(const fs::path& path) {
    int code = 0;
    ::zip* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!z) {
        zip_error_t err;
        zip_error_init_with_code(&err, code);
        std::string why = zip_error_strerror(&err);
        zip_error_fini(&err);
        return core::fail(core::errc::invalid_metadata,
                          "cannot read " + path.string() + " as a zip archive: " + why);
    }
    zip_archive archive(std::unique_ptr<::zip, closer>(z), path);
    zip_int64_t n = zip_get_num_entries(z, 0);
    archive.members_.reserve(static_cast<std::size_t>(std::max<zip_int64_t>(n, 0)));
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
            !(st.valid & ZIP_STAT_NAME)) {
            return core::fail(core::errc::invalid_metadata,
                              path.string() + ": unreadable zip directory entry " +
                                  std::to_string(i));
        }
        zip_member m;
        m.index = static_cast<std::uint64_t>(i);
        m.name = st.name;
        m.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
        m.compressed_size = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
        zip_uint8_t opsys = 0;
        zip_uint32_t attributes = 0;
        if (zip_file_get_external_attributes(z, static_cast<zip_uint64_t>(i), 0, &opsys,
                                             &attributes) == 0 &&
            opsys == ZIP_OPSYS_UNIX) {
            mode_t mode = static_cast<mode_t>(attributes >> 16);
            mode_t type = mode & S_IFMT;
            // As pip: executable only when the mode says "regular file" with an x bit.
            m.executable = type == S_IFREG && (mode & 0111) != 0;
            m.special = type != 0 && type != S_IFREG && type != S_IFDIR;
        }
        archive.members_.push_back(std::move(m));
    }
    return archive;
}

core::result<void>
zip_archive::read(const zip_member& member,
                  const std::function<core::result<void>(std::string_view)>& sink) {
    zip_file_t* file = zip_fopen_index(zip_.get(), member.index, 0);
    if (!file) {
        return core::fail(core::errc::invalid_metadata, path_.string() + ": cannot open member " +
                                                            member.name + ": " +
                                                            zip_strerror(zip_.get()));
    }
    std::string buf(1u << 16, '\0');
    core::result<void> result;
    for (;;) {
        zip_int64_t n = zip_fread(file, buf.data(), buf.size());
        if (n < 0) {
            result = core::fail(core::errc::invalid_metadata,
                                path_.string() + ": cannot read member " + member.name + ": " +
                                    zip_file_strerror(file));
            break;
        }
        if (n == 0) {
            break;
        }
        result = sink(std::string_view(buf.data(), static_cast<std::size_t>(n)));
        if (!result) {
            break;
        }
    }
    zip_fclose(file);
    return result;
}

core::result<std::string> zip_archive::read_small(std::string_view name, std::uint64_t max_size) {
    for (const auto& m : members_) {
        if (m.name != name) {
            continue;
        }
        std::string out;
        auto ok = read(m, [&](std::string_view chunk) -> core::result<void> {
            out += chunk;
            if (out.size() > max_size) {
                return core::fail(core::errc::invalid_metadata,
                                  std::string(name) + " is larger than " +
                                      std::to_string(max_size) + " bytes");
            }
            return {};
        });
        if (!ok) {
            return std::unexpected(std::move(ok.error()));
        }
        return out;
    }
    return core::fail(core::errc::invalid_metadata, std::string(name) + " is missing");
}

} // namespace actpip::storage::detail
