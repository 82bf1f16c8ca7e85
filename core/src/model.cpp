#include "tdam/model.hpp"

#include <cmath>

#include "tdam/error.hpp"
#include "tdam/kernels.hpp"
#include "tdam/limits.hpp"

namespace tdam {

void check_weights(const Matrix& xi, const std::string& what) {
    const auto nv = static_cast<std::int64_t>(xi.rows());
    const auto nh = static_cast<std::int64_t>(xi.cols());
    TDAM_REQUIRE(nv >= 1 && nh >= 1, what + " must have at least one row and one column (got " +
                                    std::to_string(nv) + " x " + std::to_string(nh) + ")");
    TDAM_REQUIRE(nv <= limits::kMaxVisible, what + ": N_v = " + std::to_string(nv) +
                                           " exceeds the limit " + std::to_string(limits::kMaxVisible));
    TDAM_REQUIRE(nh <= limits::kMaxHidden, what + ": N_h = " + std::to_string(nh) +
                                          " exceeds the limit " + std::to_string(limits::kMaxHidden));
    TDAM_REQUIRE(nv * nh <= limits::kMaxWeights,
            what + ": N_v * N_h = " + std::to_string(nv * nh) + " exceeds the limit " +
                std::to_string(limits::kMaxWeights));
    for (Eigen::Index j = 0; j < xi.cols(); ++j)
        for (Eigen::Index i = 0; i < xi.rows(); ++i)
            TDAM_REQUIRE(std::isfinite(xi(i, j)), what + " contain a non-finite value at row " +
                                                 std::to_string(i) + ", column " + std::to_string(j));
}

Model::Model(Matrix xi, Visible visible, double field_scale, const std::string& name)
    : visible_(visible), field_scale_(field_scale) {
    check_weights(xi, name + " weights");
    xi_ = std::move(xi);
    xi_t_ = xi_.transpose();
}

void Model::set_input(const Vector& input) {
    if (input.size() != 0) {
        TDAM_REQUIRE(input.size() == nv(), "input current has " + std::to_string(input.size()) +
                                          " entries, expected N_v = " + std::to_string(nv()));
        for (Eigen::Index i = 0; i < input.size(); ++i)
            TDAM_REQUIRE(std::isfinite(input[i]),
                    "input current has a non-finite value at entry " + std::to_string(i));
    }
    input_ = input;
}

void Model::check_visible(const Vector& v, const std::string& what) const {
    TDAM_REQUIRE(v.size() == nv(), what + " has " + std::to_string(v.size()) +
                                  " entries, expected N_v = " + std::to_string(nv()));
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        TDAM_REQUIRE(std::isfinite(v[i]), what + " has a non-finite value at entry " + std::to_string(i));
        if (visible_ == Visible::Binary)
            TDAM_REQUIRE(v[i] == 1.0 || v[i] == -1.0,
                    what + " must be ±1 for binary visible neurons (entry " + std::to_string(i) +
                        " is " + std::to_string(v[i]) + ")");
    }
}

double Model::drive(int i, const Vector& f) const {
    double d = kernels::dot(xi_t_.col(i).data(), f.data(), f.size());
    if (input_.size() != 0) d += input_[i];
    return d;
}

double Model::async_value(int i, const Vector& v, const Vector& /*raw*/, const Vector& f) const {
    const double d = drive(i, f);
    return visible_ == Visible::Linear ? d : sign_keep(d, v[i]);
}

double Model::visible_energy(const Vector& v) const {
    double term = 0.0;
    if (visible_ == Visible::Linear) term += 0.5 * kernels::dot(v.data(), v.data(), v.size());
    if (input_.size() != 0) term -= kernels::dot(input_.data(), v.data(), v.size());
    return field_scale_ * term;
}

double Model::energy(const Vector& v, const Vector& h, const Vector& raw) const {
    TDAM_REQUIRE(v.size() == nv() && h.size() == nh() && raw.size() == nh(),
                 "energy: state sizes do not match N_v = " + std::to_string(nv()) + ", N_h = " + std::to_string(nh()));
    Vector f;
    activate(h, f);
    const double coupling = field_scale_ * kernels::dot(f.data(), raw.data(), f.size());
    return visible_energy(v) + hidden_legendre(h, f) - coupling + energy_offset();
}

double Model::energy(const Vector& v) const {
    check_visible(v, "state");
    Vector raw;
    kernels::hidden_field(xi_t_, v, raw);
    return visible_energy(v) - lagrangian(field_scale_ * raw) + energy_offset();
}

}  // namespace tdam
