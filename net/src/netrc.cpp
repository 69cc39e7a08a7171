#include "actpip/net/netrc.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace actpip::net {

namespace {

class tokenizer {
public:
    explicit tokenizer(std::string_view t) : text_(t) {}
    std::optional<std::string> next() {
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == '#') { // comment to end of line
                while (pos_ < text_.size() && text_[pos_] != '\n')
                    ++pos_;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++pos_;
            } else {
                break;
            }
        }
        if (pos_ >= text_.size())
            return std::nullopt;
        std::string tok;
        if (text_[pos_] == '"') {
            ++pos_;
            while (pos_ < text_.size() && text_[pos_] != '"') {
                if (text_[pos_] == '\\' && pos_ + 1 < text_.size())
                    ++pos_;
                tok.push_back(text_[pos_++]);
            }
            ++pos_;
            return tok;
        }
        while (pos_ < text_.size() && !std::strchr(" \t\r\n", text_[pos_])) {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size())
                ++pos_;
            tok.push_back(text_[pos_++]);
        }
        return tok;
    }
    // macdef: the macro runs to the next empty line.
    void skip_macro() {
        auto end = text_.find("\n\n", pos_);
        pos_ = end == std::string_view::npos ? text_.size() : end + 2;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

} // namespace

netrc netrc::parse(std::string_view text) {
    netrc out;
    tokenizer tok(text);
    std::optional<std::string> machine;
    bool is_default = false;
    credentials current;
    auto flush = [&] {
        if (machine)
            out.entries_.push_back({*machine, current});
        else if (is_default)
            out.default_ = current;
        machine.reset();
        is_default = false;
        current = {};
    };
    while (auto t = tok.next()) {
        if (*t == "machine") {
            flush();
            machine = tok.next().value_or("");
        } else if (*t == "default") {
            flush();
            is_default = true;
        } else if (*t == "login") {
            current.username = tok.next().value_or("");
        } else if (*t == "password") {
            current.password = tok.next().value_or("");
        } else if (*t == "account") {
            tok.next();
        } else if (*t == "macdef") {
            tok.next();
            tok.skip_macro();
        }
    }
    flush();
    return out;
}

core::result<netrc> netrc::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT)
            return netrc{};
        return core::fail(core::errc::io, "cannot read " + path + ": " + std::strerror(errno));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str());
}

core::result<netrc> netrc::load_default() {
    if (const char* p = std::getenv("NETRC"); p && *p)
        return load(p);
    if (const char* home = std::getenv("HOME"); home && *home)
        return load(std::string(home) + "/.netrc");
    return netrc{};
}

std::optional<credentials> netrc::lookup(std::string_view host) const {
    for (const auto& e : entries_)
        if (e.machine == host)
            return e.creds;
    return default_;
}

} // namespace actpip::net
