#include "tdam/similarity.hpp"

#include <cmath>

#include "tdam/error.hpp"
#include "tdam/kernels.hpp"

namespace tdam {

Vector overlaps(const Model& model, const Vector& v) {
    TDAM_REQUIRE(v.size() == model.nv(), "state has " + std::to_string(v.size()) + " entries, expected N_v = " +
                                        std::to_string(model.nv()));
    Vector raw;
    kernels::hidden_field(model.weights_transposed(), v, raw);
    const double vnorm = std::sqrt(kernels::dot(v.data(), v.data(), v.size()));
    Vector out(model.nh());
    for (int mu = 0; mu < model.nh(); ++mu) {
        const double* col = model.weights().col(mu).data();
        const double cnorm = std::sqrt(kernels::dot(col, col, model.nv()));
        out[mu] = (vnorm > 0.0 && cnorm > 0.0) ? raw[mu] / (vnorm * cnorm) : 0.0;
    }
    return out;
}

}  // namespace tdam
