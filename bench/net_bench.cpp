// net_bench: the HTTP client against curl on the same loopback nginx (HTTP and HTTPS), in one
// run: sequential requests per second on one keep-alive connection, the throughput of a large
// download, and 100 concurrent small requests through latency-proxy at 50 ms RTT.
//   net_bench [--size-mb N] [--requests N] [--rtt-ms N]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "actpip/net/client.hpp"
#include "support/files.hpp"
#include "support/net_servers.hpp"
#include "support/process.hpp"

#include <thread>

namespace {

using namespace actpip;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) {
    return std::chrono::duration<double>(clock_type::now() - t).count();
}

double run_shell(const std::string& cmd) {
    auto t = clock_type::now();
    if (std::system(cmd.c_str()) != 0)
        std::fprintf(stderr, "command failed: %s\n", cmd.c_str());
    return seconds_since(t);
}

std::unique_ptr<net::client> make_client(const test::net_servers& s, std::size_t pool) {
    net::client_options o;
    o.tls.ca_bundle = s.ca();
    o.connections_per_host = pool;
    auto c = net::client::create(o);
    if (!c) {
        std::fprintf(stderr, "%s\n", c.error().describe().c_str());
        std::exit(1);
    }
    return std::move(*c);
}

void requests_per_second(const test::net_servers& s, const std::string& base, int n) {
    auto c = make_client(s, 1);
    auto u = net::url::parse(base + "/small.txt").value();
    c->fetch(net::request::get(u)); // connect first
    auto t = clock_type::now();
    for (int i = 0; i < n; ++i) {
        auto r = c->fetch(net::request::get(u));
        if (!r || r->status != 200) {
            std::fprintf(stderr, "request failed\n");
            return;
        }
    }
    double ours = n / seconds_since(t);
    auto cfg = s.tmp.path() / "curl.cfg";
    {
        std::ofstream f(cfg);
        for (int i = 0; i < n; ++i)
            f << "url = \"" << u.to_string() << "\"\noutput = \"/dev/null\"\n";
    }
    double curl_s = run_shell("curl -s --cacert '" + s.ca() + "' -K '" + cfg.string() + "'");
    double curl = n / curl_s;
    std::printf("  %-5s sequential small GETs, 1 keep-alive connection: actpip %8.0f req/s   curl "
                "%8.0f req/s   (%.0f%%)\n",
                u.scheme().c_str(), ours, curl, 100 * ours / curl);
}

void throughput(const test::net_servers& s, const std::string& base, std::size_t size) {
    auto c = make_client(s, 1);
    auto u = net::url::parse(base + "/big.bin").value();
    double best = 0, best_curl = 0;
    for (int round = 0; round < 3; ++round) {
        auto req = net::request::get(u, net::priority::bulk);
        std::uint64_t got = 0;
        req.body_limit = size + 1;
        req.sink = [&](std::string_view chunk) -> core::result<void> {
            got += chunk.size();
            return {};
        };
        auto t = clock_type::now();
        auto r = c->fetch(req);
        double secs = seconds_since(t);
        if (!r || got != size) {
            std::fprintf(stderr, "download failed: %s\n",
                         r ? "short" : r.error().describe().c_str());
            return;
        }
        best = std::max(best, size / secs / (1 << 20));
        double curl_s =
            run_shell("curl -s --cacert '" + s.ca() + "' -o /dev/null '" + u.to_string() + "'");
        best_curl = std::max(best_curl, size / curl_s / (1 << 20));
    }
    std::printf("  %-5s %zu MiB download (best of 3):                 actpip %8.0f MiB/s curl "
                "%8.0f MiB/s (%.0f%%)\n",
                u.scheme().c_str(), size >> 20, best, best_curl, 100 * best / best_curl);
}

void concurrent_through_proxy(const test::net_servers& s, int rtt_ms) {
    std::string proxy = std::string(ACTPIP_SHARED_DIR) + "/bench/latency-proxy";
    if (!std::filesystem::exists(proxy)) {
        std::printf("  (latency-proxy not found at %s: skipped)\n", proxy.c_str());
        return;
    }
    auto port = test::free_port();
    auto p = test::child_process::start({"python3", proxy, "--listen", std::to_string(port),
                                         "--target", std::to_string(s.nginx.https_port), "--rtt-ms",
                                         std::to_string(rtt_ms)},
                                        false);
    if (!p || !test::wait_for_port(port, std::chrono::seconds(5))) {
        std::printf("  latency-proxy did not start\n");
        return;
    }
    for (std::size_t pool : {8u, 16u, 32u}) {
        auto c = make_client(s, pool);
        std::atomic<int> done{0}, ok{0};
        auto t = clock_type::now();
        for (int i = 0; i < 100; ++i) {
            auto u = net::url::parse("https://localhost:" + std::to_string(port) +
                                     "/small.txt?i=" + std::to_string(i))
                         .value();
            c->async_fetch(net::request::get(u), [&](core::result<net::response> r) {
                ok += r && r->status == 200;
                ++done;
            });
        }
        while (done < 100)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        double secs = seconds_since(t);
        double rtts = secs * 1000 / rtt_ms;
        // Setup: TCP (1 RTT) + TLS 1.3 (1 RTT); then ceil(100/pool) request round trips.
        double ideal = 2 + (100 + pool - 1) / pool;
        std::printf("  100 concurrent GETs, pool %2zu, %d ms RTT: %.3f s = %.1f RTT (ideal ~%.0f "
                    "RTT), %d ok\n",
                    pool, rtt_ms, secs, rtts, ideal, ok.load());
    }
    p->stop();
}

} // namespace

int main(int argc, char** argv) {
    std::size_t size_mb = 200;
    int requests = 2000, rtt = 50;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--size-mb"))
            size_mb = std::stoul(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--requests"))
            requests = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--rtt-ms"))
            rtt = std::stoi(argv[i + 1]);
    }
    for (const char* v : {"SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
                          "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY",
                          "all_proxy", "NO_PROXY", "no_proxy"})
        unsetenv(v);
    test::net_servers s;
    if (!s.start()) {
        std::fprintf(stderr, "servers: %s\n", s.error.c_str());
        return 1;
    }
    std::size_t size = size_mb << 20;
    test::write_file(s.www / "big.bin", test::payload(size, 7));
    std::string http = "http://127.0.0.1:" + std::to_string(s.nginx.http_port);
    std::string https = "https://localhost:" + std::to_string(s.nginx.https_port);
    std::printf("net_bench: nginx on loopback, %zu MiB file, %d sequential requests\n", size_mb,
                requests);
    requests_per_second(s, http, requests);
    requests_per_second(s, https, requests);
    throughput(s, http, size);
    throughput(s, https, size);
    concurrent_through_proxy(s, rtt);
    s.stop();
    return 0;
}
