// The kernels of kernels.hpp. Every sum here is a sequence of
//   x = x + a * c     (a * c rounded, then the sum rounded; no FMA)
// per output entry, with the terms in increasing index order; the loops only
// decide how many outputs are done at once (wasm SIMD: f64x2 lanes;
// natively: the same scalar expression per entry, which the compiler
// vectorises across entries) and how many terms are folded into an entry
// before it is stored again. Neither changes a single rounding.
#include "tdam/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define TDAM_WASM_SIMD 1
#endif

namespace tdam::kernels {

const char* implementation() {
#if defined(TDAM_WASM_SIMD)
    return "wasm-simd128";
#elif defined(__wasm__)
    return "wasm-scalar";
#else
    return "native";
#endif
}

namespace {

using Index = Eigen::Index;

// One non-zero term a * column of a sum of columns.
struct Term {
    const double* col;
    double a;
};

// ---------------------------------------------------------------------------
// Sums of columns: out[k] = (((out[k] + a0 c0[k]) + a1 c1[k]) + ...).

// Long outputs: M terms per pass over out (out stays in cache, each entry is
// loaded and stored once per M terms).
template <int M>
void pass(double* __restrict o, Index n, const Term* t) noexcept {
    const double* c[M];
    double a[M];
    for (int j = 0; j < M; ++j) {
        c[j] = t[j].col;
        a[j] = t[j].a;
    }
    Index k = 0;
#if defined(TDAM_WASM_SIMD)
    v128_t av[M];
    for (int j = 0; j < M; ++j) av[j] = wasm_f64x2_splat(a[j]);
    for (; k + 4 <= n; k += 4) {
        v128_t x0 = wasm_v128_load(o + k), x1 = wasm_v128_load(o + k + 2);
        for (int j = 0; j < M; ++j) {
            x0 = wasm_f64x2_add(x0, wasm_f64x2_mul(av[j], wasm_v128_load(c[j] + k)));
            x1 = wasm_f64x2_add(x1, wasm_f64x2_mul(av[j], wasm_v128_load(c[j] + k + 2)));
        }
        wasm_v128_store(o + k, x0);
        wasm_v128_store(o + k + 2, x1);
    }
#endif
    for (; k < n; ++k) {
        double x = o[k];
        for (int j = 0; j < M; ++j) x = x + a[j] * c[j][k];
        o[k] = x;
    }
}

void accumulate_long(double* o, Index n, const Term* t, std::size_t count) noexcept {
    std::size_t j = 0;
    for (; j + 4 <= count; j += 4) pass<4>(o, n, t + j);
    switch (count - j) {
        case 3: pass<3>(o, n, t + j); break;
        case 2: pass<2>(o, n, t + j); break;
        case 1: pass<1>(o, n, t + j); break;
        default: break;
    }
}

// Short outputs (a few hidden units): B entries kept in registers over all
// the terms.
template <int B>
void block(double* __restrict o, const Term* t, std::size_t count) noexcept {
#if defined(TDAM_WASM_SIMD)
    if constexpr (B >= 2) {
        v128_t x[B / 2];
        for (int r = 0; r < B / 2; ++r) x[r] = wasm_v128_load(o + 2 * r);
        for (std::size_t j = 0; j < count; ++j) {
            const v128_t a = wasm_f64x2_splat(t[j].a);
            const double* c = t[j].col;
            for (int r = 0; r < B / 2; ++r) x[r] = wasm_f64x2_add(x[r], wasm_f64x2_mul(a, wasm_v128_load(c + 2 * r)));
        }
        for (int r = 0; r < B / 2; ++r) wasm_v128_store(o + 2 * r, x[r]);
        return;
    }
#endif
    double x[B];
    for (int r = 0; r < B; ++r) x[r] = o[r];
    for (std::size_t j = 0; j < count; ++j) {
        const double a = t[j].a;
        const double* c = t[j].col;
        for (int r = 0; r < B; ++r) x[r] = x[r] + a * c[r];
    }
    for (int r = 0; r < B; ++r) o[r] = x[r];
}

void accumulate_short(double* o, Index n, Term* t, std::size_t count) noexcept {
    Index b = 0;
    for (; b + 16 <= n; b += 16) {
        block<16>(o + b, t, count);
        for (std::size_t j = 0; j < count; ++j) t[j].col += 16;
    }
    const Index rest = n - b;
    auto run = [&](auto width) {
        constexpr int W = decltype(width)::value;
        block<W>(o + b, t, count);
        for (std::size_t j = 0; j < count; ++j) t[j].col += W;
        b += W;
    };
    if (rest & 8) run(std::integral_constant<int, 8>{});
    if (rest & 4) run(std::integral_constant<int, 4>{});
    if (rest & 2) run(std::integral_constant<int, 2>{});
    if (rest & 1) run(std::integral_constant<int, 1>{});
}

constexpr Index kShortOutputs = 32;
constexpr std::size_t kChunk = 256;  // terms gathered at a time (on the stack)

// out = sum over k of coefficient[k] * column(k), k increasing, skipping zero
// coefficients; out has n entries, columns are `stride` apart from `first`.
void sum_columns(const double* first, Index stride, Index n, const double* coefficient, Index terms,
                 double* out) noexcept {
    std::fill(out, out + n, 0.0);
    Term t[kChunk];
    std::size_t count = 0;
    auto flush = [&] {
        if (n <= kShortOutputs) accumulate_short(out, n, t, count);
        else accumulate_long(out, n, t, count);
        count = 0;
    };
    for (Index k = 0; k < terms; ++k) {
        const double a = coefficient[k];
        if (a == 0.0) continue;
        t[count++] = {first + k * stride, a};
        if (count == kChunk) flush();
    }
    if (count) flush();
}

// ---------------------------------------------------------------------------
// +-1 states against +-1 weights: XNOR-popcount.

// x86-64 builds without -mpopcnt get a second copy of the popcount loop
// compiled for the POPCNT instruction, chosen at run time.
#if defined(__x86_64__) && !defined(__POPCNT__) && defined(__GNUC__)
#define TDAM_POPCNT_DISPATCH 1
#endif

inline int popcount64(std::uint64_t x) noexcept { return __builtin_popcountll(x); }

// Packs v into sign bits (set where v_i = -1), words 64-bit words, unused
// bits 0. False when some v_i is not exactly +-1.
bool pack_state(const double* v, Index n, std::uint64_t* bits) noexcept {
    const Index full = n / 64;
    bool ok = true;
    for (Index w = 0; w <= full; ++w) {
        const Index begin = w * 64, end = std::min<Index>(begin + 64, n);
        if (begin >= end) break;
        std::uint64_t word = 0;
#if defined(TDAM_WASM_SIMD)
        v128_t good = wasm_i64x2_splat(-1);
        const v128_t one = wasm_f64x2_splat(1.0);
        const v128_t magnitude = wasm_i64x2_splat(0x7FFFFFFFFFFFFFFFLL);
        Index i = begin;
        for (; i + 2 <= end; i += 2) {
            const v128_t x = wasm_v128_load(v + i);
            word |= static_cast<std::uint64_t>(wasm_i64x2_bitmask(x)) << (i - begin);
            good = wasm_v128_and(good, wasm_f64x2_eq(wasm_v128_and(x, magnitude), one));
        }
        ok = ok && wasm_i64x2_all_true(good);
        for (; i < end; ++i) {
            word |= static_cast<std::uint64_t>(v[i] < 0.0) << (i - begin);
            ok = ok && (v[i] == 1.0 || v[i] == -1.0);
        }
#else
        bool good = true;
        for (Index i = begin; i < end; ++i) {
            const double x = v[i];
            const bool negative = x == -1.0;
            good = good & (negative | (x == 1.0));
            word |= static_cast<std::uint64_t>(negative) << (i - begin);
        }
        ok = ok && good;
#endif
        if (!ok) return false;
        bits[w] = word;
    }
    return true;
}

// out_mu = N_v - 2 popcount(bits_mu XOR state).
__attribute__((always_inline)) inline void popcount_field_body(const SignWeights& s, const std::uint64_t* state,
                                                               double* out) noexcept {
    const int words = s.words(), nv = s.nv(), nh = s.nh();
    int mu = 0;
#if defined(TDAM_WASM_SIMD) && defined(TDAM_POPCNT_I8X16)
    // i8x16.popcnt: byte counts (<= 8 each) summed in bytes for up to 31
    // vectors, then widened. Correct, but slower than i64.popcnt under V8 on
    // x86-64 without AVX-512 (measured 43 us against 27 us for N_v = 4096,
    // N_h = 512), so not the default.
    for (; mu < nh; ++mu) {
        const std::uint64_t* b = s.bits(mu);
        int w = 0;
        v128_t total = wasm_i32x4_splat(0);
        while (w + 2 <= words) {
            v128_t bytes = wasm_i32x4_splat(0);
            for (int r = 0; r < 31 && w + 2 <= words; ++r, w += 2)
                bytes = wasm_i8x16_add(bytes, wasm_i8x16_popcnt(wasm_v128_xor(wasm_v128_load(b + w),
                                                                             wasm_v128_load(state + w))));
            total = wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(bytes)));
        }
        int differ = wasm_i32x4_extract_lane(total, 0) + wasm_i32x4_extract_lane(total, 1) +
                     wasm_i32x4_extract_lane(total, 2) + wasm_i32x4_extract_lane(total, 3);
        for (; w < words; ++w) differ += popcount64(b[w] ^ state[w]);
        out[mu] = static_cast<double>(nv - 2 * differ);
    }
#endif
    for (; mu < nh; ++mu) {
        const std::uint64_t* b = s.bits(mu);
        int d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        int w = 0;
        for (; w + 4 <= words; w += 4) {
            d0 += popcount64(b[w] ^ state[w]);
            d1 += popcount64(b[w + 1] ^ state[w + 1]);
            d2 += popcount64(b[w + 2] ^ state[w + 2]);
            d3 += popcount64(b[w + 3] ^ state[w + 3]);
        }
        for (; w < words; ++w) d0 += popcount64(b[w] ^ state[w]);
        out[mu] = static_cast<double>(nv - 2 * (d0 + d1 + d2 + d3));
    }
}

