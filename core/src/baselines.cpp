#include "tdam/baselines.hpp"

#include <cmath>

#include "tdam/detmath.hpp"
#include "tdam/error.hpp"
#include "tdam/kernels.hpp"
#include "tdam/limits.hpp"

namespace tdam {

// ---- softmax ---------------------------------------------------------------

namespace {

double check_beta(double beta) {
    TDAM_REQUIRE(std::isfinite(beta) && beta > 0.0,
            "softmax beta must be positive and finite (got " + std::to_string(beta) + ")");
    return beta;
}

int check_order(int order) {
    TDAM_REQUIRE(order >= 2 && order <= limits::kMaxPolynomialOrder,
            "polynomial order must be between 2 and " + std::to_string(limits::kMaxPolynomialOrder) +
                " (got " + std::to_string(order) + ")");
    return order;
}

double max_entry(const Vector& h) {
    double m = h[0];
    for (Eigen::Index k = 1; k < h.size(); ++k) m = h[k] > m ? h[k] : m;
    return m;
}

// lse(beta, h) = max + log(sum exp(beta (h - max))) / beta, and the weights.
double log_sum_exp(const Vector& h, double beta, Vector* weights) {
    const double m = max_entry(h);
    double z = 0.0;
    if (weights) weights->resize(h.size());
    for (Eigen::Index k = 0; k < h.size(); ++k) {
        const double e = det_exp(beta * (h[k] - m));
        if (weights) (*weights)[k] = e;
        z += e;
    }
    if (weights) *weights /= z;
    return m + det_log(z) / beta;
}

}  // namespace

SoftmaxNetwork::SoftmaxNetwork(const Matrix& patterns, double beta, Visible visible)
    : Model(patterns, visible, 1.0, "softmax"), beta_(check_beta(beta)) {}

std::unique_ptr<Model> SoftmaxNetwork::clone() const { return std::make_unique<SoftmaxNetwork>(*this); }

void SoftmaxNetwork::activate(const Vector& h, Vector& f) const { log_sum_exp(h, beta_, &f); }

double SoftmaxNetwork::hidden_legendre(const Vector& h, const Vector& f) const {
    return kernels::dot(h.data(), f.data(), h.size()) - log_sum_exp(h, beta_, nullptr);
}

double SoftmaxNetwork::lagrangian(const Vector& h) const { return log_sum_exp(h, beta_, nullptr); }

// ---- rectified polynomial --------------------------------------------------

PolynomialNetwork::PolynomialNetwork(const Matrix& patterns, int order)
    : Model(patterns, Visible::Binary, 1.0, "polynomial"), order_(check_order(order)) {}

std::unique_ptr<Model> PolynomialNetwork::clone() const {
    return std::make_unique<PolynomialNetwork>(*this);
}

namespace {
double power(double x, int n) {
    double p = 1.0;
    for (int k = 0; k < n; ++k) p *= x;
    return p;
}
}  // namespace

double PolynomialNetwork::rectified_power(double x) const {
    return x > 0.0 ? power(x, order_) / order_ : 0.0;
}

void PolynomialNetwork::activate(const Vector& h, Vector& f) const {
    f.resize(h.size());
    for (Eigen::Index mu = 0; mu < h.size(); ++mu) f[mu] = h[mu] > 0.0 ? power(h[mu], order_ - 1) : 0.0;
}

// h F'(h) - F(h) = (n - 1) F(h).
double PolynomialNetwork::hidden_legendre(const Vector& h, const Vector& /*f*/) const {
    return (order_ - 1) * lagrangian(h);
}

double PolynomialNetwork::lagrangian(const Vector& h) const {
    double sum = 0.0;
    for (Eigen::Index mu = 0; mu < h.size(); ++mu) sum += rectified_power(h[mu]);
    return sum;
}

double PolynomialNetwork::async_value(int i, const Vector& v, const Vector& raw, const Vector& /*f*/) const {
    const double* row = weights_transposed().col(i).data();
    double gain = 0.0;  // E(v_i = -1) - E(v_i = +1)
    for (int mu = 0; mu < nh(); ++mu) {
        const double without_i = raw[mu] - row[mu] * v[i];
        gain += rectified_power(without_i + row[mu]) - rectified_power(without_i - row[mu]);
    }
    if (input().size() != 0) gain += 2.0 * input()[i];
    return sign_keep(gain, v[i]);
}

// ---- classical Hopfield ----------------------------------------------------

HopfieldNetwork::HopfieldNetwork(const Matrix& patterns)
    : Model(patterns, Visible::Binary, 1.0, "hopfield") {
    const Matrix& xi_t = weights_transposed();
    self_coupling_.resize(nv());
    double trace = 0.0;
    for (int i = 0; i < nv(); ++i) {
        self_coupling_[i] = kernels::dot(xi_t.col(i).data(), xi_t.col(i).data(), nh());
        trace += self_coupling_[i];
    }
    offset_ = 0.5 * trace / nv();
}

std::unique_ptr<Model> HopfieldNetwork::clone() const { return std::make_unique<HopfieldNetwork>(*this); }

void HopfieldNetwork::activate(const Vector& h, Vector& f) const { f = h / static_cast<double>(nv()); }

double HopfieldNetwork::hidden_legendre(const Vector& h, const Vector& /*f*/) const {
    return lagrangian(h);
}

double HopfieldNetwork::lagrangian(const Vector& h) const {
    return 0.5 * kernels::dot(h.data(), h.data(), h.size()) / nv();
}

// sum_{j != i} W_ij v_j = ((xi xi^T v)_i - N_v W_ii v_i) / N_v, via raw = xi^T v.
double HopfieldNetwork::async_value(int i, const Vector& v, const Vector& raw, const Vector& /*f*/) const {
    const double* row = weights_transposed().col(i).data();
    double field = (kernels::dot(row, raw.data(), nh()) - self_coupling_[i] * v[i]) / nv();
    if (input().size() != 0) field += input()[i];
    return sign_keep(field, v[i]);
}

}  // namespace tdam
