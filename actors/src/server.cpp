// actpip::server (api.hpp): the gateway published over CAF's middleman (with caf::openssl
// for mutual TLS) on a runtime of its own, in front of the process's fetch service.

#include "actpip/actors/fetch_registry.hpp"
#include "actpip/actors/gateway.hpp"
#include "actpip/actors/job_setup.hpp"
#include "actpip/api.hpp"
#include "actpip/net/proxy_settings.hpp"
#include "runtime.hpp"
#include "tls_refusals.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <mutex>

namespace actpip {

namespace {

using namespace actpip::actors;

job_options index_options_of(const serve_options& o) {
    job_options j;
    j.index_url = o.index_url;
    j.extra_index_urls = o.extra_index_urls;
    j.find_links = o.find_links;
    j.no_index = o.no_index;
    j.index_strategy = o.index_strategy;
    j.cert = o.cert;
    j.client_cert = o.client_cert;
    j.trusted_hosts = o.trusted_hosts;
    j.timeout_seconds = o.timeout_seconds;
    j.retries = o.retries;
    j.cache_dir = o.cache_dir;
    return j;
}

class running_server final : public server {
public:
    running_server(std::shared_ptr<detail::runtime> rt, std::shared_ptr<const fetch_service> svc,
                   caf::actor gateway, std::uint16_t port)
        : runtime_(std::move(rt)), service_(std::move(svc)), gateway_(std::move(gateway)),
          port_(port) {}

    ~running_server() override { stop(0); }

    std::uint16_t port() const override { return port_; }

    void stop(double grace_seconds) override {
        std::lock_guard lock(mutex_);
        if (!gateway_)
            return;
        auto& sys = runtime_->system();
        if (grace_seconds > 0) {
            caf::scoped_actor self{sys};
            auto ms = static_cast<long>(grace_seconds * 1000);
            self->request(gateway_, std::chrono::milliseconds(ms), drain_atom::value)
                .receive([](bool) {}, [](caf::error&) {}); // late transfers are cut
        }
        caf::anon_send_exit(gateway_, caf::exit_reason::user_shutdown);
        actors::watch_tls_refusals({}); // the log may go with this server
        gateway_ = nullptr;
        service_.reset();
    }

private:
    std::shared_ptr<detail::runtime> runtime_; // first: it outlives the handles below
    std::shared_ptr<const fetch_service> service_;
    std::mutex mutex_;
    caf::actor gateway_; // the supervisor of the published gateway
    std::uint16_t port_ = 0;
};

} // namespace

std::unique_ptr<server> server::start(serve_options options, log_callback log, std::string& error) {
    detail::tls_identity tls{options.tls_cert, options.tls_key, options.tls_ca};
    if (tls.enabled() && !tls.complete()) {
        error = "mutual TLS needs all of --tls-cert, --tls-key and --tls-ca";
        return nullptr;
    }
    auto env = net::process_environment();
    auto sources = prepare_index_sources(index_options_of(options), env);
    if (!sources) {
        error = sources.error().error.describe();
        return nullptr;
    }
    auto rt = detail::runtime::acquire(tls);
    auto& sys = rt->system();
    auto service = acquire_fetch_service(sys, fetch_service_key(*sources), sources->client,
                                         make_fetch_service_options(*sources));
    if (!service) {
        error = service.error().describe();
        return nullptr;
    }
    gateway_options g;
    g.index_urls = sources->index_urls;
    g.find_links = sources->find_links;
    g.strategy = options.index_strategy == index_strategy::unsafe_best_match
                     ? core::index_strategy::unsafe_best_match
                     : core::index_strategy::first_index;
    g.token = options.token;
    g.cache_dir = cache_root_of(*sources);
    g.max_cache_bytes = options.max_cache_bytes;
    g.max_in_flight = std::max<std::uint32_t>(1, options.max_in_flight);
    g.log_json = options.log_json;
    g.log = std::move(log);
    auto host = options.listen_host.empty() ? std::string("127.0.0.1") : options.listen_host;
    auto published =
        publish_gateway(sys, *service, std::move(g), host, options.port, tls.enabled());
    if (!published) {
        error = published.error().describe();
        return nullptr;
    }
    return std::make_unique<running_server>(std::move(rt), std::move(*service),
                                            published->supervisor, published->port);
}

} // namespace actpip
