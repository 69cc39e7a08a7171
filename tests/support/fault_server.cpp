#include "support/fault_server.hpp"

#include "support/paths.hpp"

namespace actpip::test {

bool fault_server::start(const std::filesystem::path& certs, const std::string& tls_name,
                         const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {
        "python3", (source_dir() / "tests" / "support" / "fault_server.py").string()};
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

} // namespace actpip::test
