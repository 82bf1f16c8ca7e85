#pragma once
// The benchmark's workloads (bench/README.md), shared by the native bench
// (native_bench.cpp) and the wasm bench module (wasm_bench.cpp) so both time
// exactly the same work on exactly the same data. JS builds the same data
// through the tdam wrapper (bench/run.mjs), from the same seeds.
#include <cstdint>
#include <memory>
#include <vector>

#include "tdam/kernels.hpp"
#include "tdam/tdam.hpp"

namespace bench {

// One synchronous recall step with a binary state: random +-1 (or Gaussian)
// weights, a binary-visible threshold network, and a cue that is the
// pattern sign(xi s) of the code s with units 0, every, 2 every, ... on,
// with a fraction `flip` of its pixels flipped.
struct StepSetup {
    int nv = 4096;
    int nh = 512;
    double theta = 0.05;
    int every = 32;  // 16 active units of 512
    double flip = 0.2;
    std::uint64_t weight_seed = 1;
    std::uint64_t cue_seed = 2;
    tdam::WeightKind weights = tdam::WeightKind::PlusMinusOne;
};

struct Step {
    StepSetup setup;
    std::shared_ptr<tdam::ThresholdNetwork> net;
    tdam::Vector cue;
    std::unique_ptr<tdam::Dynamics> start;  // at the cue (its fields computed)
    tdam::Vector after_v, after_f;          // the state one step later
};

inline Step make_step(const StepSetup& s) {
    Step step;
    step.setup = s;
    tdam::Rng rng(s.weight_seed);
    const tdam::Matrix xi = tdam::random_weights(s.nv, s.nh, s.weights, rng);
    step.net = std::make_shared<tdam::ThresholdNetwork>(xi, s.theta, tdam::Visible::Binary);
    tdam::Vector code = tdam::Vector::Zero(s.nh);
    for (int mu = 0; mu < s.nh; mu += s.every) code[mu] = 1.0;
    tdam::Rng cue_rng(s.cue_seed);
    step.cue = tdam::flip_fraction(tdam::code_pattern(*step.net, code), s.flip, cue_rng);
    tdam::RecallOptions o;
    o.record_states = false;
    step.start = std::make_unique<tdam::Dynamics>(step.net, step.cue, o);
    tdam::Dynamics d = *step.start;
    d.step();
    step.after_v = d.visible();
    step.after_f = d.hidden();
    return step;
}

// sum_i v_i (i mod 97 + 1) + 10^6 * (active hidden units): an exact integer
// that every implementation of the step must reproduce.
inline double checksum(const tdam::Vector& v, const tdam::Vector& f) {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i) sum += v[i] * static_cast<double>(i % 97 + 1);
    double active = 0.0;
    for (Eigen::Index mu = 0; mu < f.size(); ++mu) active += f[mu] != 0.0 ? 1.0 : 0.0;
    return sum + 1e6 * active;
}

// `count` copies of the start, to be stepped once each (the copies are made
// before the clock starts).
inline std::vector<tdam::Dynamics> copies(const Step& step, int count) {
    return std::vector<tdam::Dynamics>(static_cast<std::size_t>(count), *step.start);
}

// Steps every copy once; returns a value that depends on all of them.
inline double step_all(std::vector<tdam::Dynamics>& ds) {
    double sink = 0.0;
    for (tdam::Dynamics& d : ds) {
        d.step();
        sink += d.energy();
    }
    return sink;
}

// The kernels of one step on their own, at the stepped state.
struct Kernels {
    tdam::kernels::SignWeights signs;
    tdam::Vector raw, drive, v;
};

inline double hidden_field_fast(const Step& s, Kernels& k) {
    tdam::kernels::hidden_field(s.net->weights_transposed(), k.signs, s.after_v, k.raw);
    return k.raw[0];
}
inline double hidden_field_plain(const Step& s, Kernels& k) {
    tdam::kernels::reference::hidden_field(s.net->weights_transposed(), s.after_v, k.raw);
    return k.raw[0];
}
inline double visible_drive_fast(const Step& s, Kernels& k) {
    tdam::kernels::visible_drive(s.net->weights(), k.signs, s.after_f, s.net->input(), k.drive);
    return k.drive[0];
}
inline double visible_drive_plain(const Step& s, Kernels& k) {
    tdam::kernels::reference::visible_drive(s.net->weights(), s.after_f, s.net->input(), k.drive);
    return k.drive[0];
}
inline double sign_update(const Step& s, Kernels& k) {
    tdam::kernels::sign_keep(k.drive, s.cue, k.v);
    return k.v[0];
}

// The exhaustive capacity count: random +-1 weights, theta = 0.5, linear
// visible neurons (MODEL.md section 2's table).
struct CapacitySetup {
    int nv = 1000;
    int nh = 16;
    double theta = 0.5;
    std::uint64_t seed = 1;
};

inline std::shared_ptr<tdam::ThresholdNetwork> make_capacity(const CapacitySetup& c) {
    tdam::Rng rng(c.seed);
    return std::make_shared<tdam::ThresholdNetwork>(
        tdam::random_weights(c.nv, c.nh, tdam::WeightKind::PlusMinusOne, rng), c.theta);
}

inline double count_stable(const tdam::ThresholdNetwork& net) {
    return tdam::count_stable_codes(net, {}).stable;
}

}  // namespace bench
