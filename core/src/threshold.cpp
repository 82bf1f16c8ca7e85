#include "tdam/threshold.hpp"

#include <cmath>

#include "tdam/error.hpp"
#include "tdam/kernels.hpp"

namespace tdam {

namespace {

Vector check_theta(const Vector& theta, int nh) {
    TDAM_REQUIRE(theta.size() == nh, "theta has " + std::to_string(theta.size()) +
                                    " entries, expected one per hidden unit (N_h = " +
                                    std::to_string(nh) + ")");
    for (Eigen::Index mu = 0; mu < theta.size(); ++mu)
        TDAM_REQUIRE(std::isfinite(theta[mu]), "theta must be finite (entry " + std::to_string(mu) +
                                              " is " + std::to_string(theta[mu]) + ")");
    return theta;
}

}  // namespace

ThresholdNetwork::ThresholdNetwork(const Matrix& xi, double theta, Visible visible)
    : ThresholdNetwork(xi, Vector::Constant(xi.cols(), theta), visible) {}

ThresholdNetwork::ThresholdNetwork(const Matrix& xi, const Vector& theta, Visible visible)
    : Model(xi, visible, 1.0 / static_cast<double>(xi.rows() > 0 ? xi.rows() : 1), "threshold"),
      theta_(check_theta(theta, static_cast<int>(xi.cols()))) {}

ThresholdNetwork ThresholdNetwork::from_parts(const Matrix& parts, double theta, Visible visible) {
    return ThresholdNetwork(scale_parts(parts), theta, visible);
}

std::unique_ptr<Model> ThresholdNetwork::clone() const {
    return std::make_unique<ThresholdNetwork>(*this);
}

void ThresholdNetwork::activate(const Vector& h, Vector& f) const {
    f.resize(h.size());
    for (Eigen::Index mu = 0; mu < h.size(); ++mu) f[mu] = (h[mu] - theta_[mu] > 0.0) ? 1.0 : 0.0;
}

// h f - ReLU(h - theta) = theta f exactly when f = H(h - theta).
double ThresholdNetwork::hidden_legendre(const Vector& /*h*/, const Vector& f) const {
    return kernels::dot(theta_.data(), f.data(), f.size());
}

double ThresholdNetwork::lagrangian(const Vector& h) const {
    double sum = 0.0;
    for (Eigen::Index mu = 0; mu < h.size(); ++mu) {
        const double x = h[mu] - theta_[mu];
        if (x > 0.0) sum += x;
    }
    return sum;
}

Matrix scale_parts(const Matrix& parts) {
    check_weights(parts, "parts");
    Matrix xi = parts;
    const double nv = static_cast<double>(parts.rows());
    for (Eigen::Index mu = 0; mu < parts.cols(); ++mu) {
        const double norm2 = kernels::dot(parts.col(mu).data(), parts.col(mu).data(), parts.rows());
        TDAM_REQUIRE(norm2 > 0.0, "part " + std::to_string(mu) + " is empty (all zero)");
        xi.col(mu) *= std::sqrt(nv / norm2);
    }
    return xi;
}

}  // namespace tdam
