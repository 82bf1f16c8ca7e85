#pragma once
// Shared plumbing of the Embind adapters (bindings*.cpp). wasm/ holds no model
// logic: these helpers only move data between JS and the core and turn C++
// exceptions into messages.
//
// Conventions (see wasm/js/tdam.js, the only caller):
//  - Bulk inputs arrive as (byte offset, length) pairs: the JS wrapper copies
//    its Float64Array into the wasm heap with one HEAPF64.set and passes the
//    offset; read_vector / read_matrix copy it into an Eigen object. The
//    weights of createModel (the one input that can be hundreds of MiB) come
//    as the Float64Array itself and are copied once, straight into the
//    matrix.
//  - Bulk outputs leave as new Float64Arrays, copied in one go from a
//    typed_memory_view of the C++ result (to_array).
//  - No exception ever crosses into JS: every adapter runs its body in
//    guarded(), which records the message (last_error) and returns null.
//    The wrapper then throws a JS Error with that message. Throwing across
//    the boundary would skip C++ destructors (a leak) or arrive as a bare
//    number.
//  - Option objects are read here, field by field, with the core's own
//    defaults (tdam::RecallOptions{}, tdam::CapacityOptions{}), so there is
//    one source of truth for them; unknown keys are refused by name.
#include <emscripten/val.h>

#include <cstdint>
#include <initializer_list>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "tdam/capacity.hpp"
#include "tdam/types.hpp"

namespace tdam_wasm {

using emscripten::val;

// The message of the last failed adapter call ("" when none); take_error()
// returns it and clears it.
void set_error(const std::string& message);
std::string take_error();

// Runs body() (returning val); on any exception records its message and
// returns null.
template <class Body>
val guarded(Body&& body) {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        set_error("out of memory: the WebAssembly heap cannot grow further (at most 2 GiB)");
    } catch (const std::exception& e) {
        set_error(e.what());
    } catch (...) {
        set_error("unknown C++ exception");
    }
    return val::null();
}

// Number formatting for messages: the shortest of %.15g, %.16g, %.17g that
// round-trips; "NaN", "Infinity", "-Infinity" as JS writes them.
std::string format_number(double x);

// A JS number that must be an integer in [min, max]; `what` names it.
int to_int(double x, const std::string& what, double min, double max);
// A JS number that must be an integer that fits an int (the core checks the
// actual range with its own message).
int to_int(double x, const std::string& what);

// Heap data passed by the wrapper: `length` doubles at byte offset `offset`.
tdam::Vector read_vector(std::uintptr_t offset, int length);
// rows x cols column-major; length must be rows * cols (`what` names it).
tdam::Matrix read_matrix(std::uintptr_t offset, int length, int rows, int cols, const std::string& what);
// The same from a Float64Array (the wrapper guarantees the type), copied
// straight into the matrix with one TypedArray.set.
tdam::Matrix read_matrix(const val& array, int rows, int cols, const std::string& what);

// Copies n doubles into a new Float64Array.
val to_array(const double* data, std::size_t n);
val to_array(const tdam::Vector& v);
val to_array(const std::vector<double>& v);

// Reads an options object (undefined or null: all defaults). `context` names
// it in messages ("recall options").
class Options {
public:
    Options(val object, std::string context, std::initializer_list<const char*> known);

    bool has(const char* key) const;
    double number(const char* key, double fallback) const;
    int integer(const char* key, int fallback, double min, double max) const;
    std::string text(const char* key, const std::string& fallback) const;
    bool flag(const char* key, bool fallback) const;
    // A non-negative integer number below 2^64, a BigInt or a decimal string.
    std::uint64_t seed(const char* key, std::uint64_t fallback) const;
    // The raw value (undefined when absent).
    val get(const char* key) const;

private:
    std::string name(const char* key) const;
    val object_;
    std::string context_;
};

// A seed given as a JS value: see Options::seed. `what` names it.
std::uint64_t to_seed(const val& value, const std::string& what);

// Whether a JS callback was given (undefined or null: no); anything else but
// a function is refused, `what` naming it.
bool has_callback(const val& callback, const std::string& what);

// A JS progress callback (undefined or null: none) as a tdam::Progress: it is
// called with the fraction done and cancels the work when it returns false.
// The wrapper guarantees it never throws (it catches and cancels instead).
// `what` names it in the message when it is not a function.
tdam::Progress to_progress(const val& callback, const std::string& what);

}  // namespace tdam_wasm
