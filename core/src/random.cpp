#include "tdam/random.hpp"

#include <cstdint>

#include "tdam/error.hpp"
#include "tdam/limits.hpp"

namespace tdam {

namespace {

void check_range(const char* fn, const char* name, int value, std::int64_t max) {
    TDAM_REQUIRE(value >= 1 && value <= max, std::string(fn) + ": " + name + " must be in [1, " +
                                            std::to_string(max) + "], got " +
                                            std::to_string(value));
}

void check_total(const char* fn, const char* rows, const char* cols, int r, int c) {
    const std::int64_t total = static_cast<std::int64_t>(r) * static_cast<std::int64_t>(c);
    TDAM_REQUIRE(total <= limits::kMaxWeights,
            std::string(fn) + ": " + rows + " * " + cols + " = " + std::to_string(total) +
                " exceeds the limit of " + std::to_string(limits::kMaxWeights) + " entries");
}

Eigen::MatrixXd random_signs(int rows, int cols, Rng& rng) {
    Eigen::MatrixXd m(rows, cols);
    for (int j = 0; j < cols; ++j)
        for (int i = 0; i < rows; ++i) m(i, j) = rng.coin() ? 1.0 : -1.0;
    return m;
}

}  // namespace

Eigen::MatrixXd random_weights(int nv, int nh, WeightKind kind, Rng& rng) {
    check_range("random_weights", "nv", nv, limits::kMaxVisible);
    check_range("random_weights", "nh", nh, limits::kMaxHidden);
    check_total("random_weights", "nv", "nh", nv, nh);
    switch (kind) {
        case WeightKind::PlusMinusOne:
            return random_signs(nv, nh, rng);
        case WeightKind::Gaussian: {
            Eigen::MatrixXd m(nv, nh);
            for (int j = 0; j < nh; ++j)
                for (int i = 0; i < nv; ++i) m(i, j) = rng.normal();
            return m;
        }
    }
    throw Error("random_weights: invalid weight kind");
}

Eigen::MatrixXd random_patterns(int nv, int count, Rng& rng) {
    check_range("random_patterns", "nv", nv, limits::kMaxVisible);
    check_range("random_patterns", "count", count, limits::kMaxPatterns);
    check_total("random_patterns", "nv", "count", nv, count);
    return random_signs(nv, count, rng);
}

WeightKind parse_weight_kind(const std::string& s) {
    if (s == "pm1") return WeightKind::PlusMinusOne;
    if (s == "gauss") return WeightKind::Gaussian;
    throw Error("unknown weights '" + s + "' (expected pm1, gauss or a .npy path)");
}

}  // namespace tdam