#if defined(TDAM_POPCNT_DISPATCH)
__attribute__((target("popcnt"))) void popcount_field_popcnt(const SignWeights& s, const std::uint64_t* state,
                                                             double* out) noexcept {
    popcount_field_body(s, state, out);
}
void popcount_field_generic(const SignWeights& s, const std::uint64_t* state, double* out) noexcept {
    popcount_field_body(s, state, out);
}
void popcount_field(const SignWeights& s, const std::uint64_t* state, double* out) noexcept {
    static const bool has_popcnt = __builtin_cpu_supports("popcnt");
    if (has_popcnt) popcount_field_popcnt(s, state, out);
    else popcount_field_generic(s, state, out);
}
#else
void popcount_field(const SignWeights& s, const std::uint64_t* state, double* out) noexcept {
    popcount_field_body(s, state, out);
}
#endif

// out[nu] = N_v - 2 popcount(bits_nu XOR state) for nu = first .. N_h - 1.
void popcount_field_range(const SignWeights& s, const std::uint64_t* state, int first, double* out) noexcept {
    const int words = s.words(), nv = s.nv();
    for (int nu = first; nu < s.nh(); ++nu) {
        const std::uint64_t* b = s.bits(nu);
        int differ = 0;
        for (int w = 0; w < words; ++w) differ += popcount64(b[w] ^ state[w]);
        out[nu] = static_cast<double>(nv - 2 * differ);
    }
}

