#include "tdam/make_model.hpp"

#include <cmath>

#include "tdam/baselines.hpp"
#include "tdam/error.hpp"
#include "tdam/limits.hpp"
#include "tdam/threshold.hpp"

namespace tdam {

Visible default_visible(ModelKind kind) {
    return (kind == ModelKind::Threshold || kind == ModelKind::Softmax) ? Visible::Linear : Visible::Binary;
}

std::unique_ptr<Model> make_model(ModelKind kind, const Matrix& weights, double parameter,
                                  Visible visible) {
    switch (kind) {
        case ModelKind::Threshold:
            return std::make_unique<ThresholdNetwork>(weights, parameter, visible);
        case ModelKind::Softmax:
            return std::make_unique<SoftmaxNetwork>(weights, parameter, visible);
        case ModelKind::Polynomial:
            TDAM_REQUIRE(visible == Visible::Binary,
                    "the polynomial model has binary visible neurons only (its energy is unbounded "
                    "below for linear ones)");
            // Checked before the cast, which is undefined outside int's range.
            TDAM_REQUIRE(std::isfinite(parameter) && parameter == std::floor(parameter),
                         "polynomial order must be an integer (got " + std::to_string(parameter) + ")");
            TDAM_REQUIRE(parameter >= 2 && parameter <= limits::kMaxPolynomialOrder,
                         "polynomial order must be between 2 and " + std::to_string(limits::kMaxPolynomialOrder) +
                             " (got " + std::to_string(parameter) + ")");
            return std::make_unique<PolynomialNetwork>(weights, static_cast<int>(parameter));
        case ModelKind::Hopfield:
            TDAM_REQUIRE(visible == Visible::Binary, "the hopfield model has binary visible neurons only");
            return std::make_unique<HopfieldNetwork>(weights);
    }
    throw Error("unknown model kind");
}

}  // namespace tdam
