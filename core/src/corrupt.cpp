#include "tdam/corrupt.hpp"

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tdam/error.hpp"

namespace tdam {

namespace {

std::string num(double v) {
    std::ostringstream os;
    os.precision(17);
    os << v;
    return os.str();
}

}  // namespace

Eigen::VectorXd flip_fraction(const Eigen::VectorXd& x, double p, Rng& rng) {
    TDAM_REQUIRE(p >= 0.0 && p <= 1.0, "flip_fraction: p must be in [0, 1], got " + num(p));
    const std::int64_t n = static_cast<std::int64_t>(x.size());
    const std::int64_t k = static_cast<std::int64_t>(std::floor(p * static_cast<double>(n) + 0.5));
    Eigen::VectorXd y = x;
    std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) idx[static_cast<std::size_t>(i)] = i;
    for (std::int64_t i = 0; i < k; ++i) {
        const std::int64_t j =
            i + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(n - i)));
        std::swap(idx[static_cast<std::size_t>(i)], idx[static_cast<std::size_t>(j)]);
        const Eigen::Index at = static_cast<Eigen::Index>(idx[static_cast<std::size_t>(i)]);
        y[at] = -y[at];
    }
    return y;
}

Eigen::VectorXd occlude(const Eigen::VectorXd& x, int rows, int cols, int top, int left,
                        int height, int width, double fill) {
    TDAM_REQUIRE(rows >= 1, "occlude: rows must be positive, got " + std::to_string(rows));
    TDAM_REQUIRE(cols >= 1, "occlude: cols must be positive, got " + std::to_string(cols));
    const std::int64_t r = rows, c = cols;
    TDAM_REQUIRE(r * c == static_cast<std::int64_t>(x.size()),
            "occlude: rows * cols = " + std::to_string(r * c) +
                " does not match the pattern size " + std::to_string(x.size()));
    TDAM_REQUIRE(height >= 0, "occlude: height must be non-negative, got " + std::to_string(height));
    TDAM_REQUIRE(width >= 0, "occlude: width must be non-negative, got " + std::to_string(width));
    TDAM_REQUIRE(top >= 0 && static_cast<std::int64_t>(top) + height <= r,
            "occlude: top = " + std::to_string(top) + " with height = " + std::to_string(height) +
                " is outside the image of " + std::to_string(rows) + " rows");
    TDAM_REQUIRE(left >= 0 && static_cast<std::int64_t>(left) + width <= c,
            "occlude: left = " + std::to_string(left) + " with width = " + std::to_string(width) +
                " is outside the image of " + std::to_string(cols) + " cols");
    TDAM_REQUIRE(std::isfinite(fill), "occlude: fill must be finite, got " + num(fill));
    Eigen::VectorXd y = x;
    for (std::int64_t i = top; i < top + height; ++i)
        for (std::int64_t j = left; j < left + width; ++j)
            y[static_cast<Eigen::Index>(i * c + j)] = fill;
    return y;
}

Eigen::VectorXd gaussian_noise(const Eigen::VectorXd& x, double sigma, bool binarize, Rng& rng) {
    TDAM_REQUIRE(std::isfinite(sigma) && sigma >= 0.0,
            "gaussian_noise: sigma must be finite and >= 0, got " + num(sigma));
    Eigen::VectorXd y(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double v = x[i] + sigma * rng.normal();
        y[i] = binarize ? (v >= 0.0 ? 1.0 : -1.0) : v;
    }
    return y;
}

double overlap(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    TDAM_REQUIRE(a.size() == b.size(), "overlap: sizes differ (" + std::to_string(a.size()) + " vs " +
                                      std::to_string(b.size()) + ")");
    TDAM_REQUIRE(a.size() > 0, "overlap: patterns are empty");
    // Plain loop: a fixed summation order (Eigen's dot() may vectorise and
    // reassociate differently on different targets).
    double sum = 0.0;
    for (Eigen::Index i = 0; i < a.size(); ++i) sum += a[i] * b[i];
    return sum / static_cast<double>(a.size());
}

}  // namespace tdam
