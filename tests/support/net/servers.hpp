#pragma once
// Test fixture servers on loopback: nginx (HTTP and HTTPS, gzip, keep-alive) serving files
// from a temp dir, and the fault-injecting server (plain, TLS with a wrong-host certificate,
// TLS with a self-signed one). Certificates come from make_certs.sh in the same temp dir.
// Everything stops and is removed in the destructor.

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "net/process.hpp"

#ifndef ACTPIP_TEST_DATA_DIR
#error "ACTPIP_TEST_DATA_DIR must be defined"
#endif

namespace actpip::test {

inline std::string net_support_dir() {
    return std::string(ACTPIP_TEST_DATA_DIR) + "/../support/net";
}

inline bool write_file(const std::filesystem::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
    return static_cast<bool>(out);
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A deterministic pseudo-random payload (incompressible enough for byte-exact range checks).
inline std::string payload(std::size_t size, std::uint32_t seed = 1) {
    std::string s(size, '\0');
    std::uint32_t x = seed;
    for (auto& c : s) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>(x >> 24);
    }
    return s;
}

class fault_server {
public:
    // `tls_name`: empty for plain HTTP, else "server", "wrong" or "self" (a cert in `certs`).
    // `extra`: more fault_server.py options ("--bind", "::1", "--proxy-auth", "u:p").
    bool start(const std::filesystem::path& certs, const std::string& tls_name = {},
               const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv = {"python3", net_support_dir() + "/fault_server.py"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        if (!tls_name.empty()) {
            argv.push_back("--cert");
            argv.push_back((certs / (tls_name + ".pem")).string());
            argv.push_back("--key");
            argv.push_back((certs / (tls_name + ".key")).string());
        }
        auto p = child_process::start(argv, true);
        if (!p)
            return false;
        proc_ = std::move(*p);
        auto line = proc_.read_line(std::chrono::seconds(10));
        if (!line || !line->starts_with("PORT "))
            return false;
        port = static_cast<std::uint16_t>(std::stoi(line->substr(5)));
        return true;
    }
    void stop() { proc_.stop(); }
    std::uint16_t port = 0;

private:
    child_process proc_;
};

class nginx_server {
public:
    bool start(const std::filesystem::path& root, const std::filesystem::path& certs) {
        dir_ = root;
        http_port = free_port();
        https_port = free_port();
        std::filesystem::create_directories(root / "tmp");
        std::string conf = R"(@USER@worker_processes 1;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log warn;
events { worker_connections 1024; }
http {
  log_format conns '$connection $connection_requests $request_method $uri $status';
  access_log @DIR@/access.log conns;
  client_body_temp_path @DIR@/tmp/body;
  proxy_temp_path @DIR@/tmp/proxy;
  fastcgi_temp_path @DIR@/tmp/fastcgi;
  uwsgi_temp_path @DIR@/tmp/uwsgi;
  scgi_temp_path @DIR@/tmp/scgi;
  types { text/html html; text/plain txt; application/octet-stream bin whl; }
  sendfile on; tcp_nopush on;
  keepalive_requests 100000; keepalive_timeout 75s;
  gzip on; gzip_types text/plain; gzip_min_length 100;
  ssl_session_cache shared:SSL:1m; ssl_session_tickets on;
  server {
    listen 127.0.0.1:@HTTP@;
    listen 127.0.0.1:@HTTPS@ ssl;
    ssl_certificate @CERTS@/server.pem;
    ssl_certificate_key @CERTS@/server.key;
    ssl_client_certificate @CERTS@/ca.pem;
    ssl_verify_client optional;
    root @DIR@/www;
    location / { autoindex on; }
    location = /client-cert { return 200 "$ssl_client_verify"; }
  }
}
)";
        auto subst = [&](const std::string& key, const std::string& value) {
            for (auto at = conf.find(key); at != std::string::npos; at = conf.find(key, at))
                conf.replace(at, key.size(), value);
        };
        subst("@USER@", geteuid() == 0 ? "user root;\n" : "");
        subst("@DIR@", root.string());
        subst("@CERTS@", certs.string());
        subst("@HTTP@", std::to_string(http_port));
        subst("@HTTPS@", std::to_string(https_port));
        auto d = root.string();
        write_file(root / "nginx.conf", conf);
        auto p = child_process::start({"nginx", "-p", d, "-e", d + "/error.log", "-c",
                                       d + "/nginx.conf", "-g", "daemon off;"},
                                      false);
        if (!p)
            return false;
        proc_ = std::move(*p);
        return wait_for_port(http_port, std::chrono::seconds(10)) &&
               wait_for_port(https_port, std::chrono::seconds(10));
    }
    void stop() { proc_.stop(); }

    // Distinct connections that served requests whose path starts with `prefix`.
    std::size_t connections_for(const std::string& prefix) const {
        std::istringstream log(read_file(dir_ / "access.log"));
        std::set<std::string> conns;
        std::string conn, n, method, uri, status;
        while (log >> conn >> n >> method >> uri >> status)
            if (uri.starts_with(prefix))
                conns.insert(conn);
        return conns.size();
    }
    std::size_t requests_for(const std::string& prefix) const {
        std::istringstream log(read_file(dir_ / "access.log"));
        std::size_t count = 0;
        std::string conn, n, method, uri, status;
        while (log >> conn >> n >> method >> uri >> status)
            if (uri.starts_with(prefix))
                ++count;
        return count;
    }

    std::uint16_t http_port = 0;
    std::uint16_t https_port = 0;

private:
    std::filesystem::path dir_;
    child_process proc_;
};

// Everything at once, for a test suite's SetUpTestSuite.
struct net_servers {
    temp_dir tmp;
    std::filesystem::path certs;
    std::filesystem::path www;
    nginx_server nginx;
    fault_server fault;
    fault_server wrong_host;
    fault_server self_signed;
    std::string error;

    bool start() {
        if (tmp.path().empty())
            return fail("cannot create a temp dir");
        chmod(tmp.path().c_str(), 0755);
        certs = tmp.path() / "certs";
        www = tmp.path() / "www";
        std::filesystem::create_directories(www / "simple" / "pkg");
        std::string cmd = "bash '" + net_support_dir() + "/make_certs.sh' '" + certs.string() + "'";
        if (std::system(cmd.c_str()) != 0)
            return fail("make_certs.sh failed");
        std::string page;
        for (int i = 0; i < 400; ++i)
            page += "<a href=\"pkg-1." + std::to_string(i) + ".tar.gz\">pkg-1." +
                    std::to_string(i) + "</a>\n";
        write_file(www / "simple" / "pkg" / "index.txt", page);
        write_file(www / "small.txt", "hello from nginx\n");
        write_file(www / "data.bin", payload(1 << 20));
        if (!nginx.start(tmp.path(), certs))
            return fail("nginx did not start: " + read_file(tmp.path() / "error.log"));
        if (!fault.start(certs) || !wrong_host.start(certs, "wrong") ||
            !self_signed.start(certs, "self"))
            return fail("fault_server.py did not start");
        return true;
    }
    void stop() {
        nginx.stop();
        fault.stop();
        wrong_host.stop();
        self_signed.stop();
    }
    std::string ca() const { return (certs / "ca.pem").string(); }

private:
    bool fail(std::string why) {
        error = std::move(why);
        return false;
    }
};

} // namespace actpip::test
