#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "tdam/basin.hpp"
#include "tdam/corrupt.hpp"
#include "tdam/error.hpp"
#include "tdam/limits.hpp"
#include "tdam/random.hpp"
#include "tdam/rng.hpp"

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Eigen::VectorXd pm1_pattern(int n, std::uint64_t seed) {
    tdam::Rng r(seed);
    return tdam::random_patterns(n, 1, r).col(0);
}

int count_differences(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    int d = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i) d += a[i] != b[i] ? 1 : 0;
    return d;
}

}  // namespace

TEST_CASE("random_weights and random_patterns") {
    tdam::Rng r(11);
    const Eigen::MatrixXd w = tdam::random_weights(50, 40, tdam::WeightKind::PlusMinusOne, r);
    CHECK(w.rows() == 50);
    CHECK(w.cols() == 40);
    for (Eigen::Index j = 0; j < w.cols(); ++j)
        for (Eigen::Index i = 0; i < w.rows(); ++i) CHECK((w(i, j) == 1.0 || w(i, j) == -1.0));

    // Column-major fill order: entry (i, j) is the (j * nv + i)-th draw.
    tdam::Rng a(12), b(12);
    const Eigen::MatrixXd g = tdam::random_weights(3, 4, tdam::WeightKind::Gaussian, a);
    for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 3; ++i) CHECK(g(i, j) == b.normal());
    tdam::Rng c(13), d(13);
    const Eigen::MatrixXd s = tdam::random_weights(3, 4, tdam::WeightKind::PlusMinusOne, c);
    for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 3; ++i) CHECK(s(i, j) == (d.coin() ? 1.0 : -1.0));

    tdam::Rng e(14), f(14);
    const Eigen::MatrixXd p = tdam::random_patterns(5, 7, e);
    CHECK(p.rows() == 5);
    CHECK(p.cols() == 7);
    CHECK(p == tdam::random_weights(5, 7, tdam::WeightKind::PlusMinusOne, f));

    CHECK_THROWS_AS(tdam::random_weights(0, 4, tdam::WeightKind::Gaussian, r), tdam::Error);
    CHECK_THROWS_AS(tdam::random_weights(4, 0, tdam::WeightKind::Gaussian, r), tdam::Error);
    CHECK_THROWS_AS(tdam::random_weights(static_cast<int>(tdam::limits::kMaxVisible) + 1, 1,
                                         tdam::WeightKind::Gaussian, r),
                    tdam::Error);
    CHECK_THROWS_AS(tdam::random_weights(1, static_cast<int>(tdam::limits::kMaxHidden) + 1,
                                         tdam::WeightKind::Gaussian, r),
                    tdam::Error);
    // Within each limit, but too many entries in total.
    CHECK_THROWS_WITH_AS(tdam::random_weights(static_cast<int>(tdam::limits::kMaxVisible),
                                              static_cast<int>(tdam::limits::kMaxHidden),
                                              tdam::WeightKind::PlusMinusOne, r),
                         doctest::Contains("exceeds the limit"), tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::random_patterns(10, 0, r), doctest::Contains("count"), tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::random_patterns(-1, 3, r), doctest::Contains("nv"), tdam::Error);

    CHECK(tdam::parse_weight_kind("pm1") == tdam::WeightKind::PlusMinusOne);
    CHECK(tdam::parse_weight_kind("gauss") == tdam::WeightKind::Gaussian);
    CHECK_THROWS_WITH_AS(tdam::parse_weight_kind("x"),
                         "unknown weights 'x' (expected pm1, gauss or a .npy path)", tdam::Error);
}

