// Fuzz target: make_model + recall under every schedule, on small models.
//
// The bytes choose (through FuzzedDataProvider) the model kind, visible
// neurons, N_v <= 64, N_h <= 16, the weights, the model parameter (theta,
// beta or order), an optional input current, the cue and the recall options
// (max_steps <= 50, tolerance, seed, dt, tau_v, tau_h). Values come in two
// flavours:
//   - "moderate": small integers and dyadic fractions, |x| <= 128, parameters
//     in their sensible range; the energy must then stay finite;
//   - "raw": any 64-bit pattern (NaN, infinities, subnormals, 1e308, ...):
//     only clean rejection or success is demanded.
//
// Properties (any violation aborts):
//  - building the model and recall either succeed or throw tdam::Error;
//  - on success: energy has steps + 1 entries, steps <= max_steps, the stop
//    reason agrees with the step count, recorded states (if asked) match,
//    the final state has N_v entries (±1 for binary neurons);
//  - moderate inputs: every energy is finite and none exceeds the one before
//    by more than 1e-10 (1 + |E|) (the slack tests/helpers.hpp allows);
//  - recall is deterministic: a second run gives bit-identical results.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "tdam/dynamics.hpp"
#include "tdam/error.hpp"
#include "tdam/make_model.hpp"
#include "tdam/threshold.hpp"
#include "tdam/types.hpp"

#include "harness.hpp"

namespace {

constexpr int kMaxVisible = 64;
constexpr int kMaxHidden = 16;
constexpr int kMaxSteps = 50;

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_recall: property violated: %s\n", what.c_str());
    std::abort();
}

void check(bool ok, const std::string& what) {
    if (!ok) fail(what);
}

double raw_double(FuzzedDataProvider& in) {
    const std::uint64_t bits = in.ConsumeIntegral<std::uint64_t>();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// A value of weights, cue or input current.
double value(FuzzedDataProvider& in, int mode) {
    switch (mode) {
        case 0: return in.ConsumeBool() ? 1.0 : -1.0;
        case 1: return in.ConsumeIntegral<std::int8_t>() / 8.0;     // |x| <= 16, step 1/8
        case 2: return in.ConsumeIntegral<std::int16_t>() / 256.0;  // |x| <= 128, step 1/256
        default: return raw_double(in);
    }
}

const char* kind_name(tdam::ModelKind k) { return tdam::to_string(k); }

struct Setup {
    tdam::ModelKind kind = tdam::ModelKind::Threshold;
    tdam::Visible visible = tdam::Visible::Linear;
    bool moderate = true;  // every value is in the moderate flavour
    bool theta_vector = false;
    double parameter = 0.5;
    tdam::Vector theta;
    tdam::Matrix weights;
    tdam::Vector input, cue;
    tdam::RecallOptions options;
};

Setup read_setup(FuzzedDataProvider& in) {
    Setup s;
    s.kind = static_cast<tdam::ModelKind>(in.ConsumeIntegralInRange<int>(0, 3));
    s.visible = in.ConsumeBool() ? tdam::Visible::Binary : tdam::Visible::Linear;
    const int nv = in.ConsumeIntegralInRange<int>(1, kMaxVisible);
    const int nh = in.ConsumeIntegralInRange<int>(1, kMaxHidden);

    const int weight_mode = in.ConsumeIntegralInRange<int>(0, 3);
    s.moderate = weight_mode != 3;
    s.weights.resize(nv, nh);
    for (int j = 0; j < nh; ++j)
        for (int i = 0; i < nv; ++i) s.weights(i, j) = value(in, weight_mode);

    // The parameter: theta in [-4, 4], beta in [1/16, 16], order 2..30, or raw.
    const int param_mode = in.ConsumeIntegralInRange<int>(0, 2);
    if (param_mode == 2) {
        s.moderate = false;
        s.parameter = raw_double(in);
    } else if (param_mode == 1) {
        s.parameter = in.ConsumeIntegralInRange<int>(-5, 40);  // also out of range for order
    } else {
        switch (s.kind) {
            case tdam::ModelKind::Threshold: s.parameter = in.ConsumeIntegral<std::int8_t>() / 32.0; break;
            case tdam::ModelKind::Softmax: s.parameter = in.ConsumeIntegralInRange<int>(1, 256) / 16.0; break;
            case tdam::ModelKind::Polynomial: s.parameter = in.ConsumeIntegralInRange<int>(2, 30); break;
            case tdam::ModelKind::Hopfield: s.parameter = 0.0; break;
        }
    }
    if (s.kind == tdam::ModelKind::Threshold && in.ConsumeBool()) {
        s.theta_vector = true;
        s.theta.resize(nh);
        const bool raw = param_mode == 2;
        for (int mu = 0; mu < nh; ++mu)
            s.theta[mu] = raw ? raw_double(in) : in.ConsumeIntegral<std::int8_t>() / 32.0;
    }

    if (in.ConsumeBool()) {
        const int input_mode = in.ConsumeIntegralInRange<int>(1, 3);
        if (input_mode == 3) s.moderate = false;
        s.input.resize(nv);
        for (int i = 0; i < nv; ++i) s.input[i] = value(in, input_mode);
    }

    const int cue_mode = s.visible == tdam::Visible::Binary && in.ConsumeBool()
                             ? 0
                             : in.ConsumeIntegralInRange<int>(0, 3);
    if (cue_mode == 3) s.moderate = false;
    s.cue.resize(nv);
    for (int i = 0; i < nv; ++i) s.cue[i] = value(in, cue_mode);

    tdam::RecallOptions& o = s.options;
    o.max_steps = in.ConsumeIntegralInRange<int>(0, kMaxSteps);
    const double tolerances[] = {0.0, 1e-12, 1e-9, 1e-6, 1e-3, 0.1, -1.0, NAN};
    o.tolerance = in.PickValueInArray(tolerances);
    o.seed = in.ConsumeIntegral<std::uint64_t>();
    // dt, tau_v, tau_h from a grid that includes invalid values (refused by
    // check_options) and dt > tau (outside the stable range, also refused).
    const double times[] = {0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 0.0, -1.0, INFINITY, NAN};
    o.dt = in.PickValueInArray(times);
    o.tau_v = in.PickValueInArray(times);
    o.tau_h = in.PickValueInArray(times);
    o.record_states = in.ConsumeBool();
    return s;
}

std::unique_ptr<tdam::Model> build(const Setup& s) {
    std::unique_ptr<tdam::Model> model;
    if (s.theta_vector)
        model = std::make_unique<tdam::ThresholdNetwork>(s.weights, s.theta, s.visible);
    else
        model = tdam::make_model(s.kind, s.weights, s.parameter, s.visible);
    if (s.input.size()) model->set_input(s.input);
    return model;
}

bool same(const tdam::Vector& a, const tdam::Vector& b) {
    return a.size() == b.size() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0);
}

