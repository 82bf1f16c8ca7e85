#pragma once
// Running a model: the three update schedules and `recall`.
//
// Why the energy (1) of model.hpp never increases:
//  - Synchronous: h <- a(v) minimises (1) over h; then v <- argmin over v given
//    f (v = xi f + I, or its sign). Two exact block minimisations, which for
//    the reduced energy is the concave-convex procedure (MODEL.md section 1).
//  - Asynchronous: neuron i takes the value that minimises the linearisation
//    of the concave part in v_i (or, for polynomial and hopfield, the exact
//    coordinate minimum); both never raise E. One step is a sweep over all
//    N_v neurons in a fresh seeded random order; fields are updated
//    incrementally, not recomputed.
//  - Continuous: explicit Euler, the hidden layer first, then the visible:
//    h += (dt/tau_h)(a(v) - h), x += (dt/tau_v)(xi f(h) + I - x), with v = x
//    (linear) or v = sign(x) (binary, kept on 0). With dt <= tau_h the hidden
//    move stays on the segment towards a(v), along which dE/dt =
//    -(h-a)^T J (h-a) <= 0 for the positive semi-definite J = d f/dh of a
//    convex Lagrangian; with dt <= tau_v the visible move goes part-way to the
//    minimum of a quadratic (or flips a sign only towards its drive). So
//    0 < dt <= min(tau_h, tau_v) is the stable range; larger dt is refused.
#include <cstdint>
#include <memory>
#include <vector>

#include "tdam/model.hpp"
#include "tdam/rng.hpp"

namespace tdam {

struct RecallOptions {
    Schedule schedule = Schedule::Synchronous;
    int max_steps = 100;       // 0 to limits::kMaxSteps
    double tolerance = 1e-9;   // converged when no entry moves more than tolerance * max(1, |state|_inf)
    std::uint64_t seed = 1;    // asynchronous update order
    double dt = 0.1;           // continuous time step, 0 < dt <= min(tau_v, tau_h)
    double tau_v = 1.0;
    double tau_h = 1.0;
    bool record_states = true;  // keep the visible and hidden state of every step
};

// Rejects options out of range, naming the field.
void check_options(const RecallOptions& options);

enum class StopReason {
    Converged,  // a step changed nothing: a fixed point
    Cycle,      // synchronous updates returned to the state of two steps before
    StepLimit   // max_steps reached first
};
const char* to_string(StopReason reason);

// Steps a model from a cue, one step at a time (what the playground animates).
class Dynamics {
public:
    Dynamics(std::shared_ptr<const Model> model, const Vector& cue, const RecallOptions& options);

    // One step; false when it changed nothing (the state is a fixed point) or
    // the synchronous state cycles, and then the state is left as it was.
    bool step();

    const Model& model() const { return *model_; }
    const Vector& visible() const { return v_; }
    const Vector& hidden() const { return f_; }           // activations f (the code, for threshold)
    const Vector& hidden_current() const { return h_; }   // h
    const Vector& visible_current() const { return x_; }  // x (continuous schedule; = v otherwise)
    double energy() const { return energy_; }
    int steps() const { return steps_; }
    bool cycled() const { return cycled_; }

private:
    bool step_synchronous();
    bool step_asynchronous();
    bool step_continuous();
    bool moved(const Vector& before, const Vector& after) const;

    std::shared_ptr<const Model> model_;
    RecallOptions options_;
    Rng rng_;
    Vector v_, x_, h_, f_, raw_;
    Vector previous_v_, previous_f_;  // two steps back, for cycle detection (synchronous)
    double energy_ = 0.0;
    int steps_ = 0;
    bool cycled_ = false;
};

struct Trajectory {
    std::vector<Vector> visible;  // one per recorded step, the cue first (if record_states)
    std::vector<Vector> hidden;
    std::vector<double> energy;   // always recorded, the cue's first
    Vector final_visible;
    Vector final_hidden;
    int steps = 0;
    StopReason stop = StopReason::StepLimit;
};

// Runs a schedule from a cue until a fixed point, a cycle or the step limit.
Trajectory recall(const Model& model, const Vector& cue, const RecallOptions& options);

}  // namespace tdam
