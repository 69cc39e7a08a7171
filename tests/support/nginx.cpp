#include "support/nginx.hpp"

#include "support/files.hpp"
#include "support/paths.hpp"

#include <set>
#include <sstream>

namespace actpip::test {

bool nginx_server::start(const std::filesystem::path& root, const std::filesystem::path& certs) {
    root_ = root;
    http_port = free_port();
    https_port = certs.empty() ? 0 : free_port();
    std::vector<std::string> conf = {"bash", (source_dir() / "scripts" / "serve_index.sh").string(),
                                     "conf", root.string(), std::to_string(http_port)};
    if (!certs.empty()) {
        conf.push_back(std::to_string(https_port));
        conf.push_back(certs.string());
    }
    if (run(conf).exit_code != 0)
        return false;
    auto d = root.string();
    auto p = child_process::start(
        {"nginx", "-p", d, "-e", d + "/error.log", "-c", d + "/nginx.conf", "-g", "daemon off;"},
        false);
    if (!p)
        return false;
    proc_ = std::move(*p);
    return wait_for_port(http_port, std::chrono::seconds(10)) &&
           (certs.empty() || wait_for_port(https_port, std::chrono::seconds(10)));
}

std::vector<access_entry> nginx_server::access_log() const {
    // ... "GET /x HTTP/1.1" 200 ... conn=N req=N uri=/x   (see scripts/serve_index.sh)
    std::vector<access_entry> out;
    std::istringstream log(read_file(root_ / "access.log"));
    for (std::string line; std::getline(log, line);) {
        auto request = line.find(" \"");
        auto conn = line.find(" conn=");
        auto uri = line.find(" uri=");
        if (request == std::string::npos || conn == std::string::npos || uri == std::string::npos)
            continue;
        access_entry e;
        std::istringstream head(line.substr(request + 2));
        head >> e.method;
        auto end_of_request = line.find("\" ", request + 2);
        if (end_of_request != std::string::npos)
            e.status = std::atoi(line.c_str() + end_of_request + 2);
        e.connection = line.substr(conn + 6, line.find(' ', conn + 6) - (conn + 6));
        e.uri = line.substr(uri + 5);
        out.push_back(std::move(e));
    }
    return out;
}

std::size_t nginx_server::requests_for(std::string_view prefix) const {
    std::size_t count = 0;
    for (const auto& e : access_log())
        count += e.uri.starts_with(prefix);
    return count;
}

std::size_t nginx_server::connections_for(std::string_view prefix) const {
    std::set<std::string> conns;
    for (const auto& e : access_log())
        if (e.uri.starts_with(prefix))
            conns.insert(e.connection);
    return conns.size();
}

bool make_certificates(const std::filesystem::path& dir) {
    return run({"bash", (source_dir() / "tests" / "support" / "make_certs.sh").string(),
                dir.string()})
               .exit_code == 0;
}

} // namespace actpip::test