// ---------------------------------------------------------------------------
// 0/1 codes against +-1 weights: integer column sums.

constexpr std::size_t kInt8Group = 127;  // |a sum of up to 127 +-1| fits an int8

#if defined(TDAM_WASM_SIMD)
// 16 int8 lanes as doubles (+ input) into out[0..15].
inline void store_int8_as_double(v128_t s, const double* input, double* out) noexcept {
    const v128_t lo16 = wasm_i16x8_extend_low_i8x16(s), hi16 = wasm_i16x8_extend_high_i8x16(s);
    const v128_t q[4] = {wasm_i32x4_extend_low_i16x8(lo16), wasm_i32x4_extend_high_i16x8(lo16),
                         wasm_i32x4_extend_low_i16x8(hi16), wasm_i32x4_extend_high_i16x8(hi16)};
    for (int r = 0; r < 4; ++r) {
        v128_t a = wasm_f64x2_convert_low_i32x4(q[r]);
        v128_t b = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(q[r], q[r], 2, 3, 2, 3));
        if (input) {
            a = wasm_f64x2_add(a, wasm_v128_load(input + 4 * r));
            b = wasm_f64x2_add(b, wasm_v128_load(input + 4 * r + 2));
        }
        wasm_v128_store(out + 4 * r, a);
        wasm_v128_store(out + 4 * r + 2, b);
    }
}
#endif

