#pragma once
// How close a state is to each stored column (what the playground shows as
// "overlap with each memory").
#include "tdam/model.hpp"

namespace tdam {

// Cosine overlaps xi_mu . v / (|xi_mu| |v|), one per hidden unit; 0 where
// either vector is zero. For ±1 patterns this is MODEL.md's m = xi_mu . v / N_v.
Vector overlaps(const Model& model, const Vector& v);

}  // namespace tdam
