// Fuzz target: tdam::npy::parse on arbitrary bytes.
//
// Properties checked (any violation aborts, which libFuzzer reports):
//  - parse either returns or throws tdam::Error; any other exception is a bug;
//  - a parsed array has 0, 1 or 2 dimensions whose product is data.size();
//  - serialize(parse(x)) parses back to the same shape and bit-identical
//    values, in float64 always and in float32 when the file stored float32;
//  - serialising that result again gives the very same bytes (the writer is
//    canonical);
//  - to_matrix / to_vector accept the array or throw tdam::Error.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include "tdam/error.hpp"
#include "tdam/npy.hpp"

#include "harness.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_npy: property violated: %s\n", what);
    std::abort();
}

void check(bool ok, const char* what) {
    if (!ok) fail(what);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void check_shape(const tdam::npy::Array& a) {
    check(a.shape.size() <= 2, "more than 2 dimensions");
    std::uint64_t count = 1;
    for (std::int64_t d : a.shape) {
        check(d >= 0, "negative dimension");
        count *= static_cast<std::uint64_t>(d);  // small: the data fits the input
    }
    check(count == a.data.size(), "shape does not match the data size");
}

void round_trip(const tdam::npy::Array& a, tdam::npy::Dtype dtype) {
    std::vector<std::uint8_t> bytes;
    try {
        bytes = tdam::npy::serialize(a, dtype);
    } catch (const tdam::Error& e) {
        std::fprintf(stderr, "serialize: %s\n", e.what());
        fail("serialize refused an array parse accepted");
    }
    tdam::npy::Array b;
    try {
        b = tdam::npy::parse(bytes.data(), bytes.size());
    } catch (const tdam::Error& e) {
        std::fprintf(stderr, "parse: %s\n", e.what());
        fail("parse refused what serialize wrote");
    }
    check(b.shape == a.shape, "round trip changed the shape");
    check(b.dtype == dtype, "round trip changed the dtype");
    check(same_bits(a.data, b.data), "round trip changed a value");
    const std::vector<std::uint8_t> again = tdam::npy::serialize(b, dtype);
    check(again == bytes, "serialize is not canonical");
    const std::size_t item = dtype == tdam::npy::Dtype::Float32 ? 4 : 8;
    check(bytes.size() >= b.data.size() * item &&
              (bytes.size() - b.data.size() * item) % 64 == 0,
          "header not padded to a multiple of 64");
}

void run(const std::uint8_t* data, std::size_t size) {
    tdam::npy::Array a;
    try {
        a = tdam::npy::parse(data, size);
    } catch (const tdam::Error&) {
        return;  // rejected cleanly
    }
    check_shape(a);
    round_trip(a, tdam::npy::Dtype::Float64);
    if (a.dtype == tdam::npy::Dtype::Float32) round_trip(a, tdam::npy::Dtype::Float32);
    try {
        const Eigen::MatrixXd m = tdam::npy::to_matrix(a, "fuzz");
        check(static_cast<std::size_t>(m.size()) == a.data.size(), "to_matrix lost values");
    } catch (const tdam::Error&) {
        check(a.shape.size() != 1 && a.shape.size() != 2, "to_matrix refused a 1-D or 2-D array");
    }
    try {
        const Eigen::VectorXd v = tdam::npy::to_vector(a, "fuzz");
        check(static_cast<std::size_t>(v.size()) == a.data.size(), "to_vector lost values");
    } catch (const tdam::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return tdam::fuzz::abort_on_escape([&] { run(data, size); }, " outside parse");
}
