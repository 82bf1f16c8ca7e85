#include "tdam/kernels.hpp"

namespace tdam::kernels {

void add_scaled(Vector& out, double scale, const double* column) {
    double* o = out.data();
    const Eigen::Index n = out.size();
    for (Eigen::Index k = 0; k < n; ++k) o[k] += scale * column[k];
}

void hidden_field(const Matrix& xi_t, const Vector& v, Vector& out) {
    out.setZero(xi_t.rows());
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        const double vi = v[i];
        if (vi != 0.0) add_scaled(out, vi, xi_t.col(i).data());
    }
}

void visible_drive(const Matrix& xi, const Vector& f, const Vector& input, Vector& out) {
    out.setZero(xi.rows());
    for (Eigen::Index mu = 0; mu < f.size(); ++mu) {
        const double fm = f[mu];
        if (fm != 0.0) add_scaled(out, fm, xi.col(mu).data());
    }
    if (input.size() != 0) out += input;
}

double dot(const double* a, const double* b, Eigen::Index n) {
    double sum = 0.0;
    for (Eigen::Index k = 0; k < n; ++k) sum += a[k] * b[k];
    return sum;
}

Matrix gram(const Matrix& xi) {
    const Eigen::Index nh = xi.cols();
    Matrix g(nh, nh);
    for (Eigen::Index mu = 0; mu < nh; ++mu)
        for (Eigen::Index nu = mu; nu < nh; ++nu) {
            const double d = dot(xi.col(mu).data(), xi.col(nu).data(), xi.rows());
            g(mu, nu) = d;
            g(nu, mu) = d;
        }
    return g;
}

}  // namespace tdam::kernels
