#pragma once
// Builds any model by kind, for the CLI, the wasm module and the capacity
// sweeps. `parameter` is theta (threshold), beta (softmax) or the order n
// (polynomial, an integer from 2 to limits::kMaxPolynomialOrder); hopfield
// ignores it. Polynomial and hopfield models have binary visible neurons only.
#include <memory>

#include "tdam/model.hpp"

namespace tdam {

// The visible neurons a model has unless told otherwise: linear for the
// threshold and softmax models (the paper's form), binary for the others.
Visible default_visible(ModelKind kind);

std::unique_ptr<Model> make_model(ModelKind kind, const Matrix& weights, double parameter,
                                  Visible visible);

}  // namespace tdam