// partial[r] = sum of m <= 127 int8 columns at entry begin + r, r < n
// (exact in int8).
void int8_group(const std::int8_t* const* c, std::size_t m, Index begin, Index n, std::int8_t* partial) noexcept {
    std::memcpy(partial, c[0] + begin, static_cast<std::size_t>(n));
    for (std::size_t j = 1; j < m; ++j) {
        const std::int8_t* cj = c[j] + begin;
        for (Index r = 0; r < n; ++r) partial[r] = static_cast<std::int8_t>(partial[r] + cj[r]);
    }
}

// out[i] = (double)(sum of the listed int8 columns at entry i) (+ input[i]),
// exact. partial has n bytes; acc n int32s (used when count > 127).
void int8_column_sums(const std::int8_t* const* cols, std::size_t count, Index n, const double* input, double* out,
                      std::int8_t* partial, std::int32_t* acc) noexcept {
    if (count == 0) {
        for (Index i = 0; i < n; ++i) out[i] = input ? 0.0 + input[i] : 0.0;
        return;
    }
    if (count <= kInt8Group) {
        Index i = 0;
#if defined(TDAM_WASM_SIMD)
        // 64 entries in four registers per pass over the columns.
        for (; i + 64 <= n; i += 64) {
            const std::int8_t* c0 = cols[0] + i;
            v128_t s0 = wasm_v128_load(c0), s1 = wasm_v128_load(c0 + 16), s2 = wasm_v128_load(c0 + 32),
                   s3 = wasm_v128_load(c0 + 48);
            for (std::size_t j = 1; j < count; ++j) {
                const std::int8_t* c = cols[j] + i;
                s0 = wasm_i8x16_add(s0, wasm_v128_load(c));
                s1 = wasm_i8x16_add(s1, wasm_v128_load(c + 16));
                s2 = wasm_i8x16_add(s2, wasm_v128_load(c + 32));
                s3 = wasm_i8x16_add(s3, wasm_v128_load(c + 48));
            }
            const double* in = input ? input + i : nullptr;
            store_int8_as_double(s0, in, out + i);
            store_int8_as_double(s1, in ? in + 16 : nullptr, out + i + 16);
            store_int8_as_double(s2, in ? in + 32 : nullptr, out + i + 32);
            store_int8_as_double(s3, in ? in + 48 : nullptr, out + i + 48);
        }
        for (; i + 16 <= n; i += 16) {
            v128_t s = wasm_v128_load(cols[0] + i);
            for (std::size_t j = 1; j < count; ++j) s = wasm_i8x16_add(s, wasm_v128_load(cols[j] + i));
            store_int8_as_double(s, input ? input + i : nullptr, out + i);
        }
        if (i == n) return;
#endif
        const Index rest = n - i;
        int8_group(cols, count, i, rest, partial);
        if (input) {
            for (Index r = 0; r < rest; ++r) out[i + r] = static_cast<double>(partial[r]) + input[i + r];
        } else {
            for (Index r = 0; r < rest; ++r) out[i + r] = static_cast<double>(partial[r]);
        }
        return;
    }
    std::fill(acc, acc + n, 0);
    for (std::size_t g = 0; g < count; g += kInt8Group) {
        int8_group(cols + g, std::min(kInt8Group, count - g), 0, n, partial);
        for (Index i = 0; i < n; ++i) acc[i] += partial[i];
    }
    if (input) {
        for (Index i = 0; i < n; ++i) out[i] = static_cast<double>(acc[i]) + input[i];
    } else {
        for (Index i = 0; i < n; ++i) out[i] = static_cast<double>(acc[i]);
    }
}

// The int8 columns of the active units of a 0/1 code; false when some entry
// is neither 0 nor 1.
bool active_columns(const SignWeights& s, const Vector& f, std::vector<const std::int8_t*>& cols) {
    cols.clear();
    for (Index mu = 0; mu < f.size(); ++mu) {
        const double x = f[mu];
        if (x == 1.0) cols.push_back(s.column(static_cast<int>(mu)));
        else if (x != 0.0) return false;
    }
    return true;
}

}  // namespace

// ---------------------------------------------------------------------------

