#pragma once
// Platform-independent pseudo-random numbers.
//
// The generator is xoshiro256** (Blackman & Vigna) whose 256-bit state is
// filled from one 64-bit seed by four outputs of splitmix64. Every derived
// quantity uses integer operations, exact floating-point operations and
// IEEE basic operations only (no std:: distributions, no libm
// transcendental functions), so one seed gives bit-identical streams in the
// native and the WebAssembly builds.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tdam {

class Rng {
public:
    explicit Rng(std::uint64_t seed);

    // Next raw 64-bit output of xoshiro256**.
    std::uint64_t next_u64();

    // Uniform double in [0, 1): the top 53 bits of next_u64() times 2^-53.
    double uniform();

    // Uniform integer in [0, n) without bias (Lemire's multiply-and-reject).
    // Throws tdam::Error when n == 0.
    std::uint64_t below(std::uint64_t n);

    // Standard normal deviate (Marsaglia's polar method with det_log and
    // std::sqrt). Each accepted pair yields two values; the second one is
    // cached and returned by the next call.
    double normal();

    // One fair bit (the top bit of next_u64()).
    bool coin();

    // Uniform random permutation of v in place (Fisher-Yates with below()).
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(below(static_cast<std::uint64_t>(i)));
            using std::swap;
            swap(v[i - 1], v[j]);
        }
    }

    // 0, 1, ..., n-1 in uniformly random order. Throws tdam::Error when n < 0.
    std::vector<int> permutation(int n);

private:
    std::uint64_t s_[4];
    bool has_cached_normal_ = false;
    double cached_normal_ = 0.0;
};

// A seed for an independent stream derived from a user seed (splitmix64 of
// seed and stream), so that e.g. sampled codes are not drawn from the same
// stream as the weights. The CLI, the wasm module and the page derive the
// seeds of their secondary streams with it, so they draw the same numbers.
std::uint64_t derived_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace tdam
