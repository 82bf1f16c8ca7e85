// The capacity regime of MODEL.md section 2, and the capacity engine itself.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace tdam;

namespace {
CapacityResult capacity(int nv, int nh, std::uint64_t seed, std::int64_t samples = 0,
                        Visible visible = Visible::Linear, double theta = 0.5) {
    Rng rng(seed);
    ThresholdNetwork net(random_weights(nv, nh, WeightKind::PlusMinusOne, rng), theta, visible);
    CapacityOptions o;
    o.samples = samples;
    o.seed = seed + 100;
    return count_stable_codes(net, o);
}
}  // namespace

TEST_CASE("N_v = 1000: every non-zero code is stable for N_h = 12 and N_h = 16") {
    const CapacityResult r12 = capacity(1000, 12, 1);
    CHECK(r12.exhaustive);
    CHECK(r12.total == 4095);
    CHECK(r12.stable == 4095);
    const CapacityResult r16 = capacity(1000, 16, 1);
    CHECK(r16.total == 65535);
    CHECK(r16.stable == 65535);
}

TEST_CASE("N_v = 100, N_h = 12: a clearly partial count") {
    double sum = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const CapacityResult r = capacity(100, 12, seed);
        CHECK(r.stable < 4095);
        sum += r.stable;
    }
    CHECK(sum / 5 < 0.9 * 4095);  // MODEL.md: about 2,750 of 4,095
    CHECK(sum / 5 > 0.3 * 4095);
}

TEST_CASE("the regime between: N_v = 300 stores nearly all codes, N_v = 100 N_h = 8 all") {
    CHECK(capacity(100, 8, 1).stable == 255);
    const CapacityResult r = capacity(300, 12, 1);
    CHECK(r.stable >= 4000);
}

TEST_CASE("sampled estimates agree with exhaustive counts within their interval") {
    int inside = 0, runs = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const CapacityResult exact = capacity(100, 12, seed);
        const CapacityResult sampled = capacity(100, 12, seed, 4000);
        CHECK_FALSE(sampled.exhaustive);
        CHECK(sampled.checked == 4000);
        CHECK(sampled.stable_ci95.low <= sampled.stable);
        CHECK(sampled.stable <= sampled.stable_ci95.high);
        if (sampled.stable_ci95.low <= exact.stable && exact.stable <= sampled.stable_ci95.high) ++inside;
        ++runs;
    }
    CHECK(inside >= 8);  // a 95% interval: 10 of 10 expected, 8 leaves room for chance
}

TEST_CASE("the exhaustive walk agrees with checking each code by its dynamics") {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        Rng rng(seed);
        for (auto kind : {WeightKind::PlusMinusOne, WeightKind::Gaussian}) {
            ThresholdNetwork net(random_weights(50, 10, kind, rng), 0.4);
            net.set_input(seed == 3 ? tdam::test::random_gauss(50, rng) * 0.2 : Vector());
            std::int64_t direct = 0;
            for (std::uint64_t bits = 1; bits < 1024; ++bits)
                if (is_stable_code(net, tdam::test::code_from_bits(bits, 10))) ++direct;
            CHECK(count_stable_codes(net, {}).stable == static_cast<double>(direct));
        }
    }
}

TEST_CASE("binary visible neurons: capacity counted through sign(xi s)") {
    const CapacityResult r = capacity(200, 10, 1, 0, Visible::Binary, 0.1);
    CHECK(r.exhaustive);
    CHECK(r.total == 1023);
    CHECK(r.stable > 0);
    // consistent with a direct check
    Rng rng(1);
    ThresholdNetwork net(random_weights(200, 10, WeightKind::PlusMinusOne, rng), 0.1, Visible::Binary);
    std::int64_t direct = 0;
    for (std::uint64_t bits = 1; bits < 1024; ++bits)
        if (is_stable_code(net, tdam::test::code_from_bits(bits, 10))) ++direct;
    CHECK(r.stable == static_cast<double>(direct));
}

TEST_CASE("large N_h is sampled; progress is reported and can cancel") {
    Rng rng(1);
    ThresholdNetwork net(random_weights(2000, 40, WeightKind::PlusMinusOne, rng), 0.5);
    CapacityOptions o;
    o.samples = 3000;
    double last = -1;
    o.progress = [&](double f) {
        CHECK(f >= last);
        last = f;
        return true;
    };
    const CapacityResult r = count_stable_codes(net, o);
    CHECK_FALSE(r.exhaustive);
    CHECK(last >= 0);
    CHECK(r.total == doctest::Approx(std::ldexp(1.0, 40) - 1));
    o.progress = [](double) { return false; };
    CHECK_THROWS_AS(count_stable_codes(net, o), Cancelled);
}

TEST_CASE("Wilson interval") {
    const Interval half = wilson_interval(50, 100);
    CHECK(half.low == doctest::Approx(0.4038).epsilon(1e-3));
    CHECK(half.high == doctest::Approx(0.5962).epsilon(1e-3));
    const Interval all = wilson_interval(100, 100);
    CHECK(all.high == 1.0);
    CHECK(all.low == doctest::Approx(0.9630).epsilon(1e-3));
    CHECK_THROWS_AS(wilson_interval(3, 0), Error);
}

TEST_CASE("capacity rejects bad options") {
    Rng rng(1);
    ThresholdNetwork net(random_weights(20, 4, WeightKind::PlusMinusOne, rng), 0.5);
    CapacityOptions o;
    o.samples = -5;
    CHECK_THROWS_WITH_AS(count_stable_codes(net, o), doctest::Contains("samples must be"), Error);
}
