#pragma once
// A tiny JSON writer: objects, arrays, numbers that round-trip, escaped
// strings. Output is compact (one line); `str()` adds nothing after the value.
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace tdam::cli {

// The shortest of %.15g, %.16g, %.17g that reads back as the same double;
// integral values up to 2^53 in magnitude as plain integers; NaN and
// infinities as null (JSON has no such numbers).
std::string format_number(double x);

// A JSON string literal: quotes, backslashes and control characters escaped;
// other bytes (UTF-8) copied.
std::string quote(const std::string& text);

class Json {
public:
    Json& begin_object();
    Json& end_object();
    Json& begin_array();
    Json& end_array();
    Json& key(const std::string& name);  // inside an object, before each value

    Json& value(double x);
    Json& value(int x);
    Json& value(std::int64_t x);
    Json& value(std::uint64_t x);
    Json& value(bool x);
    Json& value(const std::string& x);
    Json& value(const char* x);
    Json& null();
    Json& value(const Eigen::VectorXd& v);  // an array of numbers
    Json& value(const std::vector<double>& v);

    // key(name) then value(x).
    template <class T>
    Json& field(const std::string& name, const T& x) {
        key(name);
        return value(x);
    }

    const std::string& str() const { return out_; }

private:
    void before_value();
    std::string out_;
    std::vector<bool> first_;  // per open container: no element written yet
    bool after_key_ = false;
};

}  // namespace tdam::cli