void check_trajectory(const Setup& s, const tdam::Model& model, const tdam::RecallOptions& o,
                      const tdam::Trajectory& t) {
    const std::string where = std::string(kind_name(s.kind)) + "/" + tdam::to_string(s.visible) + "/" +
                              tdam::to_string(o.schedule) + ": ";
    const auto n = static_cast<std::size_t>(t.steps) + 1;
    check(t.steps >= 0 && t.steps <= o.max_steps, where + "step count out of range");
    check(t.energy.size() == n, where + "energy is not steps + 1 long");
    check(t.stop == tdam::StopReason::StepLimit ? t.steps == o.max_steps : t.steps < o.max_steps,
          where + "stop reason does not match the step count");
    if (o.schedule != tdam::Schedule::Synchronous)
        check(t.stop != tdam::StopReason::Cycle, where + "cycle reported outside the synchronous schedule");
    if (o.record_states) {
        check(t.visible.size() == n && t.hidden.size() == n, where + "recorded states are not steps + 1");
        check(same(t.visible.front(), s.cue), where + "first recorded state is not the cue");
        check(same(t.visible.back(), t.final_visible), where + "last recorded state is not the final one");
    } else {
        check(t.visible.empty() && t.hidden.empty(), where + "states recorded though not asked");
    }
    check(t.final_visible.size() == model.nv(), where + "final state has the wrong size");
    check(t.final_hidden.size() == model.nh(), where + "final hidden state has the wrong size");
    for (Eigen::Index i = 0; i < t.final_visible.size(); ++i) {
        const double v = t.final_visible[i];
        if (model.visible() == tdam::Visible::Binary)
            check(v == 1.0 || v == -1.0, where + "binary final state is not ±1");
        if (s.moderate) check(std::isfinite(v), where + "final state is not finite");
    }
    if (!s.moderate) return;
    for (std::size_t k = 0; k < t.energy.size(); ++k)
        check(std::isfinite(t.energy[k]), where + "energy " + std::to_string(k) + " is not finite");
    for (std::size_t k = 1; k < t.energy.size(); ++k) {
        const double slack = 1e-10 * (1.0 + std::fabs(t.energy[k - 1]));
        if (t.energy[k] > t.energy[k - 1] + slack) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "energy rose at step %zu: %.17g -> %.17g", k, t.energy[k - 1],
                          t.energy[k]);
            fail(where + buf);
        }
    }
}

void run(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const Setup s = read_setup(in);
    std::unique_ptr<tdam::Model> model;
    try {
        model = build(s);
    } catch (const tdam::Error&) {
        return;  // rejected cleanly (NaN weights, order out of range, ...)
    }
    const tdam::Schedule schedules[] = {tdam::Schedule::Synchronous, tdam::Schedule::Asynchronous,
                                        tdam::Schedule::Continuous};
    for (tdam::Schedule schedule : schedules) {
        tdam::RecallOptions o = s.options;
        o.schedule = schedule;
        tdam::Trajectory t;
        try {
            t = tdam::recall(*model, s.cue, o);
        } catch (const tdam::Error&) {
            continue;  // e.g. a NaN tolerance, dt outside the stable range, a bad cue
        }
        check_trajectory(s, *model, o, t);
        const tdam::Trajectory again = tdam::recall(*model, s.cue, o);
        check(again.steps == t.steps && again.stop == t.stop && same(again.final_visible, t.final_visible) &&
                  same(again.final_hidden, t.final_hidden) &&
                  std::memcmp(again.energy.data(), t.energy.data(), sizeof(double) * t.energy.size()) == 0,
              "recall is not deterministic");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return tdam::fuzz::abort_on_escape([&] { run(data, size); });
}
