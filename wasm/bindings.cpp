// Embind registration, part 1: the adapter plumbing (adapter.hpp), the
// module's version, and its error channel.
#include <emscripten/bind.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "adapter.hpp"
#include "tdam/error.hpp"

#ifndef TDAM_VERSION
#define TDAM_VERSION "0.0.0"
#endif

namespace tdam_wasm {

namespace {
std::string& error_slot() {
    static std::string message;
    return message;
}
}  // namespace

void set_error(const std::string& message) { error_slot() = message.empty() ? "error" : message; }

std::string take_error() {
    std::string message;
    message.swap(error_slot());
    return message;
}

std::string format_number(double x) {
    if (std::isnan(x)) return "NaN";
    if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
    char buffer[32];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, x);
        if (std::strtod(buffer, nullptr) == x) break;
    }
    return buffer;
}

int to_int(double x, const std::string& what, double min, double max) {
    tdam::require(std::isfinite(x) && x == std::floor(x) && x >= min && x <= max,
                  what + " must be an integer between " + format_number(min) + " and " + format_number(max) +
                      " (got " + format_number(x) + ")");
    return static_cast<int>(x);
}

int to_int(double x, const std::string& what) {
    tdam::require(std::isfinite(x) && x == std::floor(x),
                  what + " must be an integer (got " + format_number(x) + ")");
    tdam::require(x >= -2147483648.0 && x <= 2147483647.0, what + " is out of range (got " + format_number(x) + ")");
    return static_cast<int>(x);
}

namespace {
void check_shape(int rows, int cols) {
    tdam::require(rows >= 0 && cols >= 0, "nv and nh must not be negative (got " + std::to_string(rows) + " x " +
                                              std::to_string(cols) + ")");
}

std::string size_message(const std::string& what, std::int64_t length, int rows, int cols) {
    return what + " have " + std::to_string(length) + " entries, expected nv * nh = " + std::to_string(rows) +
           " * " + std::to_string(cols) + " = " + std::to_string(static_cast<std::int64_t>(rows) * cols);
}
}  // namespace

tdam::Vector read_vector(std::uintptr_t offset, int length) {
    tdam::require(length >= 0, "negative array length");
    tdam::require(length == 0 || offset % alignof(double) == 0, "misaligned array in the wasm heap");
    tdam::Vector v(length);
    if (length > 0) std::memcpy(v.data(), reinterpret_cast<const void*>(offset), sizeof(double) * length);
    return v;
}

tdam::Matrix read_matrix(std::uintptr_t offset, int length, int rows, int cols, const std::string& what) {
    check_shape(rows, cols);
    tdam::require(static_cast<std::int64_t>(rows) * cols == length, size_message(what, length, rows, cols));
    tdam::require(length == 0 || offset % alignof(double) == 0, "misaligned array in the wasm heap");
    tdam::Matrix m(rows, cols);
    if (length > 0) std::memcpy(m.data(), reinterpret_cast<const void*>(offset), sizeof(double) * length);
    return m;
}

tdam::Matrix read_matrix(const val& array, int rows, int cols, const std::string& what) {
    check_shape(rows, cols);
    const double length = array["length"].as<double>();
    tdam::require(static_cast<double>(rows) * cols == length,
                  size_message(what, static_cast<std::int64_t>(length), rows, cols));
    tdam::Matrix m(rows, cols);
    // The view is made after the allocation, so heap growth cannot detach it.
    if (m.size() > 0)
        val(emscripten::typed_memory_view(static_cast<std::size_t>(m.size()), m.data())).call<void>("set", array);
    return m;
}

val to_array(const double* data, std::size_t n) {
    // new Float64Array(view) copies the heap range in one native call; the
    // view is not kept, so later heap growth cannot detach the result.
    return val::global("Float64Array").new_(emscripten::typed_memory_view(n, data));
}
val to_array(const tdam::Vector& v) { return to_array(v.data(), static_cast<std::size_t>(v.size())); }
val to_array(const std::vector<double>& v) { return to_array(v.data(), v.size()); }

