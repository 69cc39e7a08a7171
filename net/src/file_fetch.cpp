// file:// URLs through the same interface as HTTP: files (with Range) and directories (as a
// page of links, so a find-links directory reads like an index page).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "actpip/net/percent_encoding.hpp"
#include "fetch.hpp"

namespace actpip::net::detail {

namespace fs = std::filesystem;

namespace {

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

response status_only(unsigned status, std::string reason, const url& u) {
    response r;
    r.status = status;
    r.reason = std::move(reason);
    r.final_url = u.without_credentials();
    return r;
}

core::result<response> listing(const fs::path& dir, const request& req) {
    std::error_code ec;
    std::vector<std::pair<std::string, bool>> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        names.emplace_back(it->path().filename().string(), it->is_directory(ec));
    if (ec)
        return core::fail(core::errc::io, "cannot list " + dir.string() + ": " + ec.message());
    std::sort(names.begin(), names.end());
    std::string page = "<!DOCTYPE html>\n<html><body>\n";
    for (const auto& [name, is_dir] : names) {
        std::string href = percent_encode(name) + (is_dir ? "/" : "");
        page += "<a href=\"" + html_escape(href) + "\">" + html_escape(name) + "</a><br>\n";
    }
    page += "</body></html>\n";
    response r = status_only(200, "OK", req.target);
    r.headers.push_back({"Content-Type", "text/html; charset=utf-8"});
    r.body = std::move(page);
    r.body_bytes = r.body.size();
    return r;
}

} // namespace

core::result<response> fetch_file(const request& req) {
    auto decoded = percent_decode(req.target.path());
    if (!decoded)
        return std::unexpected(std::move(decoded.error()));
    const auto& host = req.target.host();
    if (!host.empty() && host != "localhost")
        return core::fail(core::errc::unsupported,
                          "file URL with a remote host: " + req.target.redacted());
    fs::path path(*decoded);
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st))
        return status_only(404, "Not Found", req.target);
    if (fs::is_directory(st)) {
        // A directory with an index.html is a page (a file:// simple index, as pip reads it);
        // any other directory is listed (a --find-links directory).
        if (!fs::is_regular_file(path / "index.html", ec))
            return listing(path, req);
        path /= "index.html";
    }
    auto size = fs::file_size(path, ec);
    if (ec)
        return core::fail(core::errc::io, "cannot read " + path.string() + ": " + ec.message());
    std::uint64_t first = 0, last = size == 0 ? 0 : size - 1;
    response r = status_only(200, "OK", req.target);
    if (req.range && size > 0) {
        const auto& rg = *req.range;
        if (!rg.first) {
            std::uint64_t n = std::min<std::uint64_t>(rg.last.value_or(0), size);
            first = size - n;
        } else {
            first = *rg.first;
            if (rg.last)
                last = std::min(*rg.last, size - 1);
        }
        if (first >= size || (rg.last && rg.first && *rg.last < first) ||
            (!rg.first && rg.last.value_or(0) == 0)) {
            r = status_only(416, "Range Not Satisfiable", req.target);
            r.headers.push_back({"Content-Range", "bytes */" + std::to_string(size)});
            return r;
        }
        r.status = 206;
        r.reason = "Partial Content";
        r.headers.push_back({"Content-Range", "bytes " + std::to_string(first) + "-" +
                                                  std::to_string(last) + "/" +
                                                  std::to_string(size)});
    }
    std::uint64_t length = size == 0 ? 0 : last - first + 1;
    r.headers.push_back({"Content-Length", std::to_string(length)});
    if (path.extension() == ".html")
        r.headers.push_back({"Content-Type", "text/html; charset=utf-8"});
    if (length > req.body_limit)
        return core::fail(core::errc::network, "file of " + std::to_string(length) +
                                                   " bytes exceeds the limit of " +
                                                   std::to_string(req.body_limit) + " bytes");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::fail(core::errc::io, "cannot open " + path.string());
    in.seekg(static_cast<std::streamoff>(first));
    std::vector<char> buf(std::min<std::uint64_t>(length, 1 << 20) + 1);
    std::uint64_t left = length;
    while (left > 0) {
        auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(left, buf.size()));
        in.read(buf.data(), n);
        if (in.gcount() != n)
            return core::fail(core::errc::io, "short read from " + path.string());
        std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
        if (req.sink) {
            if (auto s = req.sink(chunk); !s)
                return std::unexpected(std::move(s.error()));
        } else {
            r.body.append(chunk);
        }
        left -= static_cast<std::uint64_t>(n);
    }
    r.body_bytes = length;
    return r;
}

} // namespace actpip::net::detail
