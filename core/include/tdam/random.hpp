#pragma once
// Seeded random weights and patterns. Entries are drawn in column-major
// order (column 0 first, rows 0..nv-1 within a column), one Rng call per
// entry, so a seed fixes the matrix bit for bit on every platform.
#include <string>

#include <Eigen/Core>

#include "tdam/rng.hpp"

namespace tdam {

enum class WeightKind { PlusMinusOne, Gaussian };

// nv x nh weights: +-1 from Rng::coin() (true -> +1) or N(0, 1) from
// Rng::normal(). Requires 1 <= nv <= limits::kMaxVisible,
// 1 <= nh <= limits::kMaxHidden and nv * nh <= limits::kMaxWeights; checked
// before anything is allocated or drawn.
Eigen::MatrixXd random_weights(int nv, int nh, WeightKind kind, Rng& rng);

// count +-1 patterns of length nv as the columns of an nv x count matrix
// (coin() true -> +1). Requires 1 <= nv <= limits::kMaxVisible,
// 1 <= count <= limits::kMaxPatterns and nv * count <= limits::kMaxWeights.
Eigen::MatrixXd random_patterns(int nv, int count, Rng& rng);

// "pm1" -> PlusMinusOne, "gauss" -> Gaussian; anything else throws
// tdam::Error("unknown weights 'x' (expected pm1, gauss or a .npy path)").
WeightKind parse_weight_kind(const std::string& s);

}  // namespace tdam