namespace {

std::uint64_t parse_decimal_seed(const std::string& text, const std::string& what) {
    const std::string message = what + " must be an integer between 0 and 18446744073709551615 (got '" + text + "')";
    tdam::require(!text.empty() && text.size() <= 20, message);
    std::uint64_t value = 0;
    for (char c : text) {
        tdam::require(c >= '0' && c <= '9', message);
        const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
        tdam::require(value <= (UINT64_MAX - digit) / 10, message);
        value = value * 10 + digit;
    }
    return value;
}

}  // namespace

std::uint64_t to_seed(const val& value, const std::string& what) {
    const std::string type = value.typeOf().as<std::string>();
    if (type == "number") {
        const double x = value.as<double>();
        tdam::require(std::isfinite(x) && x == std::floor(x) && x >= 0.0 && x < 18446744073709551616.0,
                      what + " must be an integer between 0 and 18446744073709551615 (got " + format_number(x) +
                          ")");
        return static_cast<std::uint64_t>(x);
    }
    if (type == "bigint") return parse_decimal_seed(value.call<std::string>("toString"), what);
    if (type == "string") return parse_decimal_seed(value.as<std::string>(), what);
    throw tdam::Error(what + " must be a number, a BigInt or a decimal string (got a " + type + ")");
}

Options::Options(val object, std::string context, std::initializer_list<const char*> known)
    : object_(std::move(object)), context_(std::move(context)) {
    if (object_.isUndefined() || object_.isNull()) {
        object_ = val::undefined();
        return;
    }
    const std::string type = object_.typeOf().as<std::string>();
    tdam::require(type == "object", context_ + " must be an object (got a " + type + ")");
    const val keys = val::global("Object").call<val>("keys", object_);
    const int count = keys["length"].as<int>();
    for (int k = 0; k < count; ++k) {
        const std::string key = keys[k].as<std::string>();
        bool found = false;
        for (const char* name : known) found = found || key == name;
        if (!found) {
            std::string list;
            for (const char* name : known) list += (list.empty() ? "" : ", ") + std::string(name);
            throw tdam::Error("unknown " + context_ + " key '" + key + "' (expected " + list + ")");
        }
    }
}

std::string Options::name(const char* key) const { return context_ + " " + key; }

val Options::get(const char* key) const {
    if (object_.isUndefined()) return val::undefined();
    return object_[key];
}

bool Options::has(const char* key) const {
    const val v = get(key);
    return !(v.isUndefined() || v.isNull());
}

double Options::number(const char* key, double fallback) const {
    if (!has(key)) return fallback;
    const val v = get(key);
    tdam::require(v.isNumber(), name(key) + " must be a number (got a " + v.typeOf().as<std::string>() + ")");
    return v.as<double>();
}

int Options::integer(const char* key, int fallback, double min, double max) const {
    if (!has(key)) return fallback;
    return to_int(number(key, 0.0), name(key), min, max);
}

std::string Options::text(const char* key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    const val v = get(key);
    tdam::require(v.isString(), name(key) + " must be a string (got a " + v.typeOf().as<std::string>() + ")");
    return v.as<std::string>();
}

bool Options::flag(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    const val v = get(key);
    const std::string type = v.typeOf().as<std::string>();
    tdam::require(type == "boolean", name(key) + " must be true or false (got a " + type + ")");
    return v.as<bool>();
}

std::uint64_t Options::seed(const char* key, std::uint64_t fallback) const {
    if (!has(key)) return fallback;
    return to_seed(get(key), name(key));
}

bool has_callback(const val& callback, const std::string& what) {
    if (callback.isUndefined() || callback.isNull()) return false;
    const std::string type = callback.typeOf().as<std::string>();
    tdam::require(type == "function", what + " must be a function (got a " + type + ")");
    return true;
}

tdam::Progress to_progress(const val& callback, const std::string& what) {
    if (!has_callback(callback, what)) return {};
    return [callback](double fraction) { return callback(fraction).as<bool>(); };
}

namespace {

std::string version() { return TDAM_VERSION; }

}  // namespace

}  // namespace tdam_wasm

EMSCRIPTEN_BINDINGS(tdam_base) {
    using namespace emscripten;
    function("version", &tdam_wasm::version);
    function("takeError", &tdam_wasm::take_error);
}
