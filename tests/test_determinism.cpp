// Same seed, same result: the numbers that the wasm parity test compares.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace tdam;

namespace {
Trajectory run(ModelKind kind, Visible visible, double parameter, Schedule schedule, std::uint64_t seed) {
    Rng rng(seed);
    const Matrix xi = random_weights(120, 10, WeightKind::Gaussian, rng);
    auto model = make_model(kind, xi, parameter, visible);
    Vector cue = tdam::test::random_cue(*model, rng);
    RecallOptions o;
    o.schedule = schedule;
    o.seed = seed;
    o.max_steps = 40;
    return recall(*model, cue, o);
}
}  // namespace

TEST_CASE("the same seed gives bit-identical trajectories twice") {
    for (Schedule s : {Schedule::Synchronous, Schedule::Asynchronous, Schedule::Continuous})
        for (auto [kind, visible, p] : {std::tuple{ModelKind::Threshold, Visible::Linear, 0.2},
                                        std::tuple{ModelKind::Softmax, Visible::Linear, 0.3},
                                        std::tuple{ModelKind::Polynomial, Visible::Binary, 3.0},
                                        std::tuple{ModelKind::Hopfield, Visible::Binary, 0.0}}) {
            const Trajectory a = run(kind, visible, p, s, 5);
            const Trajectory b = run(kind, visible, p, s, 5);
            CHECK(a.energy == b.energy);
            CHECK(a.visible == b.visible);
            CHECK(a.hidden == b.hidden);
            const Trajectory c = run(kind, visible, p, s, 6);
            CHECK(c.energy != a.energy);
        }
}

TEST_CASE("sampled capacity with the same seed is identical; another seed differs") {
    Rng rng(1);
    ThresholdNetwork net(random_weights(100, 30, WeightKind::PlusMinusOne, rng), 0.5);
    CapacityOptions o;
    o.samples = 2000;
    o.seed = 3;
    const CapacityResult a = count_stable_codes(net, o);
    const CapacityResult b = count_stable_codes(net, o);
    CHECK(a.stable_checked == b.stable_checked);
    o.seed = 4;
    const CapacityResult c = count_stable_codes(net, o);
    CHECK(a.checked == c.checked);
}
