#include "tdam/make_model.hpp"

#include "tdam/baselines.hpp"
#include "tdam/error.hpp"
#include "tdam/threshold.hpp"

namespace tdam {

std::unique_ptr<Model> make_model(ModelKind kind, const Matrix& weights, double parameter,
                                  Visible visible) {
    switch (kind) {
        case ModelKind::Threshold:
            return std::make_unique<ThresholdNetwork>(weights, parameter, visible);
        case ModelKind::Softmax:
            return std::make_unique<SoftmaxNetwork>(weights, parameter, visible);
        case ModelKind::Polynomial:
            require(visible == Visible::Binary,
                    "the polynomial model has binary visible neurons only (its energy is unbounded "
                    "below for linear ones)");
            require(parameter == static_cast<double>(static_cast<int>(parameter)),
                    "polynomial order must be an integer (got " + std::to_string(parameter) + ")");
            return std::make_unique<PolynomialNetwork>(weights, static_cast<int>(parameter));
        case ModelKind::Hopfield:
            require(visible == Visible::Binary, "the hopfield model has binary visible neurons only");
            return std::make_unique<HopfieldNetwork>(weights);
    }
    throw Error("unknown model kind");
}

}  // namespace tdam
