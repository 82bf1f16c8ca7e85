#pragma once
// The plain scalar loops a user would write first, straight from MODEL.md,
// as the baseline of the native benchmark. Not used by the library.
#include <cstdint>

#include "tdam/types.hpp"

namespace bench {

// One synchronous step s = H(xi^T v / N_v - theta), v = xi s, element by element.
inline void scalar_sync_step(const tdam::Matrix& xi, double theta, tdam::Vector& v, tdam::Vector& s) {
    const int nv = static_cast<int>(xi.rows()), nh = static_cast<int>(xi.cols());
    for (int mu = 0; mu < nh; ++mu) {
        double h = 0;
        for (int i = 0; i < nv; ++i) h += xi(i, mu) * v[i];
        s[mu] = h / nv - theta > 0 ? 1.0 : 0.0;
    }
    for (int i = 0; i < nv; ++i) {
        double x = 0;
        for (int mu = 0; mu < nh; ++mu) x += xi(i, mu) * s[mu];
        v[i] = x;
    }
}

// The same step for binary visible neurons: v_i = sign((xi s)_i), kept on 0.
inline void scalar_sync_step_binary(const tdam::Matrix& xi, double theta, tdam::Vector& v, tdam::Vector& s) {
    const int nv = static_cast<int>(xi.rows()), nh = static_cast<int>(xi.cols());
    for (int mu = 0; mu < nh; ++mu) {
        double h = 0;
        for (int i = 0; i < nv; ++i) h += xi(i, mu) * v[i];
        s[mu] = h / nv - theta > 0 ? 1.0 : 0.0;
    }
    for (int i = 0; i < nv; ++i) {
        double x = 0;
        for (int mu = 0; mu < nh; ++mu) x += xi(i, mu) * s[mu];
        v[i] = x > 0 ? 1.0 : (x < 0 ? -1.0 : v[i]);
    }
}

// Stable non-zero codes, each checked by s = H(G s / N_v - theta) from scratch
// with the Gram matrix G = xi^T xi: O(N_h^2) per code.
inline std::int64_t scalar_count_stable(const tdam::Matrix& xi, double theta) {
    const int nv = static_cast<int>(xi.rows()), nh = static_cast<int>(xi.cols());
    tdam::Matrix g(nh, nh);
    for (int a = 0; a < nh; ++a)
        for (int b = 0; b < nh; ++b) {
            double d = 0;
            for (int i = 0; i < nv; ++i) d += xi(i, a) * xi(i, b);
            g(a, b) = d;
        }
    std::int64_t stable = 0;
    for (std::uint64_t code = 1; code < (std::uint64_t{1} << nh); ++code) {
        bool ok = true;
        for (int mu = 0; mu < nh && ok; ++mu) {
            double field = 0;
            for (int nu = 0; nu < nh; ++nu)
                if ((code >> nu) & 1u) field += g(mu, nu);
            ok = (field / nv - theta > 0) == (((code >> mu) & 1u) != 0);
        }
        stable += ok;
    }
    return stable;
}

}  // namespace bench
