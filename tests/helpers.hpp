#pragma once
// Small builders shared by the test files.
#include <memory>

#include "tdam/tdam.hpp"

namespace tdam::test {

inline Vector random_pm1(int n, Rng& rng) {
    Vector v(n);
    for (int i = 0; i < n; ++i) v[i] = rng.coin() ? 1.0 : -1.0;
    return v;
}

inline Vector random_gauss(int n, Rng& rng) {
    Vector v(n);
    for (int i = 0; i < n; ++i) v[i] = rng.normal();
    return v;
}

// A cue suited to the model's visible neurons.
inline Vector random_cue(const Model& m, Rng& rng) {
    return m.visible() == Visible::Binary ? random_pm1(m.nv(), rng) : random_gauss(m.nv(), rng);
}

// True when no energy in the list exceeds the one before it by more than
// rounding (relative 1e-10).
inline bool non_increasing(const std::vector<double>& e) {
    for (std::size_t k = 1; k < e.size(); ++k) {
        const double slack = 1e-10 * (1.0 + std::abs(e[k - 1]));
        if (e[k] > e[k - 1] + slack) return false;
    }
    return true;
}

inline Vector code_from_bits(std::uint64_t bits, int nh) {
    Vector s(nh);
    for (int mu = 0; mu < nh; ++mu) s[mu] = static_cast<double>((bits >> mu) & 1u);
    return s;
}

}  // namespace tdam::test
