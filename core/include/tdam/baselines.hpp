#pragma once
// The baselines of MODEL.md section 3, in the same two-layer frame (model.hpp).
// Each stores one memory per hidden unit: the columns of xi are the stored
// patterns themselves.
#include "tdam/model.hpp"

namespace tdam {

// Softmax hidden layer (Krotov-Hopfield 2021 model B; modern Hopfield network):
// s = softmax(beta xi^T v), v = xi s (linear) or sign(xi s) (binary).
// E(v) = |v|^2/2 - I.v - lse(beta, xi^T v).
class SoftmaxNetwork : public Model {
public:
    SoftmaxNetwork(const Matrix& patterns, double beta, Visible visible = Visible::Binary);
    double beta() const { return beta_; }

    ModelKind kind() const override { return ModelKind::Softmax; }
    std::unique_ptr<Model> clone() const override;
    void activate(const Vector& h, Vector& f) const override;
    double hidden_legendre(const Vector& h, const Vector& f) const override;
    double lagrangian(const Vector& h) const override;

private:
    double beta_;
};

// Rectified polynomial dense associative memory (Krotov-Hopfield 2016):
// E(v) = -sum_mu F(xi_mu . v) - I.v, F(x) = max(x,0)^n / n; binary visible.
// Asynchronous updates use the exact energy difference of KH2016,
// v_i <- sign(sum_mu [F(a_mu^(i) + xi_i,mu) - F(a_mu^(i) - xi_i,mu)] + 2 I_i)
// with a^(i) the field without neuron i, which never raises E; MODEL.md's
// form with f = F' is its first-order approximation.
class PolynomialNetwork : public Model {
public:
    PolynomialNetwork(const Matrix& patterns, int order);
    int order() const { return order_; }

    ModelKind kind() const override { return ModelKind::Polynomial; }
    std::unique_ptr<Model> clone() const override;
    void activate(const Vector& h, Vector& f) const override;
    double hidden_legendre(const Vector& h, const Vector& f) const override;
    double lagrangian(const Vector& h) const override;
    double async_value(int i, const Vector& v, const Vector& raw, const Vector& f) const override;

    // F(x) = max(x,0)^n / n.
    double rectified_power(double x) const;

private:
    int order_;
};

// Classical Hopfield 1982: W = xi xi^T / N_v with zero diagonal,
// E = -v^T W0 v / 2 - I.v; binary visible. Asynchronous updates are the
// classical v_i <- sign(sum_{j != i} W_ij v_j + I_i). The synchronous
// schedule is the two-layer form v <- sign(W v + I), which keeps the
// diagonal: for ±1 states the diagonal only shifts E by a constant, and W is
// positive semi-definite, so this never raises E, while the zero-diagonal
// synchronous rule can oscillate between two states.
class HopfieldNetwork : public Model {
public:
    explicit HopfieldNetwork(const Matrix& patterns);

    ModelKind kind() const override { return ModelKind::Hopfield; }
    std::unique_ptr<Model> clone() const override;
    void activate(const Vector& h, Vector& f) const override;
    double hidden_legendre(const Vector& h, const Vector& f) const override;
    double lagrangian(const Vector& h) const override;
    double energy_offset() const override { return offset_; }
    double async_value(int i, const Vector& v, const Vector& raw, const Vector& f) const override;

private:
    Vector self_coupling_;  // sum_mu xi_i,mu^2 (= N_v W_ii)
    double offset_;         // trace(W) / 2
};

}  // namespace tdam
