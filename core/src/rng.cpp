#include "tdam/rng.hpp"

#include <cmath>
#include <numeric>
#include <string>

#include "tdam/detmath.hpp"
#include "tdam/error.hpp"

namespace tdam {

namespace {

inline std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

inline std::uint64_t splitmix64(std::uint64_t& state) {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Full 64 x 64 -> 128-bit product as (high, low) halves, with 32-bit limbs so
// that it needs no compiler extension and behaves the same on wasm32.
inline void mul_64x64(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
    const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
    const std::uint64_t ll = a_lo * b_lo;
    const std::uint64_t lh = a_lo * b_hi;
    const std::uint64_t hl = a_hi * b_lo;
    const std::uint64_t hh = a_hi * b_hi;
    const std::uint64_t mid = (ll >> 32) + (lh & 0xffffffffULL) + (hl & 0xffffffffULL);
    lo = (mid << 32) | (ll & 0xffffffffULL);
    hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

}  // namespace

Rng::Rng(std::uint64_t seed) {
    // Four consecutive splitmix64 outputs; they are distinct, so the state is
    // never all zero.
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
}

std::uint64_t Rng::next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double Rng::uniform() {
    // Exact: a 53-bit integer times a power of two.
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

std::uint64_t Rng::below(std::uint64_t n) {
    TDAM_REQUIRE(n > 0, "Rng::below: n must be positive, got 0");
    // Lemire (2019): the high word of x * n is uniform on [0, n) once the
    // products whose low word falls below 2^64 mod n are rejected.
    std::uint64_t hi, lo;
    mul_64x64(next_u64(), n, hi, lo);
    if (lo < n) {
        const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
        while (lo < threshold) mul_64x64(next_u64(), n, hi, lo);
    }
    return hi;
}

double Rng::normal() {
    if (has_cached_normal_) {
        has_cached_normal_ = false;
        return cached_normal_;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;  // exact
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * det_log(s) / s);
    cached_normal_ = v * f;
    has_cached_normal_ = true;
    return u * f;
}

bool Rng::coin() { return (next_u64() >> 63) != 0; }

std::vector<int> Rng::permutation(int n) {
    TDAM_REQUIRE(n >= 0, "Rng::permutation: n must be non-negative, got " + std::to_string(n));
    std::vector<int> p(static_cast<std::size_t>(n));
    std::iota(p.begin(), p.end(), 0);
    shuffle(p);
    return p;
}

std::uint64_t derived_seed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace tdam
