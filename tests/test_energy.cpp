// Property tests: the energy (1) of model.hpp never increases under any
// schedule of any model (MODEL.md sections 1 and 3), over many seeds and sizes.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace tdam;
using tdam::test::non_increasing;

namespace {

struct Case {
    ModelKind kind;
    Visible visible;
    double parameter;
};

std::vector<Case> cases() {
    return {
        {ModelKind::Threshold, Visible::Linear, 0.5},  {ModelKind::Threshold, Visible::Linear, 0.2},
        {ModelKind::Threshold, Visible::Binary, 0.1},  {ModelKind::Threshold, Visible::Binary, 0.3},
        {ModelKind::Softmax, Visible::Linear, 0.05},   {ModelKind::Softmax, Visible::Binary, 0.05},
        {ModelKind::Softmax, Visible::Binary, 1.0},    {ModelKind::Polynomial, Visible::Binary, 2},
        {ModelKind::Polynomial, Visible::Binary, 3},   {ModelKind::Polynomial, Visible::Binary, 6},
        {ModelKind::Hopfield, Visible::Binary, 0},
    };
}

void check_schedule(Schedule schedule, double dt) {
    int runs = 0;
    for (const Case& c : cases())
        for (int nv : {16, 60, 150})
            for (int nh : {3, 9, 24})
                for (std::uint64_t seed = 1; seed <= 6; ++seed) {
                    Rng rng(seed * 7919 + static_cast<std::uint64_t>(nv * 31 + nh));
                    const auto kind = (seed % 2) ? WeightKind::PlusMinusOne : WeightKind::Gaussian;
                    const Matrix xi = random_weights(nv, nh, kind, rng);
                    auto model = make_model(c.kind, xi, c.parameter, c.visible);
                    if (seed % 3 == 0) model->set_input(0.3 * tdam::test::random_gauss(nv, rng));
                    RecallOptions o;
                    o.schedule = schedule;
                    o.max_steps = 60;
                    o.seed = seed;
                    o.dt = dt;
                    o.record_states = false;
                    const Vector cue = tdam::test::random_cue(*model, rng);
                    const Trajectory t = recall(*model, cue, o);
                    INFO(to_string(c.kind), " ", to_string(c.visible), " p=", c.parameter, " nv=", nv,
                         " nh=", nh, " seed=", seed);
                    REQUIRE(t.energy.size() == static_cast<std::size_t>(t.steps) + 1);
                    CHECK(non_increasing(t.energy));
                    ++runs;
                }
    CHECK(runs == 11 * 3 * 3 * 6);
}

}  // namespace

TEST_CASE("energy never increases under synchronous updates") { check_schedule(Schedule::Synchronous, 0.1); }

TEST_CASE("energy never increases under asynchronous updates") { check_schedule(Schedule::Asynchronous, 0.1); }

TEST_CASE("energy never increases in continuous time across the stable range of dt") {
    for (double dt : {0.05, 0.4, 1.0}) check_schedule(Schedule::Continuous, dt);
}

TEST_CASE("the reduced energy is the two-layer energy at hidden equilibrium") {
    Rng rng(3);
    for (const Case& c : cases()) {
        const Matrix xi = random_weights(40, 7, WeightKind::Gaussian, rng);
        auto model = make_model(c.kind, xi, c.parameter, c.visible);
        const Vector v = tdam::test::random_cue(*model, rng);
        const Vector raw = xi.transpose() * v;
        const Vector h = model->field_scale() * raw;
        INFO(to_string(c.kind));
        CHECK(model->energy(v) == doctest::Approx(model->energy(v, h, raw)).epsilon(1e-9));
    }
}

TEST_CASE("hopfield energy is -v^T W0 v / 2 with zero diagonal") {
    Rng rng(11);
    const Matrix xi = random_patterns(30, 5, rng);
    HopfieldNetwork net(xi);
    Matrix w = xi * xi.transpose() / 30.0;
    w.diagonal().setZero();
    const Vector v = tdam::test::random_pm1(30, rng);
    CHECK(net.energy(v) == doctest::Approx(-0.5 * v.dot(w * v)).epsilon(1e-12));
}

TEST_CASE("threshold energy matches MODEL.md's E(v)") {
    Rng rng(5);
    const Matrix xi = random_weights(50, 6, WeightKind::Gaussian, rng);
    ThresholdNetwork net(xi, 0.3);
    const Vector v = tdam::test::random_gauss(50, rng);
    double relu = 0;
    for (int mu = 0; mu < 6; ++mu) relu += std::max(0.0, xi.col(mu).dot(v) / 50.0 - 0.3);
    CHECK(net.energy(v) == doctest::Approx(v.squaredNorm() / 100.0 - relu).epsilon(1e-12));
}

TEST_CASE("continuous time outside the stable range is refused") {
    Rng rng(1);
    ThresholdNetwork net(random_weights(10, 3, WeightKind::PlusMinusOne, rng), 0.5);
    RecallOptions o;
    o.schedule = Schedule::Continuous;
    o.dt = 1.5;
    CHECK_THROWS_WITH_AS(recall(net, Vector::Ones(10), o), doctest::Contains("stable range"), Error);
}
