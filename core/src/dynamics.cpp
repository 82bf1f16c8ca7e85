#include "tdam/dynamics.hpp"

#include <cmath>

#include "tdam/error.hpp"
#include "tdam/kernels.hpp"
#include "tdam/limits.hpp"

namespace tdam {

void check_options(const RecallOptions& o) {
    TDAM_REQUIRE(o.max_steps >= 0 && o.max_steps <= limits::kMaxSteps,
            "max_steps must be between 0 and " + std::to_string(limits::kMaxSteps) + " (got " +
                std::to_string(o.max_steps) + ")");
    TDAM_REQUIRE(std::isfinite(o.tolerance) && o.tolerance >= 0.0,
            "tolerance must be finite and >= 0 (got " + std::to_string(o.tolerance) + ")");
    if (o.schedule == Schedule::Continuous) {
        TDAM_REQUIRE(std::isfinite(o.tau_v) && o.tau_v > 0.0, "tau_v must be positive and finite");
        TDAM_REQUIRE(std::isfinite(o.tau_h) && o.tau_h > 0.0, "tau_h must be positive and finite");
        TDAM_REQUIRE(std::isfinite(o.dt) && o.dt > 0.0, "dt must be positive and finite");
        TDAM_REQUIRE(o.dt <= o.tau_v && o.dt <= o.tau_h,
                "dt = " + std::to_string(o.dt) +
                    " is outside the stable range 0 < dt <= min(tau_v, tau_h) = " +
                    std::to_string(o.tau_v < o.tau_h ? o.tau_v : o.tau_h));
    }
}

const char* to_string(StopReason reason) {
    switch (reason) {
        case StopReason::Converged: return "converged";
        case StopReason::Cycle: return "cycle";
        case StopReason::StepLimit: return "step_limit";
    }
    return "?";
}

namespace {
double max_abs(const Vector& x) { return kernels::max_abs(x); }

// +-1 weights packed for the integer kernels, built once when a Dynamics of
// a binary-visible model is made (its states are +-1, so every hidden field
// is an XNOR-popcount; packing costs about as much as one dense field) and
// kept in the control block of its model pointer (as the deleter of a
// pointer that shares the caller's model), so that copies of the Dynamics
// share it and it goes when the last of them does. Linear-visible states
// are not +-1, and the packed form would only speed up the (cheap) visible
// drive, so those models are not packed.
struct PackedModel {
    std::shared_ptr<const Model> model;
    kernels::SignWeights signs;
    void operator()(const Model*) { model.reset(); }
};

std::shared_ptr<const Model> with_packed_weights(std::shared_ptr<const Model> model) {
    if (model->visible() != Visible::Binary) return model;
    kernels::SignWeights signs = kernels::SignWeights::pack(model->weights());
    if (signs.empty()) return model;
    const Model* raw = model.get();
    return std::shared_ptr<const Model>(raw, PackedModel{std::move(model), std::move(signs)});
}

// The packed weights of model_ (empty when the weights are not all +-1).
const kernels::SignWeights& packed_weights(const std::shared_ptr<const Model>& model) {
    static const kernels::SignWeights none;
    const PackedModel* p = std::get_deleter<PackedModel>(model);
    return p ? p->signs : none;
}
}  // namespace

Dynamics::Dynamics(std::shared_ptr<const Model> model, const Vector& cue, const RecallOptions& options)
    : model_(std::move(model)), options_(options), rng_(options.seed) {
    TDAM_REQUIRE(model_ != nullptr, "no model given");
    check_options(options_);
    model_->check_visible(cue, "cue");
    model_ = with_packed_weights(std::move(model_));
    v_ = cue;
    x_ = cue;
    kernels::hidden_field(model_->weights_transposed(), packed_weights(model_), v_, raw_);
    h_ = model_->field_scale() * raw_;
    model_->activate(h_, f_);
    energy_ = model_->energy(v_, h_, raw_);
}

bool Dynamics::moved(const Vector& before, const Vector& after) const {
    const double scale = std::max(1.0, max_abs(before));
    return kernels::max_abs_diff(after, before) > options_.tolerance * scale;
}

bool Dynamics::step() {
    bool changed = false;
    switch (options_.schedule) {
        case Schedule::Synchronous: changed = step_synchronous(); break;
        case Schedule::Asynchronous: changed = step_asynchronous(); break;
        case Schedule::Continuous: changed = step_continuous(); break;
    }
    if (changed) ++steps_;
    return changed;
}

bool Dynamics::step_synchronous() {
    const Model& m = *model_;
    Vector h = m.field_scale() * raw_;
    Vector f, drive;
    m.activate(h, f);
    const kernels::SignWeights& signs = packed_weights(model_);
    kernels::visible_drive(m.weights(), signs, f, m.input(), drive);
    Vector v;
    if (m.visible() == Visible::Binary) kernels::sign_keep(drive, v_, v);
    else v = std::move(drive);
    if (!moved(v_, v) && !moved(f_, f)) return false;
    if (previous_v_.size() && !moved(previous_v_, v) && !moved(previous_f_, f)) {
        cycled_ = true;
        return false;
    }
    previous_v_ = v_;
    previous_f_ = f_;
    v_ = std::move(v);
    x_ = v_;
    f_ = std::move(f);
    h_ = std::move(h);
    kernels::hidden_field(m.weights_transposed(), signs, v_, raw_);
    energy_ = m.energy(v_, h_, raw_);
    return true;
}

bool Dynamics::step_asynchronous() {
    const Model& m = *model_;
    const double c = m.field_scale();
    const double threshold = options_.tolerance * std::max(1.0, max_abs(v_));
    Vector v = v_, raw = raw_, f = f_;
    bool fresh = true;  // f == activate(c raw)
    bool changed = false;
    for (int i : rng_.permutation(m.nv())) {
        if (!fresh) {
            m.activate(c * raw, f);
            fresh = true;
        }
        const double value = m.async_value(i, v, raw, f);
        const double delta = value - v[i];
        if (delta == 0.0) continue;
        kernels::add_scaled(raw, delta, m.weights_transposed().col(i).data());
        v[i] = value;
        fresh = false;
        if (std::fabs(delta) > threshold) changed = true;
    }
    if (!changed) return false;
    v_ = std::move(v);
    x_ = v_;
    raw_ = std::move(raw);
    h_ = c * raw_;
    m.activate(h_, f_);
    energy_ = m.energy(v_, h_, raw_);
    return true;
}

bool Dynamics::step_continuous() {
    const Model& m = *model_;
    const double rate_h = options_.dt / options_.tau_h;
    const double rate_v = options_.dt / options_.tau_v;
    Vector h = h_ + rate_h * (m.field_scale() * raw_ - h_);
    Vector f, drive;
    m.activate(h, f);
    const kernels::SignWeights& signs = packed_weights(model_);
    kernels::visible_drive(m.weights(), signs, f, m.input(), drive);
    Vector x = x_ + rate_v * (drive - x_);
    Vector v;
    if (m.visible() == Visible::Binary) kernels::sign_keep(x, v_, v);
    else v = x;
    if (!moved(x_, x) && !moved(h_, h) && !moved(v_, v)) return false;
    x_ = std::move(x);
    v_ = std::move(v);
    h_ = std::move(h);
    f_ = std::move(f);
    kernels::hidden_field(m.weights_transposed(), signs, v_, raw_);
    energy_ = m.energy(v_, h_, raw_);
    return true;
}

Trajectory recall(const Model& model, const Vector& cue, const RecallOptions& options) {
    // Non-owning: the model outlives this call.
    std::shared_ptr<const Model> view(&model, [](const Model*) {});
    Dynamics dynamics(view, cue, options);
    Trajectory t;
    auto record = [&] {
        t.energy.push_back(dynamics.energy());
        if (options.record_states) {
            t.visible.push_back(dynamics.visible());
            t.hidden.push_back(dynamics.hidden());
        }
    };
    record();
    t.stop = StopReason::StepLimit;
    while (dynamics.steps() < options.max_steps) {
        if (!dynamics.step()) {
            t.stop = dynamics.cycled() ? StopReason::Cycle : StopReason::Converged;
            break;
        }
        record();
    }
    t.steps = dynamics.steps();
    t.final_visible = dynamics.visible();
    t.final_hidden = dynamics.hidden();
    return t;
}

}  // namespace tdam
