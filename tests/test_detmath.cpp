#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "tdam/detmath.hpp"
#include "tdam/rng.hpp"

// The std:: functions serve only as a reference with tolerances here; the
// library itself never calls them for results.

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Distance in units in the last place between two finite doubles.
std::int64_t ulp_distance(double a, double b) {
    auto key = [](double d) {
        std::int64_t i;
        std::memcpy(&i, &d, sizeof i);
        return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
    };
    const std::int64_t d = key(a) - key(b);
    return d < 0 ? -d : d;
}

double rel_error(double got, double want) {
    if (want == 0.0) return std::fabs(got);
    return std::fabs(got - want) / std::fabs(want);
}

struct Worst {
    double rel = 0.0;
    std::int64_t ulps = 0;
    double at = 0.0;
    void add(double x, double got, double want) {
        const double r = rel_error(got, want);
        const std::int64_t u = ulp_distance(got, want);
        if (r > rel) rel = r;
        if (u > ulps) {
            ulps = u;
            at = x;
        }
    }
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("det_exp matches std::exp within 2 ulp") {
    tdam::Rng r(1001);
    struct Range {
        double lo, hi;
    };
    const Range ranges[] = {{-708.0, 709.7}, {-1.0, 1.0}, {-0.36, 0.36}, {-1e-6, 1e-6}, {-40.0, 40.0}};
    for (const Range& range : ranges) {
        Worst w;
        for (int i = 0; i < 100000; ++i) {
            const double x = range.lo + (range.hi - range.lo) * r.uniform();
            w.add(x, tdam::det_exp(x), std::exp(x));
        }
        INFO("range [" << range.lo << ", " << range.hi << "] worst at " << w.at);
        CHECK(w.rel < 4e-16);
        CHECK(w.ulps <= 2);
    }
    // Multiples of ln 2 and exact points.
    CHECK(tdam::det_exp(0.0) == 1.0);
    CHECK(tdam::det_exp(-0.0) == 1.0);
    for (int k = -1000; k <= 1000; k += 7) {
        const double x = k * 0.6931471805599453;
        CHECK(ulp_distance(tdam::det_exp(x), std::exp(x)) <= 2);
    }
}

TEST_CASE("det_exp special values, overflow and gradual underflow") {
    CHECK(std::isnan(tdam::det_exp(kNaN)));
    CHECK(tdam::det_exp(kInf) == kInf);
    CHECK(same_bits(tdam::det_exp(-kInf), 0.0));
    CHECK(tdam::det_exp(709.78) == doctest::Approx(std::exp(709.78)).epsilon(1e-15));
    CHECK(tdam::det_exp(709.79) == kInf);
    CHECK(tdam::det_exp(710.0) == kInf);
    CHECK(tdam::det_exp(1e300) == kInf);
    CHECK(same_bits(tdam::det_exp(-746.0), 0.0));
    CHECK(same_bits(tdam::det_exp(-1e300), 0.0));
    // Smallest normal and subnormal results: rounded like std::exp to
    // within one subnormal step.
    for (double x = -708.3; x > -745.2; x -= 0.173) {
        const double got = tdam::det_exp(x), want = std::exp(x);
        INFO("x = " << x);
        CHECK(std::fabs(got - want) <= 2 * std::numeric_limits<double>::denorm_min() +
                                           2.3e-16 * want);
    }
    CHECK(tdam::det_exp(-745.0) == std::numeric_limits<double>::denorm_min());
    CHECK(tdam::det_exp(-745.2) == 0.0);
}

TEST_CASE("det_log matches std::log within 2 ulp") {
    tdam::Rng r(2002);
    Worst bits, near1, small;
    for (int i = 0; i < 200000; ++i) {
        // Random positive finite doubles from their bit patterns (all
        // binades, subnormals included).
        std::uint64_t b = r.next_u64() >> 1;
        if (b == 0 || b >= 0x7ff0000000000000ULL) b = 1;
        double x;
        std::memcpy(&x, &b, sizeof x);
        bits.add(x, tdam::det_log(x), std::log(x));

        const double y = 0.5 + 1.5 * r.uniform();
        near1.add(y, tdam::det_log(y), std::log(y));

        const double z = 1.0 + (2.0 * r.uniform() - 1.0) * 1e-7;
        small.add(z, tdam::det_log(z), std::log(z));
    }
    for (const Worst* w : {&bits, &near1, &small}) {
        INFO("worst at " << w->at);
        CHECK(w->rel < 4e-16);
        CHECK(w->ulps <= 2);
    }
    for (int e = -1074; e <= 1023; ++e) {
        const double x = std::ldexp(1.0, e);
        CHECK(ulp_distance(tdam::det_log(x), std::log(x)) <= 2);
    }
}

TEST_CASE("det_log special values") {
    CHECK(same_bits(tdam::det_log(1.0), 0.0));
    CHECK(tdam::det_log(0.0) == -kInf);
    CHECK(tdam::det_log(-0.0) == -kInf);
    CHECK(std::isnan(tdam::det_log(-1.0)));
    CHECK(std::isnan(tdam::det_log(-kInf)));
    CHECK(std::isnan(tdam::det_log(-std::numeric_limits<double>::denorm_min())));
    CHECK(std::isnan(tdam::det_log(kNaN)));
    CHECK(tdam::det_log(kInf) == kInf);
    CHECK(tdam::det_log(std::numeric_limits<double>::max()) ==
          doctest::Approx(709.782712893384).epsilon(1e-15));
    CHECK(tdam::det_log(std::numeric_limits<double>::denorm_min()) ==
          doctest::Approx(-744.4400719213812).epsilon(1e-15));
    CHECK(tdam::det_log(2.0) == doctest::Approx(0.6931471805599453).epsilon(1e-16));
}

TEST_CASE("det_expm1 and det_log1p match std within a few ulp") {
    tdam::Rng r(3003);
    Worst em, em_small, lp, lp_small;
    for (int i = 0; i < 100000; ++i) {
        const double x = -50.0 + 100.0 * r.uniform();
        em.add(x, tdam::det_expm1(x), std::expm1(x));
        const double xs = std::ldexp(2.0 * r.uniform() - 1.0, -static_cast<int>(r.below(60)));
        em_small.add(xs, tdam::det_expm1(xs), std::expm1(xs));
        const double y = -1.0 + 1e6 * r.uniform();
        if (y > -1.0) lp.add(y, tdam::det_log1p(y), std::log1p(y));
        const double ys = std::ldexp(2.0 * r.uniform() - 1.0, -static_cast<int>(r.below(60)));
        lp_small.add(ys, tdam::det_log1p(ys), std::log1p(ys));
    }
    for (const Worst* w : {&em, &em_small, &lp, &lp_small}) {
        INFO("worst at " << w->at);
        CHECK(w->rel < 8e-16);
        CHECK(w->ulps <= 3);
    }
    CHECK(same_bits(tdam::det_expm1(-0.0), -0.0));
    CHECK(same_bits(tdam::det_expm1(0.0), 0.0));
    CHECK(tdam::det_expm1(-kInf) == -1.0);
    CHECK(tdam::det_expm1(-100.0) == -1.0);
    CHECK(tdam::det_expm1(kInf) == kInf);
    CHECK(tdam::det_expm1(800.0) == kInf);
    CHECK(std::isnan(tdam::det_expm1(kNaN)));
    CHECK(same_bits(tdam::det_log1p(-0.0), -0.0));
    CHECK(tdam::det_log1p(-1.0) == -kInf);
    CHECK(std::isnan(tdam::det_log1p(-1.5)));
    CHECK(std::isnan(tdam::det_log1p(kNaN)));
    CHECK(tdam::det_log1p(kInf) == kInf);
    CHECK(tdam::det_log1p(1e-300) == 1e-300);
}

TEST_CASE("det_logistic and det_tanh") {
    tdam::Rng r(4004);
    Worst lg, th, th_small;
    for (int i = 0; i < 100000; ++i) {
        const double x = -700.0 + 1400.0 * r.uniform();
        lg.add(x, tdam::det_logistic(x), 1.0 / (1.0 + std::exp(-x)));
        const double y = -25.0 + 50.0 * r.uniform();
        th.add(y, tdam::det_tanh(y), std::tanh(y));
        const double ys = std::ldexp(2.0 * r.uniform() - 1.0, -static_cast<int>(r.below(40)));
        th_small.add(ys, tdam::det_tanh(ys), std::tanh(ys));
    }
    for (const Worst* w : {&lg, &th, &th_small}) {
        INFO("worst at " << w->at);
        CHECK(w->rel < 1.2e-15);
        CHECK(w->ulps <= 6);
    }
    CHECK(tdam::det_logistic(0.0) == 0.5);
    CHECK(tdam::det_logistic(kInf) == 1.0);
    CHECK(tdam::det_logistic(-kInf) == 0.0);
    CHECK(tdam::det_logistic(800.0) == 1.0);
    CHECK(tdam::det_logistic(-800.0) == 0.0);
    CHECK(std::isnan(tdam::det_logistic(kNaN)));
    // Symmetry: logistic(x) + logistic(-x) == 1 to rounding.
    for (double x = -30.0; x <= 30.0; x += 0.37)
        CHECK(tdam::det_logistic(x) + tdam::det_logistic(-x) == doctest::Approx(1.0).epsilon(1e-15));
    CHECK(tdam::det_tanh(kInf) == 1.0);
    CHECK(tdam::det_tanh(-kInf) == -1.0);
    CHECK(tdam::det_tanh(30.0) == 1.0);
    CHECK(same_bits(tdam::det_tanh(-0.0), -0.0));
    CHECK(std::isnan(tdam::det_tanh(kNaN)));
    for (double x = 0.01; x < 20.0; x *= 1.7) CHECK(tdam::det_tanh(-x) == -tdam::det_tanh(x));
}