TEST_CASE("flip_fraction flips exactly round(p n) entries") {
    const Eigen::VectorXd x = pm1_pattern(101, 1);
    const Eigen::VectorXd copy = x;
    const double ps[] = {0.0, 0.001, 0.1, 0.25, 0.5, 0.995, 1.0};
    for (double p : ps) {
        tdam::Rng r(21);
        const Eigen::VectorXd y = tdam::flip_fraction(x, p, r);
        const int expected = static_cast<int>(std::floor(p * 101 + 0.5));
        CHECK(count_differences(x, y) == expected);
        for (Eigen::Index i = 0; i < x.size(); ++i)
            CHECK((y[i] == x[i] || y[i] == -x[i]));
    }
    CHECK(x == copy);  // input untouched

    tdam::Rng r0(1);
    CHECK(tdam::flip_fraction(x, 0.0, r0) == x);
    CHECK(tdam::flip_fraction(x, 1.0, r0) == -x);
    // round half up: 0.5 * 5 = 2.5 -> 3
    tdam::Rng r5(2);
    CHECK(count_differences(tdam::flip_fraction(pm1_pattern(5, 3), 0.5, r5), pm1_pattern(5, 3)) == 3);

    tdam::Rng a(7), b(7), c(8);
    const Eigen::VectorXd ya = tdam::flip_fraction(x, 0.3, a);
    CHECK(ya == tdam::flip_fraction(x, 0.3, b));
    CHECK(ya != tdam::flip_fraction(x, 0.3, c));

    // Each entry is flipped with probability ~p.
    const Eigen::VectorXd ones = Eigen::VectorXd::Ones(20);
    Eigen::VectorXd flips = Eigen::VectorXd::Zero(20);
    tdam::Rng r(9);
    for (int t = 0; t < 20000; ++t) flips += (ones - tdam::flip_fraction(ones, 0.25, r)) / 2.0;
    for (Eigen::Index i = 0; i < 20; ++i) CHECK(flips[i] / 20000 == doctest::Approx(0.25).epsilon(0.06));

    tdam::Rng e(1);
    const Eigen::VectorXd empty;
    CHECK(tdam::flip_fraction(empty, 0.5, e).size() == 0);
    for (double bad : {-0.1, 1.0001, kNaN, kInf, -kInf}) {
        CHECK_THROWS_WITH_AS(tdam::flip_fraction(x, bad, e), doctest::Contains("p must be in [0, 1]"),
                             tdam::Error);
    }
}

TEST_CASE("occlude sets exactly the rectangle") {
    const int rows = 6, cols = 5;
    Eigen::VectorXd x(rows * cols);
    for (int i = 0; i < rows * cols; ++i) x[i] = i + 1.0;
    const Eigen::VectorXd copy = x;
    const Eigen::VectorXd y = tdam::occlude(x, rows, cols, 1, 2, 3, 2, -1.0);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) {
            const bool inside = i >= 1 && i < 4 && j >= 2 && j < 4;
            CHECK(y[i * cols + j] == (inside ? -1.0 : x[i * cols + j]));
        }
    CHECK(x == copy);
    CHECK(tdam::occlude(x, rows, cols, 0, 0, 0, 0, 7.0) == x);
    CHECK(tdam::occlude(x, rows, cols, 6, 5, 0, 0, 7.0) == x);
    CHECK(tdam::occlude(x, rows, cols, 0, 0, rows, cols, 7.0) == Eigen::VectorXd::Constant(30, 7.0));

    CHECK_THROWS_WITH_AS(tdam::occlude(x, 5, 5, 0, 0, 1, 1, 0.0), doctest::Contains("rows * cols"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, rows, cols, 4, 0, 3, 1, 0.0), doctest::Contains("top"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, rows, cols, -1, 0, 1, 1, 0.0), doctest::Contains("top"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, rows, cols, 0, 4, 1, 2, 0.0), doctest::Contains("left"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, rows, cols, 0, -2, 1, 1, 0.0), doctest::Contains("left"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, rows, cols, 0, 0, -1, 1, 0.0), doctest::Contains("height"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, rows, cols, 0, 0, 1, -1, 0.0), doctest::Contains("width"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, rows, cols, 0, 0, 1, 1, kNaN), doctest::Contains("fill"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::occlude(x, 0, 30, 0, 0, 0, 0, 0.0), doctest::Contains("rows"),
                         tdam::Error);
    // No int overflow in top + height.
    CHECK_THROWS_AS(tdam::occlude(x, rows, cols, 2147483647, 0, 2147483647, 1, 0.0), tdam::Error);
}

