#include "json.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "tdam/error.hpp"

namespace tdam::cli {

std::string format_number(double x) {
    if (!std::isfinite(x)) return "null";
    char buf[40];
    if (x == std::floor(x) && std::fabs(x) <= 9007199254740992.0) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(x));
        return buf;
    }
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (std::strtod(buf, nullptr) == x) break;
    }
    return buf;
}

std::string quote(const std::string& text) {
    std::string out = "\"";
    for (const char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    return out + "\"";
}

void Json::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ += ',';
        first_.back() = false;
    }
}

Json& Json::begin_object() {
    before_value();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

Json& Json::end_object() {
    require(!first_.empty() && !after_key_, "internal: unbalanced JSON object");
    first_.pop_back();
    out_ += '}';
    return *this;
}

Json& Json::begin_array() {
    before_value();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

Json& Json::end_array() {
    require(!first_.empty() && !after_key_, "internal: unbalanced JSON array");
    first_.pop_back();
    out_ += ']';
    return *this;
}

Json& Json::key(const std::string& name) {
    before_value();
    out_ += quote(name) + ':';
    after_key_ = true;
    return *this;
}

Json& Json::value(double x) {
    before_value();
    out_ += format_number(x);
    return *this;
}

Json& Json::value(int x) { return value(static_cast<std::int64_t>(x)); }

Json& Json::value(std::int64_t x) {
    before_value();
    out_ += std::to_string(x);
    return *this;
}

Json& Json::value(std::uint64_t x) {
    before_value();
    out_ += std::to_string(x);
    return *this;
}

Json& Json::value(bool x) {
    before_value();
    out_ += x ? "true" : "false";
    return *this;
}

Json& Json::value(const std::string& x) {
    before_value();
    out_ += quote(x);
    return *this;
}

Json& Json::value(const char* x) { return value(std::string(x)); }

Json& Json::null() {
    before_value();
    out_ += "null";
    return *this;
}

Json& Json::value(const Eigen::VectorXd& v) {
    begin_array();
    for (Eigen::Index i = 0; i < v.size(); ++i) value(v[i]);
    return end_array();
}

Json& Json::value(const std::vector<double>& v) {
    begin_array();
    for (double x : v) value(x);
    return end_array();
}

}  // namespace tdam::cli
