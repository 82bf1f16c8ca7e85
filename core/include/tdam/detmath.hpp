#pragma once
// Deterministic elementary functions.
//
// std::exp, std::log, ... differ in their last bits between libms (glibc on
// native builds, musl in the Emscripten build). These replacements use only
// IEEE basic operations (+ - * / and std::sqrt, correctly rounded everywhere)
// and exact operations (std::frexp, std::floor, std::copysign, bit patterns),
// with fixed evaluation order, so they return the same bits on every
// platform that honours -ffp-contract=off and has no excess precision.
//
// Accuracy (tested against std::): det_exp and det_log are within about 1 ulp
// (relative error < 4e-16) for normal results; the others within a few ulp.
//
// Special values:
//   det_exp:   NaN -> NaN, +inf -> +inf, -inf -> +0, overflow -> +inf.
//              Underflow is gradual: results in the subnormal range are
//              rounded once (no flush to zero); below that they are +0.
//   det_expm1: as det_exp, -inf -> -1, preserves the sign of zero.
//   det_log:   NaN -> NaN, x < 0 -> NaN, +-0 -> -inf, +inf -> +inf;
//              subnormal arguments are handled exactly.
//   det_log1p: NaN -> NaN, x < -1 -> NaN, -1 -> -inf, +inf -> +inf,
//              preserves the sign of zero.
//   det_logistic: 1 / (1 + exp(-x)) without overflow; NaN -> NaN,
//              +inf -> 1, -inf -> 0.
//   det_tanh:  NaN -> NaN, +-inf -> +-1, preserves the sign of zero.

namespace tdam {

double det_exp(double x);
double det_expm1(double x);
double det_log(double x);
double det_log1p(double x);
double det_logistic(double x);
double det_tanh(double x);

}  // namespace tdam
