#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tdam/error.hpp"
#include "tdam/rng.hpp"

using tdam::Rng;

TEST_CASE("Rng: same seed gives the same stream, different seeds differ") {
    Rng a(12345), b(12345), c(12346);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t x = a.next_u64();
        CHECK(x == b.next_u64());
        if (x != c.next_u64()) differs = true;
    }
    CHECK(differs);
    Rng d(12345);
    Rng e = d;  // copies continue identically
    for (int i = 0; i < 10; ++i) CHECK(d.normal() == e.normal());
}

TEST_CASE("Rng: golden next_u64 values") {
    // Expected values from an independent Python implementation of
    // splitmix64 seeding + xoshiro256** written from the published algorithm
    // (Python big integers masked to 64 bits). splitmix64 from seed 0 gives
    // 0xe220a8397b1dcdaf first, matching the published reference output.
    Rng r(1);
    CHECK(r.next_u64() == 0xb3f2af6d0fc710c5ULL);
    CHECK(r.next_u64() == 0x853b559647364ceaULL);
    CHECK(r.next_u64() == 0x92f89756082a4514ULL);
    CHECK(r.next_u64() == 0x642e1c7bc266a3a7ULL);
    CHECK(r.next_u64() == 0xb27a48e29a233673ULL);

    Rng z(0);
    CHECK(z.next_u64() == 0x99ec5f36cb75f2b4ULL);
    CHECK(z.next_u64() == 0xbf6e1f784956452aULL);

    // below(10) for seed 7 by Lemire's method, same Python reference.
    Rng b(7);
    const std::uint64_t expected[] = {7, 2, 8, 9, 9, 8, 0, 1};
    for (std::uint64_t e : expected) CHECK(b.below(10) == e);

    // uniform() for seed 1: (next_u64 >> 11) * 2^-53, exact.
    Rng u(1);
    CHECK(u.uniform() == 0.7029218331588505);
    CHECK(u.uniform() == 0.5204366199388569);
}

TEST_CASE("Rng: golden normal() checksum for seed 42") {
    // Sum, in order, of the first 1000 normal() values for seed 42. Obtained
    // by running the native build once and confirmed by an independent Python
    // replay of the same IEEE operation sequence; the wasm build must match
    // it bit for bit.
    Rng r(42);
    double sum = 0.0;
    for (int i = 0; i < 1000; ++i) sum += r.normal();
    CHECK(sum == 0x1.2f9f037d3c1d8p+5);  // 37.952643373868057
}

TEST_CASE("Rng: uniform is in [0, 1)") {
    Rng r(3);
    double lo = 1.0, hi = 0.0, sum = 0.0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
        const double u = r.uniform();
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        lo = std::min(lo, u);
        hi = std::max(hi, u);
        sum += u;
    }
    CHECK(lo < 1e-3);
    CHECK(hi > 1.0 - 1e-3);
    CHECK(sum / n == doctest::Approx(0.5).epsilon(0.01));
}

TEST_CASE("Rng: below covers its range and is roughly uniform") {
    Rng r(99);
    CHECK_THROWS_WITH_AS(r.below(0), "Rng::below: n must be positive, got 0", tdam::Error);
    for (int i = 0; i < 100; ++i) CHECK(r.below(1) == 0);

    const int k = 37;
    const int n = 370000;
    std::vector<int> counts(k, 0);
    for (int i = 0; i < n; ++i) {
        const std::uint64_t v = r.below(k);
        REQUIRE(v < static_cast<std::uint64_t>(k));
        ++counts[static_cast<std::size_t>(v)];
    }
    double chi2 = 0.0;
    const double expected = static_cast<double>(n) / k;
    for (int c : counts) {
        CHECK(c > 0);
        chi2 += (c - expected) * (c - expected) / expected;
    }
    // 36 degrees of freedom: mean 36, sd ~8.5; 100 is far out in the tail.
    CHECK(chi2 < 100.0);

    // A range just above 2^63 rejects about half of the draws; still in range
    // and both halves hit.
    const std::uint64_t big = (std::uint64_t{1} << 63) + 12345;
    int upper = 0;
    for (int i = 0; i < 2000; ++i) {
        const std::uint64_t v = r.below(big);
        REQUIRE(v < big);
        if (v >= (std::uint64_t{1} << 62)) ++upper;
    }
    CHECK(upper > 850);  // expected 1000, sd ~22
    CHECK(upper < 1150);
}

TEST_CASE("Rng: coin is fair") {
    Rng r(5);
    int heads = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) heads += r.coin() ? 1 : 0;
    // sd = 158
    CHECK(heads > n / 2 - 1000);
    CHECK(heads < n / 2 + 1000);
}

TEST_CASE("Rng: normal has mean 0 and variance 1") {
    Rng r(2024);
    const int n = 200000;
    double sum = 0.0, sum2 = 0.0, sum4 = 0.0;
    int beyond2 = 0;
    for (int i = 0; i < n; ++i) {
        const double z = r.normal();
        sum += z;
        sum2 += z * z;
        sum4 += z * z * z * z;
        if (z > 2.0 || z < -2.0) ++beyond2;
    }
    const double mean = sum / n;
    const double var = sum2 / n - mean * mean;
    CHECK(mean > -0.015);  // sd of the mean ~0.0022
    CHECK(mean < 0.015);
    CHECK(var > 0.98);  // sd of the variance ~0.0032
    CHECK(var < 1.02);
    CHECK(sum4 / n == doctest::Approx(3.0).epsilon(0.05));
    // P(|Z| > 2) = 0.0455
    CHECK(static_cast<double>(beyond2) / n == doctest::Approx(0.0455).epsilon(0.05));
}

TEST_CASE("Rng: permutation and shuffle") {
    Rng r(8);
    CHECK(r.permutation(0).empty());
    CHECK(r.permutation(1) == std::vector<int>{0});
    CHECK_THROWS_AS(r.permutation(-1), tdam::Error);

    std::vector<int> p = r.permutation(1000);
    REQUIRE(p.size() == 1000);
    std::vector<int> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 1000; ++i) CHECK(sorted[static_cast<std::size_t>(i)] == i);
    int fixed = 0;
    for (int i = 0; i < 1000; ++i) fixed += p[static_cast<std::size_t>(i)] == i ? 1 : 0;
    CHECK(fixed < 10);  // expected 1

    Rng a(77), b(77);
    CHECK(a.permutation(50) == b.permutation(50));

    // Every arrangement of 3 elements appears, roughly equally often.
    std::vector<int> counts(6, 0);
    const int trials = 60000;
    for (int t = 0; t < trials; ++t) {
        std::vector<int> v{0, 1, 2};
        r.shuffle(v);
        const int code = v[0] * 2 + (v[1] > v[2] ? 1 : 0);  // unique per arrangement
        ++counts[static_cast<std::size_t>(code)];
    }
    for (int c : counts) {
        CHECK(c > 9400);  // expected 10000, sd ~91
        CHECK(c < 10600);
    }
}