void add_scaled(Vector& out, double scale, const double* column) {
    double* o = out.data();
    const Index n = out.size();
    Index k = 0;
#if defined(TDAM_WASM_SIMD)
    const v128_t a = wasm_f64x2_splat(scale);
    for (; k + 2 <= n; k += 2)
        wasm_v128_store(o + k, wasm_f64x2_add(wasm_v128_load(o + k), wasm_f64x2_mul(a, wasm_v128_load(column + k))));
#endif
    for (; k < n; ++k) o[k] += scale * column[k];
}

void hidden_field(const Matrix& xi_t, const Vector& v, Vector& out) {
    Vector result(xi_t.rows());
    sum_columns(xi_t.data(), xi_t.rows(), xi_t.rows(), v.data(), v.size(), result.data());
    out = std::move(result);
}

void visible_drive(const Matrix& xi, const Vector& f, const Vector& input, Vector& out) {
    Vector result(xi.rows());
    sum_columns(xi.data(), xi.rows(), xi.rows(), f.data(), f.size(), result.data());
    if (input.size() != 0) result += input;
    out = std::move(result);
}

double dot(const double* a, const double* b, Eigen::Index n) {
    double sum = 0.0;
    for (Eigen::Index k = 0; k < n; ++k) sum += a[k] * b[k];
    return sum;
}

// G(nu, mu) = sum_i xi(i, mu) xi(i, nu), i increasing: column mu of G is
// xi^T xi.col(mu), a sum of the columns of xi^T (vectorised across nu); the
// products are the same as dot()'s and so are the sums (a zero term,
// skipped here, adds nothing to a sum that starts at +0).
Matrix gram(const Matrix& xi) {
    const Eigen::Index nv = xi.rows(), nh = xi.cols();
    Matrix g(nh, nh);
    // +-1 weights: G(mu, nu) = N_v - 2 popcount(bits_mu XOR bits_nu), the
    // same integer the double sums give exactly.
    if (const SignWeights s = SignWeights::pack(xi); !s.empty()) {
        for (int mu = 0; mu < s.nh(); ++mu) {
            popcount_field_range(s, s.bits(mu), mu, g.col(mu).data());
            for (Eigen::Index nu = mu + 1; nu < nh; ++nu) g(mu, nu) = g(nu, mu);
        }
        return g;
    }
    const Matrix xi_t = xi.transpose();
    for (Eigen::Index mu = 0; mu < nh; ++mu) {
        // rows nu >= mu of column mu; the rest by symmetry, as dot() gives
        // the same sum for (mu, nu) and (nu, mu).
        sum_columns(xi_t.data() + mu, nh, nh - mu, xi.col(mu).data(), nv, g.col(mu).data() + mu);
        for (Eigen::Index nu = mu + 1; nu < nh; ++nu) g(mu, nu) = g(nu, mu);
    }
    return g;
}

void sign_keep(const Vector& field, const Vector& old, Vector& out) {
    const Index n = field.size();
    Vector result(n);
    const double* d = field.data();
    const double* p = old.data();
    double* o = result.data();
    Index i = 0;
#if defined(TDAM_WASM_SIMD)
    const v128_t zero = wasm_f64x2_splat(0.0), plus = wasm_f64x2_splat(1.0), minus = wasm_f64x2_splat(-1.0);
    for (; i + 2 <= n; i += 2) {
        const v128_t x = wasm_v128_load(d + i);
        const v128_t keep_or_minus = wasm_v128_bitselect(minus, wasm_v128_load(p + i), wasm_f64x2_lt(x, zero));
        wasm_v128_store(o + i, wasm_v128_bitselect(plus, keep_or_minus, wasm_f64x2_gt(x, zero)));
    }
#endif
    for (; i < n; ++i) {  // two selects, which the compiler vectorises
        double r = p[i];
        r = d[i] < 0.0 ? -1.0 : r;
        r = d[i] > 0.0 ? 1.0 : r;
        o[i] = r;
    }
    out = std::move(result);
}

