#pragma once
// The products every model is made of, with a fixed summation order so that
// native and WebAssembly builds give bit-identical results (DEVELOPERS.md:
// same seed, same result). Each output entry is a sum taken in increasing
// index order; the loops run across outputs (axpy form), so a compiler may
// vectorise them without reordering any sum. Eigen's own products are not
// used here: their blocking and FMA use differ between targets.
#include "tdam/types.hpp"

namespace tdam::kernels {

// out = xi^T v, from xi_t = xi^T (N_h x N_v): out = sum_i v_i * xi_t.col(i),
// i increasing; terms with v_i == 0 are skipped (they add exactly 0).
void hidden_field(const Matrix& xi_t, const Vector& v, Vector& out);

// out = xi f (+ input when non-empty): sum_mu f_mu * xi.col(mu), mu
// increasing, then + input; terms with f_mu == 0 are skipped.
void visible_drive(const Matrix& xi, const Vector& f, const Vector& input, Vector& out);

// out += scale * column, entry by entry (the incremental update of a field).
void add_scaled(Vector& out, double scale, const double* column);

// sum_i a_i b_i in increasing i.
double dot(const double* a, const double* b, Eigen::Index n);

// G = xi^T xi (N_h x N_h), G(mu,nu) = dot(xi.col(mu), xi.col(nu)).
Matrix gram(const Matrix& xi);

}  // namespace tdam::kernels
