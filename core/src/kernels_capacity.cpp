// The exhaustive capacity walk of kernels.hpp (count_fixed_codes) and its
// threshold test (on_from).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "tdam/kernels.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define TDAM_WASM_SIMD 1
#endif

namespace tdam::kernels {

namespace {

// The doubles in order, as integers: key(x) < key(y) exactly when x < y
// (-0 and +0 share a key); NaN excluded.
std::int64_t key(double x) {
    std::int64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b >= 0 ? b : std::numeric_limits<std::int64_t>::min() - b;
}

double from_key(std::int64_t k) {
    const std::int64_t b = k >= 0 ? k : std::numeric_limits<std::int64_t>::min() - k;
    double x;
    std::memcpy(&x, &b, sizeof x);
    return x;
}

bool on(double field, double nv, double theta) { return field / nv - theta > 0.0; }

// Integer lanes carry field + M s (M > 2 bound, added with each unit's own
// Gram column), so that a lane passes when it is either on and marked
// (>= T + M) or off and unmarked (< T): one range test per lane, no code
// bits to compare.
template <typename L, int P>
bool passes(const L* __restrict field, const L* __restrict lo, const L* __restrict hi) {
#if defined(TDAM_WASM_SIMD)
    constexpr int step = 16 / static_cast<int>(sizeof(L));
    v128_t bad = wasm_i32x4_splat(0);
    for (int k = 0; k < P; k += step) {
        const v128_t f = wasm_v128_load(field + k);
        if constexpr (sizeof(L) == 4)
            bad = wasm_v128_or(bad, wasm_v128_and(wasm_i32x4_lt(f, wasm_v128_load(hi + k)),
                                                  wasm_i32x4_ge(f, wasm_v128_load(lo + k))));
        else
            bad = wasm_v128_or(bad, wasm_v128_and(wasm_i16x8_lt(f, wasm_v128_load(hi + k)),
                                                  wasm_i16x8_ge(f, wasm_v128_load(lo + k))));
    }
    return !wasm_v128_any_true(bad);
#else
    // GCC/Clang vector extensions: SSE2 natively, scalar code elsewhere.
    using V [[gnu::vector_size(16)]] = L;
    using W [[gnu::vector_size(16)]] = std::uint64_t;
    constexpr int step = 16 / static_cast<int>(sizeof(L));
    V bad = {};
    for (int k = 0; k < P; k += step) {
        V f, l, h;
        std::memcpy(&f, field + k, 16);
        std::memcpy(&l, lo + k, 16);
        std::memcpy(&h, hi + k, 16);
        bad |= (f < h) & (f >= l);
    }
    const W w = reinterpret_cast<W>(bad);
    return (w[0] | w[1]) == 0;
#endif
}

// Double lanes (the field itself, no marks): (field >= T) against the code.
template <int P>
bool passes_double(const double* __restrict field, const double* __restrict t, std::uint32_t code,
            const std::int64_t* __restrict expect) {
#if defined(TDAM_WASM_SIMD)
    (void)expect;
    std::uint32_t m = 0;
    for (int k = 0; k < P; k += 2)
        m |= static_cast<std::uint32_t>(
                 wasm_i64x2_bitmask(wasm_f64x2_ge(wasm_v128_load(field + k), wasm_v128_load(t + k))))
             << k;
    return m == code;
#else
    using V [[gnu::vector_size(16)]] = double;
    using M [[gnu::vector_size(16)]] = std::int64_t;
    (void)code;
    M differ = {};
    for (int k = 0; k < P; k += 2) {
        V f, t2;
        M e;
        std::memcpy(&f, field + k, 16);
        std::memcpy(&t2, t + k, 16);
        std::memcpy(&e, expect + k, 16);
        differ |= (f >= t2) ^ e;
    }
    return (differ[0] | differ[1]) == 0;
#endif
}

// out = a + b over P lanes.
template <typename L, int P>
void add(const L* __restrict a, const L* __restrict b, L* __restrict out) {
#if defined(TDAM_WASM_SIMD)
    constexpr int step = 16 / static_cast<int>(sizeof(L));
    for (int k = 0; k < P; k += step) {
        const v128_t x = wasm_v128_load(a + k), y = wasm_v128_load(b + k);
        v128_t s;
        if constexpr (std::is_same_v<L, double>) s = wasm_f64x2_add(x, y);
        else if constexpr (sizeof(L) == 4) s = wasm_i32x4_add(x, y);
        else s = wasm_i16x8_add(x, y);
        wasm_v128_store(out + k, s);
    }
#else
    using V [[gnu::vector_size(16)]] = L;
    constexpr int step = 16 / static_cast<int>(sizeof(L));
    for (int k = 0; k < P; k += step) {
        V x, y;
        std::memcpy(&x, a + k, 16);
        std::memcpy(&y, b + k, 16);
        x += y;
        std::memcpy(out + k, &x, 16);
    }
#endif
}

// The walk's data in `P`-lane rows: Gram columns, the base field, and the
// test's two rows (integers: lo = T, hi = T + M; doubles: t = T).
template <typename L>
struct Rows {
    std::vector<L> gram, base, lo, hi;
};

// The depth-first walk (kernels.hpp): leaf n (0 .. 2^nh - 1) has unit u on
// when bit nh-1-u of n is set. From leaf n-1 to n, with z trailing zeros in
// n, unit u0 = nh-1-z turns on and the units after it turn off, so the new
// field is the field of the prefix before u0 plus Gram column u0, and that
// prefix field is still at level u0 of the stack.
template <typename L, int P>
std::int64_t walk(int nh, const Rows<L>& r, const std::function<bool(std::int64_t)>& tick) {
    std::vector<L> buffers(static_cast<std::size_t>(nh + 1) * P);
    std::vector<const L*> level(static_cast<std::size_t>(nh + 1), r.base.data());  // field of the units before u
    const std::int64_t total = std::int64_t{1} << nh;
    std::uint32_t code = 0;          // bit u: unit u on
    std::int64_t expect[P] = {};     // the same as lanes of 0 / -1 (double lanes, portable test)
    std::int64_t stable = 0;
    for (std::int64_t n = 1; n <= total; ++n) {
        if (n < total) {
            const int zeros = __builtin_ctzll(static_cast<unsigned long long>(n));
            const int u0 = nh - 1 - zeros;
            L* out = buffers.data() + static_cast<std::size_t>(u0 + 1) * P;
            add<L, P>(level[u0], r.gram.data() + static_cast<std::size_t>(u0) * P, out);
            for (int u = u0 + 1; u <= nh; ++u) level[u] = out;
            bool ok;
            if constexpr (std::is_same_v<L, double>) {
                code = (code & ((std::uint32_t{1} << u0) - 1)) | (std::uint32_t{1} << u0);
                expect[u0] = -1;  // all ones, as a vector comparison gives
                for (int u = u0 + 1; u < nh; ++u) expect[u] = 0;
                ok = passes_double<P>(out, r.lo.data(), code, expect);
            } else {
                ok = passes<L, P>(out, r.lo.data(), r.hi.data());
            }
            if (ok) ++stable;
        }
        // n codes visited so far (the all-zero code first, not counted).
        if ((n & 0xFFF) == 0 && tick && !tick(n)) return -1;
    }
    return stable;
}

template <typename L>
std::int64_t walk_padded(int nh, const Rows<L>& r, int lanes, const std::function<bool(std::int64_t)>& tick) {
    switch (lanes) {
        case 8: return walk<L, 8>(nh, r, tick);
        case 16: return walk<L, 16>(nh, r, tick);
        case 24: return walk<L, 24>(nh, r, tick);
        default: return walk<L, 32>(nh, r, tick);
    }
}

// Doubles: the fields as the reference walk has them.
std::int64_t run_double(const Matrix& gram, const Vector& base, const std::vector<double>& t, int lanes,
                        const std::function<bool(std::int64_t)>& tick) {
    const int nh = static_cast<int>(gram.rows());
    Rows<double> r;
    r.gram.assign(static_cast<std::size_t>(nh) * lanes, 0.0);
    r.base.assign(static_cast<std::size_t>(lanes), 0.0);
    r.lo.assign(static_cast<std::size_t>(lanes), std::numeric_limits<double>::quiet_NaN());  // never on
    for (int u = 0; u < nh; ++u)
        for (int mu = 0; mu < nh; ++mu) r.gram[static_cast<std::size_t>(u) * lanes + mu] = gram(mu, u);
    for (int mu = 0; mu < nh; ++mu) {
        r.base[mu] = base[mu];
        r.lo[mu] = t[mu];
    }
    return walk_padded<double>(nh, r, lanes, tick);
}

// Integers |field| <= bound: each unit's column also marks its own lane
// with + M. x >= T exactly when x >= ceil(T), for an integer x.
template <typename L>
std::int64_t run_integer(const Matrix& gram, const Vector& base, const std::vector<double>& t, double bound,
                         int lanes, const std::function<bool(std::int64_t)>& tick) {
    const int nh = static_cast<int>(gram.rows());
    const double mark = 2.0 * bound + 2.0;
    Rows<L> r;
    r.gram.assign(static_cast<std::size_t>(nh) * lanes, L(0));
    r.base.assign(static_cast<std::size_t>(lanes), L(0));
    r.lo.assign(static_cast<std::size_t>(lanes), L(1));  // padding lanes: 0 < 1, always pass
    r.hi.assign(static_cast<std::size_t>(lanes), L(1));
    for (int u = 0; u < nh; ++u) {
        for (int mu = 0; mu < nh; ++mu) r.gram[static_cast<std::size_t>(u) * lanes + mu] = static_cast<L>(gram(mu, u));
        r.gram[static_cast<std::size_t>(u) * lanes + u] = static_cast<L>(gram(u, u) + mark);
    }
    for (int mu = 0; mu < nh; ++mu) {
        r.base[mu] = static_cast<L>(base[mu]);
        // T within [-bound, bound + 1]: NaN (never on) and anything above
        // bound + 1 behave as bound + 1, anything below -bound as -bound.
        const double x = t[mu];
        const double c = std::isnan(x) ? bound + 1.0 : std::ceil(std::fmax(-bound, std::fmin(x, bound + 1.0)));
        r.lo[mu] = static_cast<L>(c);
        r.hi[mu] = static_cast<L>(c + mark);
    }
    return walk_padded<L>(nh, r, lanes, tick);
}

}  // namespace

double on_from(double nv, double theta) {
    const double inf = std::numeric_limits<double>::infinity();
    if (!on(inf, nv, theta)) return std::numeric_limits<double>::quiet_NaN();
    if (on(-inf, nv, theta)) return -inf;
    // on(from_key(lo)) is false, on(from_key(hi)) true.
    std::int64_t lo = key(-inf), hi = key(inf);
    while (static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) > 1) {
        const std::int64_t mid =
            lo + static_cast<std::int64_t>((static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo)) / 2);
        if (on(from_key(mid), nv, theta)) hi = mid;
        else lo = mid;
    }
    return from_key(hi);
}