namespace {

// max |a_i - b_i| (b null: max |a_i|), NaN when some difference is NaN.
// Every max is exact, so the order does not matter.
double max_abs_of(const double* a, const double* b, Index n) noexcept {
    Index i = 0;
    double m = 0.0;
    bool nan = false;
#if defined(TDAM_WASM_SIMD)
    // pmax (one instruction) and a separate NaN mask: cheaper than the
    // NaN-propagating f64x2.max.
    v128_t m0 = wasm_f64x2_splat(0.0), m1 = m0, bad = wasm_i64x2_splat(0);
    for (; i + 4 <= n; i += 4) {
        v128_t x0 = wasm_v128_load(a + i), x1 = wasm_v128_load(a + i + 2);
        if (b) {
            x0 = wasm_f64x2_sub(x0, wasm_v128_load(b + i));
            x1 = wasm_f64x2_sub(x1, wasm_v128_load(b + i + 2));
        }
        x0 = wasm_f64x2_abs(x0);
        x1 = wasm_f64x2_abs(x1);
        bad = wasm_v128_or(bad, wasm_v128_or(wasm_f64x2_ne(x0, x0), wasm_f64x2_ne(x1, x1)));
        m0 = wasm_f64x2_pmax(m0, x0);
        m1 = wasm_f64x2_pmax(m1, x1);
    }
    m0 = wasm_f64x2_pmax(m0, m1);
    const double l0 = wasm_f64x2_extract_lane(m0, 0), l1 = wasm_f64x2_extract_lane(m0, 1);
    nan = wasm_v128_any_true(bad);
    m = l0 > l1 ? l0 : l1;
#else
    double m4[4] = {0.0, 0.0, 0.0, 0.0};
    bool n4[4] = {false, false, false, false};
    for (; i + 4 <= n; i += 4)
        for (int r = 0; r < 4; ++r) {
            const double x = std::fabs(b ? a[i + r] - b[i + r] : a[i + r]);
            n4[r] = n4[r] || x != x;
            m4[r] = x > m4[r] ? x : m4[r];
        }
    for (int r = 0; r < 4; ++r) {
        nan = nan || n4[r];
        m = m4[r] > m ? m4[r] : m;
    }
#endif
    for (; i < n; ++i) {
        const double x = std::fabs(b ? a[i] - b[i] : a[i]);
        nan = nan || x != x;
        m = x > m ? x : m;
    }
    return nan ? std::numeric_limits<double>::quiet_NaN() : m;
}

}  // namespace

double max_abs(const Vector& x) { return max_abs_of(x.data(), nullptr, x.size()); }

double max_abs_diff(const Vector& a, const Vector& b) { return max_abs_of(a.data(), b.data(), a.size()); }

// ---------------------------------------------------------------------------

namespace {

// Sign bits of n <= 64 int8 values (set where negative), eight at a time:
// the top bit of each byte gathered by one multiplication.
std::uint64_t sign_bits(const std::int8_t* v, Index n) noexcept {
    std::uint64_t word = 0;
    Index j = 0;
    for (; j + 8 <= n; j += 8) {
        std::uint64_t u;
        std::memcpy(&u, v + j, 8);
        const std::uint64_t byte = (((u & 0x8080808080808080ULL) >> 7) * 0x0102040810204080ULL) >> 56;
        word |= byte << j;
    }
    for (; j < n; ++j) word |= static_cast<std::uint64_t>(v[j] < 0) << j;
    return word;
}

// out[i] = c[i] as int8 for a column of +-1; false when some entry is not
// exactly +-1. Integer operations on the bit patterns, no branches: the
// compiler vectorises the loop.
bool int8_column(const double* c, Index n, std::int8_t* out) noexcept {
    std::uint64_t bad = 0;
    for (Index i = 0; i < n; ++i) {
        std::uint64_t b;
        std::memcpy(&b, c + i, sizeof b);
        out[i] = static_cast<std::int8_t>(1 - 2 * static_cast<int>(b >> 63));
        bad |= (b & 0x7FFFFFFFFFFFFFFFULL) ^ 0x3FF0000000000000ULL;  // 0 exactly when |c[i]| = 1
    }
    return bad == 0;
}

}  // namespace

SignWeights SignWeights::pack(const Matrix& xi) {
    SignWeights s;
    const Index nv = xi.rows(), nh = xi.cols();
    if (nv == 0 || nh == 0) return s;
    const int words = static_cast<int>((nv + 63) / 64);
    std::vector<std::uint64_t> bits(static_cast<std::size_t>(nh) * words);
    std::vector<std::int8_t> values(static_cast<std::size_t>(nv) * nh);
    for (Index mu = 0; mu < nh; ++mu) {
        std::int8_t* column = values.data() + static_cast<std::size_t>(mu) * nv;
        if (!int8_column(xi.col(mu).data(), nv, column)) return SignWeights();
        std::uint64_t* b = bits.data() + static_cast<std::size_t>(mu) * words;
        for (int w = 0; w < words; ++w) b[w] = sign_bits(column + 64 * w, std::min<Index>(64, nv - 64 * w));
    }
    s.nv_ = static_cast<int>(nv);
    s.nh_ = static_cast<int>(nh);
    s.words_ = words;
    s.bits_ = std::move(bits);
    s.values_ = std::move(values);
    return s;
}

