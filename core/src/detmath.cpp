#include "tdam/detmath.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

// Everything below uses only + - * /, comparisons, std::floor, std::frexp,
// std::copysign and bit manipulation. Do not introduce calls to libm
// transcendental functions or reorder the arithmetic: the exact sequence of
// rounded operations is what makes results identical across platforms.

namespace tdam {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ln 2 = kLn2Hi + kLn2Lo. kLn2Hi is ln 2 rounded to a multiple of 2^-32
// (29 significant bits), so k * kLn2Hi is exact for |k| < 2^24; kLn2Lo is
// the rest rounded to double. Computed with Python's decimal module at 80
// digits: ln 2 = 0.693147180559945309417232121458176568075500134360255...
constexpr double kLn2Hi = 0x1.62e42ffp-1;
constexpr double kLn2Lo = -0x1.718432a1b0e26p-35;
constexpr double kInvLn2 = 0x1.71547652b82fep+0;  // 1 / ln 2 rounded
constexpr double kSqrtHalf = 0x1.6a09e667f3bcdp-1;  // sqrt(1/2) rounded

// 2^e for -1022 <= e <= 1023, built from its bit pattern (exact).
inline double pow2(int e) {
    const std::uint64_t bits = static_cast<std::uint64_t>(e + 1023) << 52;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// y * 2^k for y in [0.5, 2] and -1100 <= k <= 1024 with a single rounding
// (so results in the subnormal range are correctly rounded from y * 2^k).
inline double scale(double y, int k) {
    if (k > 1023) return (y * pow2(1023)) * pow2(k - 1023);  // first product exact
    if (k < -1000) return (y * pow2(-1000)) * pow2(k + 1000);  // first product exact
    return y * pow2(k);
}

// Taylor coefficients 1/n!; the denominators are exact doubles, so each
// constant is the correctly rounded quotient.
constexpr double kInvFact[14] = {
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362880.0,
    1.0 / 3628800.0,
    1.0 / 39916800.0,
    1.0 / 479001600.0,
    1.0 / 6227020800.0,
};

// Range reduction for exp: x = k ln2 + r with |r| <= ~ln2/2; returns k and
// q = exp(r) - 1 (including a first-order correction for the rounding of r).
// Requires finite x with |x| <= 1100.
inline void exp_reduce(double x, int& k, double& q) {
    const double kd = std::floor(x * kInvLn2 + 0.5);
    k = static_cast<int>(kd);
    const double hi = x - kd * kLn2Hi;  // exact (kd * kLn2Hi exact, Sterbenz)
    const double lo = kd * kLn2Lo;
    const double r = hi - lo;
    const double c = (hi - r) - lo;  // r + c ~= hi - lo
    // expm1(r) = r + r^2 * (1/2! + r/3! + ... + r^11/13!); truncation error
    // below r^14/14! ~ 4e-18 for |r| <= 0.35.
    double p = kInvFact[13];
    for (int n = 12; n >= 2; --n) p = kInvFact[n] + r * p;
    double e = r + (r * r) * p;
    // exp(r + c) - 1 ~= e + c * (1 + e)
    q = e + (c + c * e);
}

// Series tail for log: R(s) = 2 (s^2/3 + s^4/5 + ... + s^20/21), so that
// log((1+s)/(1-s)) = 2s + s R(s). For |s| <= 0.1716 the omitted terms are
// below 1e-18 relative.
inline double log_tail(double s) {
    const double z = s * s;
    double p = 2.0 / 21.0;
    p = 2.0 / 19.0 + z * p;
    p = 2.0 / 17.0 + z * p;
    p = 2.0 / 15.0 + z * p;
    p = 2.0 / 13.0 + z * p;
    p = 2.0 / 11.0 + z * p;
    p = 2.0 / 9.0 + z * p;
    p = 2.0 / 7.0 + z * p;
    p = 2.0 / 5.0 + z * p;
    p = 2.0 / 3.0 + z * p;
    return z * p;
}

// log(1 + f) + e ln2 for f in [sqrt(1/2) - 1, sqrt(2) - 1) given exactly.
// With s = f / (2 + f): log(1+f) = 2 atanh(s) = 2s + s R(s), and
// 2s = f - f^2/2 + s f^2/2, hence log(1+f) = f - (h - s (h + R)), h = f^2/2.
inline double log_kernel(double f, int e) {
    const double s = f / (2.0 + f);
    const double h = 0.5 * f * f;
    const double R = log_tail(s);
    const double ed = static_cast<double>(e);
    return ed * kLn2Hi - ((h - (s * (h + R) + ed * kLn2Lo)) - f);
}

}  // namespace

double det_exp(double x) {
    if (x != x) return x;           // NaN
    if (x > 710.0) return kInf;     // exp(710) > DBL_MAX; also +inf
    if (x < -746.0) return 0.0;     // exp(-746) < DBL_TRUE_MIN / 2; also -inf
    int k;
    double q;
    exp_reduce(x, k, q);
    return scale(1.0 + q, k);
}

double det_expm1(double x) {
    if (x != x) return x;
    if (x == 0.0) return x;         // keeps the sign of zero
    if (x > 710.0) return kInf;
    if (x < -40.0) return -1.0;     // exp(-40) < 2^-54: -1 + exp(x) rounds to -1
    int k;
    double q;
    exp_reduce(x, k, q);
    if (k == 0) return q;
    if (k >= -53 && k <= 52) {
        const double t = pow2(k);
        return (t - 1.0) + t * q;   // t - 1 and t * q exact
    }
    return scale(1.0 + q, k) - 1.0;
}

double det_log(double x) {
    if (x != x) return x;           // NaN
    if (x < 0.0) return kNaN;
    if (x == 0.0) return -kInf;
    if (x == kInf) return kInf;
    int e;
    double m = std::frexp(x, &e);   // exact: x = m 2^e, m in [0.5, 1)
    if (m < kSqrtHalf) {
        m = 2.0 * m;
        e -= 1;
    }
    return log_kernel(m - 1.0, e);  // m - 1 exact (Sterbenz)
}

double det_log1p(double x) {
    if (x != x) return x;
    if (x == 0.0) return x;         // keeps the sign of zero
    if (x < -1.0) return kNaN;
    if (x == -1.0) return -kInf;
    if (x == kInf) return kInf;
    // u + err == 1 + x exactly (Knuth's two-sum).
    const double u = 1.0 + x;
    const double bv = u - 1.0;
    const double err = (1.0 - (u - bv)) + (x - bv);
    int e;
    double m = std::frexp(u, &e);
    if (m < kSqrtHalf) {
        m = 2.0 * m;
        e -= 1;
    }
    // log(u + err) = log(u) + err / u + O(err^2)
    return log_kernel(m - 1.0, e) + err / u;
}

double det_logistic(double x) {
    if (x != x) return x;
    if (x >= 0.0) return 1.0 / (1.0 + det_exp(-x));
    const double z = det_exp(x);
    return z / (1.0 + z);
}

double det_tanh(double x) {
    if (x != x) return x;
    const double a = x < 0.0 ? -x : x;
    double t;
    if (a > 22.0) {
        t = 1.0;                    // 1 - tanh(22) < 2^-54
    } else {
        const double e = det_expm1(2.0 * a);
        t = e / (e + 2.0);
    }
    return std::copysign(t, x);
}

}  // namespace tdam