std::int64_t count_fixed_codes(const Matrix& gram, const Vector& base, const Vector& theta, double nv,
                               const std::function<bool(std::int64_t)>& tick) {
    const int nh = static_cast<int>(gram.rows());
    std::vector<double> t(static_cast<std::size_t>(nh));
    for (int mu = 0; mu < nh; ++mu) t[mu] = on_from(nv, theta[mu]);
    const int lanes = nh <= 8 ? 8 : nh <= 16 ? 16 : nh <= 24 ? 24 : 32;
    // Integer lanes when every field is an integer of at most `bound`: the
    // sum of |base| and of every |G| entry of a row (all partial sums too).
    bool integer = true;
    double bound = 0.0;
    for (int mu = 0; mu < nh && integer; ++mu) {
        double row = std::fabs(base[mu]);
        integer = std::floor(base[mu]) == base[mu];
        for (int nu = 0; nu < nh && integer; ++nu) {
            integer = std::floor(gram(mu, nu)) == gram(mu, nu);
            row += std::fabs(gram(mu, nu));
        }
        bound = std::fmax(bound, row);
    }
    // Marked fields reach 3 bound + 2 (plus at most 1 for the thresholds).
    if (integer && 3.0 * bound + 4.0 <= 32767.0) return run_integer<std::int16_t>(gram, base, t, bound, lanes, tick);
    if (integer && 3.0 * bound + 4.0 <= 2147483647.0)
        return run_integer<std::int32_t>(gram, base, t, bound, lanes, tick);
    return run_double(gram, base, t, lanes, tick);
}

}  // namespace tdam::kernels
