#pragma once
// The two-layer frame every model shares (Krotov & Hopfield 2021; MODEL.md
// sections 1 and 3). A model is N_v visible and N_h hidden neurons joined by
// symmetric weights xi (N_v x N_h). What differs between models is the hidden
// Lagrangian L_h and so its activation f = dL_h/dh:
//
//   threshold   L_h = sum ReLU(h - theta)       f = H(h - theta)
//   softmax     L_h = lse(beta, h)              f = softmax(beta h)
//   polynomial  L_h = sum max(h,0)^n / n        f = max(h,0)^(n-1)
//   hopfield    L_h = |h|^2 / (2 N_v)           f = h / N_v
//
// The hidden target is a(v) = c xi^T v, with c = 1/N_v for the threshold
// network and 1 for the baselines. The energy of a state (v, h) is
//
//   E(v, h) = V(v) + sum_mu [h_mu f_mu - L_h(h)] - f . a(v)         (1)
//
// with V(v) = c (|v|^2/2 - I.v) for linear visible neurons and -c I.v for
// binary ones. Minimising (1) over h gives h = a(v) and the reduced energy
// E(v) = V(v) - L_h(a(v)) of MODEL.md; minimising over v given f gives the
// visible update v = xi f + I (linear) or v = sign(xi f + I) (binary). Every
// schedule in dynamics.hpp is a descent on (1); see there for why.
#include <memory>
#include <string>

#include "tdam/types.hpp"

namespace tdam {

class Model {
public:
    virtual ~Model() = default;

    int nv() const { return static_cast<int>(xi_.rows()); }
    int nh() const { return static_cast<int>(xi_.cols()); }
    Visible visible() const { return visible_; }
    const Matrix& weights() const { return xi_; }
    const Matrix& weights_transposed() const { return xi_t_; }
    const Vector& input() const { return input_; }  // empty means no input current
    // Sets the visible input current I (size N_v, finite) or clears it (empty).
    void set_input(const Vector& input);

    virtual ModelKind kind() const = 0;
    virtual std::unique_ptr<Model> clone() const = 0;

    // c in a(v) = c xi^T v.
    double field_scale() const { return field_scale_; }

    // f = dL_h/dh evaluated at h.
    virtual void activate(const Vector& h, Vector& f) const = 0;
    // sum_mu [h_mu f_mu - L_h(h)], given f = activate(h).
    virtual double hidden_legendre(const Vector& h, const Vector& f) const = 0;
    // L_h(h).
    virtual double lagrangian(const Vector& h) const = 0;
    // A constant added to every energy (hopfield: so E matches -v^T W0 v / 2).
    virtual double energy_offset() const { return 0.0; }

    // New value of visible neuron i in an asynchronous update, given the
    // current v, its raw field raw = xi^T v and f = activate(c raw). The
    // default minimises the energy's linearisation in v_i (a coordinate
    // concave-convex step): v_i = (xi f + I)_i, or its sign, keeping v_i on 0.
    virtual double async_value(int i, const Vector& v, const Vector& raw, const Vector& f) const;

    // Energy (1) of (v, h); raw must be xi^T v.
    double energy(const Vector& v, const Vector& h, const Vector& raw) const;
    // Reduced energy E(v) = min_h E(v, h) (MODEL.md's E(v)); checks v.
    double energy(const Vector& v) const;

    // Rejects a visible state of the wrong size, with NaN or infinities, or
    // (binary models) entries other than ±1. `what` names it in the message.
    void check_visible(const Vector& v, const std::string& what) const;

    // sign with ties kept: the binary visible update (MODEL.md section 1).
    static double sign_keep(double field, double old) {
        return field > 0.0 ? 1.0 : (field < 0.0 ? -1.0 : old);
    }

protected:
    Model(Matrix xi, Visible visible, double field_scale, const std::string& name);

    // Visible drive (xi f + I)_i of one neuron.
    double drive(int i, const Vector& f) const;
    // V(v) of (1).
    double visible_energy(const Vector& v) const;

private:
    Matrix xi_;
    Matrix xi_t_;
    Vector input_;
    Visible visible_;
    double field_scale_;
};

// Validates weights for any model: 1 <= N_v, N_h within limits.hpp, finite.
void check_weights(const Matrix& xi, const std::string& what);

}  // namespace tdam