TEST_CASE("gaussian_noise statistics and binarize") {
    const int n = 100000;
    const Eigen::VectorXd x = Eigen::VectorXd::Constant(n, 0.5);
    tdam::Rng r(31);
    const Eigen::VectorXd y = tdam::gaussian_noise(x, 2.0, false, r);
    const Eigen::VectorXd d = y - x;
    double sum = 0.0, sum2 = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        sum += d[i];
        sum2 += d[i] * d[i];
    }
    CHECK(std::fabs(sum / n) < 0.05);  // sd of the mean ~0.0063
    CHECK(sum2 / n == doctest::Approx(4.0).epsilon(0.03));

    // Index order, one normal() per entry.
    tdam::Rng a(32), b(32);
    const Eigen::VectorXd z = tdam::gaussian_noise(x.head(10), 0.7, false, a);
    for (Eigen::Index i = 0; i < 10; ++i) CHECK(z[i] == 0.5 + 0.7 * b.normal());

    // sigma = 0 is the identity (and still draws).
    tdam::Rng c(33);
    CHECK(tdam::gaussian_noise(x.head(10), 0.0, false, c) == x.head(10));

    // Binarize: sign with 0 -> +1; P(0.5 + 2 Z < 0) = Phi(-0.25) = 0.4013.
    tdam::Rng e(34);
    const Eigen::VectorXd s = tdam::gaussian_noise(x, 2.0, true, e);
    int negative = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        REQUIRE((s[i] == 1.0 || s[i] == -1.0));
        negative += s[i] < 0 ? 1 : 0;
    }
    CHECK(static_cast<double>(negative) / n == doctest::Approx(0.4013).epsilon(0.02));
    tdam::Rng f(35);
    const Eigen::VectorXd zeros = Eigen::VectorXd::Zero(4);
    CHECK(tdam::gaussian_noise(zeros, 0.0, true, f) == Eigen::VectorXd::Ones(4));

    tdam::Rng g(36), h(36);
    CHECK(tdam::gaussian_noise(x.head(100), 1.0, true, g) == tdam::gaussian_noise(x.head(100), 1.0, true, h));

    for (double bad : {-1.0, kNaN, kInf}) {
        CHECK_THROWS_WITH_AS(tdam::gaussian_noise(x, bad, false, r), doctest::Contains("sigma"),
                             tdam::Error);
    }
}

TEST_CASE("overlap") {
    const Eigen::VectorXd a = pm1_pattern(64, 41);
    CHECK(tdam::overlap(a, a) == 1.0);
    CHECK(tdam::overlap(a, -a) == -1.0);
    tdam::Rng r(42);
    const Eigen::VectorXd b = tdam::flip_fraction(a, 0.25, r);  // 16 flips
    CHECK(tdam::overlap(a, b) == 0.5);
    Eigen::VectorXd u(3), v(3);
    u << 1.0, 2.0, 3.0;
    v << 4.0, -5.0, 6.0;
    CHECK(tdam::overlap(u, v) == 4.0);
    CHECK_THROWS_WITH_AS(tdam::overlap(u, a), doctest::Contains("sizes differ"), tdam::Error);
    CHECK_THROWS_AS(tdam::overlap(Eigen::VectorXd(), Eigen::VectorXd()), tdam::Error);
}

TEST_CASE("corrupt: occlusion of a chosen rectangle") {
    tdam::Rng rng(1);
    tdam::Corruption c;
    c.kind = tdam::CorruptionKind::Occlude;
    c.rows = 4;
    c.cols = 5;
    c.top = 1;
    c.left = 2;
    c.height = 2;
    c.width = 3;
    const Eigen::VectorXd x = Eigen::VectorXd::Ones(20);
    const Eigen::VectorXd y = tdam::corrupt(x, c, tdam::Visible::Binary, rng);
    for (int r = 0; r < 4; ++r)
        for (int col = 0; col < 5; ++col) {
            const bool inside = r >= 1 && r < 3 && col >= 2 && col < 5;
            CHECK(y[r * 5 + col] == (inside ? -1.0 : 1.0));
        }
    c.width = 4;  // past the right edge
    CHECK_THROWS_AS(tdam::corrupt(x, c, tdam::Visible::Binary, rng), tdam::Error);
}
