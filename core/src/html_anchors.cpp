#include "actpip/core/html_anchors.hpp"

#include "actpip/core/html_entities.hpp"

#include <cstddef>

namespace actpip::core {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = lower(c);
    }
    return out;
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

// Case-insensitive search for an ASCII `needle` (lower case) from `from`.
std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
    for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < needle.size() && match; ++k) {
            match = lower(hay[i + k]) == needle[k];
        }
        if (match) {
            return i;
        }
    }
    return std::string_view::npos;
}

class scanner {
public:
    explicit scanner(std::string_view html) : s_(html) {}

    result<html_links> run() {
        while (pos_ < s_.size()) {
            auto lt = s_.find('<', pos_);
            if (lt == std::string_view::npos) {
                add_text(s_.substr(pos_));
                break;
            }
            add_text(s_.substr(pos_, lt - pos_));
            pos_ = lt;
            if (auto r = markup(); !r) {
                return std::unexpected(std::move(r.error()));
            }
        }
        if (anchor_) {
            close_anchor(); // an <a> never closed still counts
        }
        return std::move(links_);
    }

private:
    void add_text(std::string_view text) {
        if (anchor_) {
            anchor_text_ += text;
        }
    }

    void close_anchor() {
        anchor_->text = trimmed(html_unescape(anchor_text_));
        links_.anchors.push_back(std::move(*anchor_));
        anchor_.reset();
        anchor_text_.clear();
    }

    void skip_past(std::string_view terminator) {
        auto end = s_.find(terminator, pos_);
        pos_ = end == std::string_view::npos ? s_.size() : end + terminator.size();
    }

    // s_[pos_] == '<'
    result<void> markup() {
        auto rest = s_.substr(pos_);
        if (rest.starts_with("<!--")) {
            pos_ += 4;
            skip_past("-->");
            return {};
        }
        if (rest.starts_with("<!") || rest.starts_with("<?")) {
            skip_past(">");
            return {};
        }
        bool end_tag = rest.starts_with("</");
        std::size_t name_start = pos_ + (end_tag ? 2 : 1);
        if (name_start >= s_.size() || !is_alpha(s_[name_start])) {
            if (end_tag) { // "</ x>" and "</>" are bogus comments
                skip_past(">");
                return {};
            }
            add_text("<");
            ++pos_;
            return {};
        }
        std::size_t i = name_start;
        while (i < s_.size() && !is_space(s_[i]) && s_[i] != '/' && s_[i] != '>') {
            ++i;
        }
        std::string name = lowered(s_.substr(name_start, i - name_start));
        pos_ = i;
        if (end_tag) {
            skip_past(">");
            if (name == "a" && anchor_) {
                close_anchor();
            }
            return {};
        }
        html_element element;
        element.tag = name;
        if (auto r = attributes(element); !r) {
            return r;
        }
        if (name == "a") {
            if (anchor_) {
                close_anchor(); // <a> inside <a>: the first one ends, as HTML's adoption does
            }
            anchor_ = std::move(element);
        } else if (name == "base") {
            if (!links_.base_href) {
                links_.base_href = element.get("href");
            }
        } else if (name == "meta") {
            links_.metas.push_back(std::move(element));
        } else if (name == "script" || name == "style" || name == "textarea" || name == "title") {
            auto end = find_ci(s_, "</" + name, pos_);
            pos_ = end == std::string_view::npos ? s_.size() : end;
        }
        return {};
    }

    result<void> attributes(html_element& element) {
        std::size_t tag_start = pos_;
        while (true) {
            while (pos_ < s_.size() && (is_space(s_[pos_]) || s_[pos_] == '/')) {
                ++pos_;
            }
            if (pos_ >= s_.size()) {
                return fail_at(tag_start, "the <" + element.tag + "> tag is never closed");
            }
            if (s_[pos_] == '>') {
                ++pos_;
                return {};
            }
            std::size_t name_start = pos_;
            ++pos_; // the first character may be '=' (HTML's rule)
            while (pos_ < s_.size() && !is_space(s_[pos_]) && s_[pos_] != '/' && s_[pos_] != '>' &&
                   s_[pos_] != '=') {
                ++pos_;
            }
            html_attribute attribute;
            attribute.name = lowered(s_.substr(name_start, pos_ - name_start));
            std::size_t after_name = pos_;
            while (pos_ < s_.size() && is_space(s_[pos_])) {
                ++pos_;
            }
            if (pos_ < s_.size() && s_[pos_] == '=') {
                ++pos_;
                while (pos_ < s_.size() && is_space(s_[pos_])) {
                    ++pos_;
                }
                auto value = attribute_value();
                if (!value) {
                    return fail_at(tag_start,
                                   "an attribute value of <" + element.tag + "> is never closed");
                }
                attribute.value = html_unescape(*value);
            } else {
                pos_ = after_name;
            }
            if (!element.find(attribute.name)) {
                element.attributes.push_back(std::move(attribute));
            }
        }
    }

    std::optional<std::string_view> attribute_value() {
        if (pos_ < s_.size() && (s_[pos_] == '"' || s_[pos_] == '\'')) {
            char quote = s_[pos_];
            auto end = s_.find(quote, pos_ + 1);
            if (end == std::string_view::npos) {
                return std::nullopt;
            }
            auto value = s_.substr(pos_ + 1, end - pos_ - 1);
            pos_ = end + 1;
            return value;
        }
        std::size_t start = pos_;
        while (pos_ < s_.size() && !is_space(s_[pos_]) && s_[pos_] != '>') {
            ++pos_;
        }
        return s_.substr(start, pos_ - start);
    }

    std::unexpected<error> fail_at(std::size_t offset, std::string what) const {
        std::size_t line = 1;
        for (std::size_t k = 0; k < offset && k < s_.size(); ++k) {
            line += s_[k] == '\n' ? 1 : 0;
        }
        return std::unexpected(
            error{errc::invalid_metadata,
                  "malformed HTML at line " + std::to_string(line) + ": " + std::move(what)});
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    html_links links_;
    std::optional<html_element> anchor_;
    std::string anchor_text_;
};

} // namespace

const html_attribute* html_element::find(std::string_view name) const {
    for (const auto& attribute : attributes) {
        if (attribute.name == name) {
            return &attribute;
        }
    }
    return nullptr;
}

std::optional<std::string> html_element::get(std::string_view name) const {
    const auto* attribute = find(name);
    if (!attribute) {
        return std::nullopt;
    }
    return attribute->value.value_or(std::string());
}

result<html_links> scan_html_links(std::string_view html) {
    return scanner(html).run();
}

} // namespace actpip::core
