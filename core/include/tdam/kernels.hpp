#pragma once
// The products every model is made of, with a fixed summation order so that
// native and WebAssembly builds give bit-identical results (DEVELOPERS.md:
// same seed, same result). Each output entry is a sum taken in increasing
// index order; the loops run across outputs (axpy form), so they are
// vectorised (wasm: f64x2 lanes, natively: the compiler's vectoriser) without
// reordering any sum. Eigen's own products are not used here: their blocking
// and FMA use differ between targets.
//
// Binary states make most products sums of selected columns: the terms with
// a zero coefficient are skipped (they add exactly +-0, which leaves a sum
// that starts at +0 unchanged), and with +-1 weights (SignWeights) the sums
// are small integers, computed exactly in integer arithmetic (bit-packed
// XNOR-popcount for a +-1 state, int8 column sums for a 0/1 code); an integer
// sum below 2^53 is what the double loop gives too, whatever the order.
// Which path runs is decided inside each call; callers see one function and
// the same bits either way (tests/test_kernels.cpp checks every path against
// the plain loops of namespace reference).
#include <cstdint>
#include <functional>
#include <vector>

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

// out_i = sign(field_i), keeping old_i where field_i is 0 (or NaN): the
// binary visible update (Model::sign_keep) over a whole vector.
void sign_keep(const Vector& field, const Vector& old, Vector& out);

// max_i |x_i| (0 when x is empty) and max_i |a_i - b_i| (a, b of one size):
// the convergence tests of the dynamics. NaN when some entry is NaN (the
// same on every target); otherwise exact, so the order does not matter.
double max_abs(const Vector& x);
double max_abs_diff(const Vector& a, const Vector& b);

// What this build runs: "wasm-simd128", "wasm-scalar" or "native".
const char* implementation();

// Weights whose entries are all exactly +1 or -1, packed for the integer
// kernels: per hidden unit mu, one bit per visible unit (set where
// xi(i, mu) = -1, i.e. the sign bit, in 64-bit words, unused bits 0) and
// the column as int8. Built once per model or dynamics (O(N_v N_h)).
class SignWeights {
public:
    SignWeights() = default;
    // Packs xi (N_v x N_h); empty() when some entry is not exactly +-1.
    static SignWeights pack(const Matrix& xi);

    bool empty() const { return nh_ == 0; }
    int nv() const { return nv_; }
    int nh() const { return nh_; }
    int words() const { return words_; }  // 64-bit words per hidden unit
    const std::uint64_t* bits(int mu) const { return bits_.data() + static_cast<std::size_t>(mu) * words_; }
    const std::int8_t* column(int mu) const { return values_.data() + static_cast<std::size_t>(mu) * nv_; }

private:
    int nv_ = 0, nh_ = 0, words_ = 0;
    std::vector<std::uint64_t> bits_;  // nh x words
    std::vector<std::int8_t> values_;  // nv x nh, column-major
};

// The same products given the packed form of the same weights (xi_t and xi
// must be the matrices `signs` was packed from). hidden_field uses
// XNOR-popcount, out_mu = N_v - 2 popcount(bits_mu XOR bits(v)), when every
// v_i is +-1; visible_drive sums int8 columns when every f_mu is 0 or 1.
// Otherwise they fall back to the kernels above. Bit-identical to them.
void hidden_field(const Matrix& xi_t, const SignWeights& signs, const Vector& v, Vector& out);
void visible_drive(const Matrix& xi, const SignWeights& signs, const Vector& f, const Vector& input,
                   Vector& out);

// The fixed-point test of the exhaustive capacity count (capacity.cpp):
// unit mu is on when field_mu / nv - theta_mu > 0, evaluated in doubles as
// written. That is monotone in field_mu, so it equals field_mu >= T for the
// smallest double T at which it holds: on_from returns that T (-inf when it
// holds everywhere, NaN when nowhere), found by bisection over the doubles.
double on_from(double nv, double theta);

// Counts the non-zero codes s in {0,1}^N_h with H(field / nv - theta) = s,
// field = base + G s, over all 2^N_h codes in the depth-first order of
// capacity.hpp (unit 0 decided first, 0 before 1). Each code's field is its
// parent prefix's field plus one Gram column, so every field is the sum of
// its active columns in increasing unit order, as the walk always did, and
// each code costs one N_h-lane add and compare. When G and base hold
// integers small enough for int32 (or int16) lanes, those are used: the
// doubles would be exact there too, so the count is the same. tick(visited)
// is called after every 4096th code (visited counts the all-zero code as the
// first); returning false stops the walk, and the function returns -1.
std::int64_t count_fixed_codes(const Matrix& gram, const Vector& base, const Vector& theta, double nv,
                               const std::function<bool(std::int64_t)>& tick);

// Whether a code s (0/1 entries) of a binary-visible threshold network with
// +-1 weights is stable: v = sign(xi s + I) with sign(0) = +1, then
// H(field_scale * (xi^T v) - theta) == s; what capacity.cpp's is_stable_code
// computes, in integer arithmetic.
bool stable_binary_code(const SignWeights& signs, const Vector& code, const Vector& input,
                        double field_scale, const Vector& theta);

// The plain loops the fast kernels must reproduce bit for bit (the kernels of
// this header before they were specialised); for tests and benchmarks.
namespace reference {
Matrix gram(const Matrix& xi);
void hidden_field(const Matrix& xi_t, const Vector& v, Vector& out);
void visible_drive(const Matrix& xi, const Vector& f, const Vector& input, Vector& out);
}  // namespace reference

}  // namespace tdam::kernels
