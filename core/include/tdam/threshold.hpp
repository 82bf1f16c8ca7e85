#pragma once
// The threshold dense associative memory (MODEL.md section 1): hidden units
// fire, s_mu = H(xi_mu . v / N_v - theta_mu), so many can be on at once and
// the hidden state is a distributed binary code. Energy (MODEL.md):
//   E(v) = |v|^2/(2 N_v) - I.v/N_v - sum_mu ReLU(xi_mu . v / N_v - theta_mu)
// (binary visible neurons drop the |v|^2 term, a constant for ±1 states).
#include "tdam/model.hpp"

namespace tdam {

class ThresholdNetwork : public Model {
public:
    // Scalar threshold theta for every hidden unit.
    ThresholdNetwork(const Matrix& xi, double theta, Visible visible = Visible::Linear);
    // One threshold per hidden unit (size N_h).
    ThresholdNetwork(const Matrix& xi, const Vector& theta, Visible visible = Visible::Linear);

    // Compositional storage (MODEL.md section 4): the K columns of `parts`
    // become the columns of xi, each scaled so that xi_mu . xi_mu / N_v = 1.
    // Every combination of parts whose cross-talk stays below theta is then a
    // memory, recalled as the code that says which parts it contains.
    static ThresholdNetwork from_parts(const Matrix& parts, double theta,
                                       Visible visible = Visible::Linear);

    const Vector& theta() const { return theta_; }

    ModelKind kind() const override { return ModelKind::Threshold; }
    std::unique_ptr<Model> clone() const override;
    void activate(const Vector& h, Vector& f) const override;
    double hidden_legendre(const Vector& h, const Vector& f) const override;
    double lagrangian(const Vector& h) const override;

private:
    Vector theta_;
};

// The columns of parts scaled to xi_mu . xi_mu / N_v = 1; rejects an empty
// (all-zero) or non-finite part, naming it.
Matrix scale_parts(const Matrix& parts);

}  // namespace tdam