void hidden_field(const Matrix& xi_t, const SignWeights& signs, const Vector& v, Vector& out) {
    if (signs.empty() || v.size() != signs.nv() || xi_t.rows() != signs.nh()) return hidden_field(xi_t, v, out);
    std::vector<std::uint64_t> state(static_cast<std::size_t>(signs.words()));
    if (!pack_state(v.data(), v.size(), state.data())) return hidden_field(xi_t, v, out);
    Vector result(signs.nh());
    popcount_field(signs, state.data(), result.data());
    out = std::move(result);
}

void visible_drive(const Matrix& xi, const SignWeights& signs, const Vector& f, const Vector& input, Vector& out) {
    std::vector<const std::int8_t*> cols;
    if (signs.empty() || f.size() != signs.nh() || xi.rows() != signs.nv() || !active_columns(signs, f, cols))
        return visible_drive(xi, f, input, out);
    const Index nv = signs.nv();
    std::vector<std::int8_t> partial(static_cast<std::size_t>(nv));
    std::vector<std::int32_t> acc(cols.size() > kInt8Group ? static_cast<std::size_t>(nv) : 0);
    Vector result(nv);
    int8_column_sums(cols.data(), cols.size(), nv, input.size() != 0 ? input.data() : nullptr, result.data(),
                     partial.data(), acc.data());
    out = std::move(result);
}

bool stable_binary_code(const SignWeights& signs, const Vector& code, const Vector& input, double field_scale,
                        const Vector& theta) {
    std::vector<const std::int8_t*> cols;
    const bool binary = active_columns(signs, code, cols);
    (void)binary;  // the caller has checked the code
    const Index nv = signs.nv();
    std::vector<std::int8_t> partial(static_cast<std::size_t>(nv));
    std::vector<std::int32_t> acc(cols.size() > kInt8Group ? static_cast<std::size_t>(nv) : 0);
    std::vector<double> drive(static_cast<std::size_t>(nv));
    int8_column_sums(cols.data(), cols.size(), nv, input.size() != 0 ? input.data() : nullptr, drive.data(),
                     partial.data(), acc.data());
    std::vector<std::uint64_t> state(static_cast<std::size_t>(signs.words()), 0);
    for (Index i = 0; i < nv; ++i) {
        // sign(xi s + I) with sign(0) = +1: negative exactly when not >= 0.
        const bool negative = !(drive[static_cast<std::size_t>(i)] >= 0.0);
        state[static_cast<std::size_t>(i / 64)] |= static_cast<std::uint64_t>(negative) << (i % 64);
    }
    std::vector<double> raw(static_cast<std::size_t>(signs.nh()));
    popcount_field(signs, state.data(), raw.data());
    for (int mu = 0; mu < signs.nh(); ++mu) {
        const double h = field_scale * raw[mu];
        const bool on = h - theta[mu] > 0.0;
        if (on != (code[mu] != 0.0)) return false;
    }
    return true;
}

namespace reference {

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

void hidden_field(const Matrix& xi_t, const Vector& v, Vector& out) {
    out.setZero(xi_t.rows());
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        const double vi = v[i];
        if (vi == 0.0) continue;
        const double* c = xi_t.col(i).data();
        for (Eigen::Index k = 0; k < out.size(); ++k) out[k] += vi * c[k];
    }
}

void visible_drive(const Matrix& xi, const Vector& f, const Vector& input, Vector& out) {
    out.setZero(xi.rows());
    for (Eigen::Index mu = 0; mu < f.size(); ++mu) {
        const double fm = f[mu];
        if (fm == 0.0) continue;
        const double* c = xi.col(mu).data();
        for (Eigen::Index k = 0; k < out.size(); ++k) out[k] += fm * c[k];
    }
    if (input.size() != 0) out += input;
}

}  // namespace reference

}  // namespace tdam::kernels
