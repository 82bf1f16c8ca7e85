#pragma once
// The one exception type of the core. Every public entry point validates its
// arguments and throws tdam::Error with a message naming what was wrong and
// leaves its outputs untouched (nothing is partially written).
#include <stdexcept>
#include <string>

namespace tdam {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Throws Error(message) when condition is false. Prefer TDAM_REQUIRE, which
// builds the message only when the check fails (checks run per entry).
inline void require(bool condition, const std::string& message) {
    if (!condition) throw Error(message);
}

}  // namespace tdam

namespace tdam {

// Thrown when a progress callback asks long work to stop.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace tdam

// TDAM_REQUIRE(condition, message): throws tdam::Error(message) when the
// condition is false; the message expression is evaluated only then.
#define TDAM_REQUIRE(condition, message)                              \
    do {                                                              \
        if (!(condition)) throw ::tdam::Error(message);               \
    } while (false)
