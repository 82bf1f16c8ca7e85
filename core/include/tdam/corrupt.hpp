#pragma once
// Seeded corruptions of patterns. Every function returns a new vector and
// leaves its input untouched; arguments are validated first (tdam::Error
// naming the bad argument, NaN and infinities rejected) and nothing is drawn
// from the Rng when validation fails.
#include <Eigen/Core>

#include "tdam/rng.hpp"

namespace tdam {

// Negates exactly floor(p * n + 0.5) of the n entries, chosen uniformly
// without replacement (partial Fisher-Yates over the indices). p in [0, 1].
Eigen::VectorXd flip_fraction(const Eigen::VectorXd& x, double p, Rng& rng);

// Sets the rectangle rows [top, top + height) x cols [left, left + width) of
// an image stored row-major (rows * cols == x.size()) to fill. The rectangle
// must lie inside the image (no clipping); height and width may be 0.
Eigen::VectorXd occlude(const Eigen::VectorXd& x, int rows, int cols, int top, int left,
                        int height, int width, double fill);

// Adds sigma * Rng::normal() to each entry in index order (one draw per
// entry, also when sigma == 0). With binarize, each result is mapped to
// +1 if >= 0 (including 0) and -1 otherwise. sigma >= 0.
Eigen::VectorXd gaussian_noise(const Eigen::VectorXd& x, double sigma, bool binarize, Rng& rng);

// a . b / n, summed in index order. Sizes must match and be non-zero. For +-1
// patterns this is the overlap m in [-1, 1].
double overlap(const Eigen::VectorXd& a, const Eigen::VectorXd& b);

}  // namespace tdam
