// The baselines of MODEL.md section 3 store one memory per hidden unit.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace tdam;

TEST_CASE("each baseline stores its N_h patterns, and the threshold network 2^N_h - 1 codes") {
    Rng rng(1);
    const Matrix patterns = random_patterns(1000, 12, rng);
    const auto softmax = make_model(ModelKind::Softmax, patterns, 1.0, Visible::Binary);
    const auto polynomial = make_model(ModelKind::Polynomial, patterns, 3, Visible::Binary);
    const auto hopfield = make_model(ModelKind::Hopfield, patterns, 0, Visible::Binary);
    for (const Model* m : {softmax.get(), polynomial.get(), hopfield.get()}) {
        INFO(to_string(m->kind()));
        CHECK(count_stable_patterns(*m, Schedule::Synchronous) == 12);
        CHECK(count_stable_patterns(*m, Schedule::Asynchronous) == 12);
    }
    ThresholdNetwork threshold(patterns, 0.5);
    CHECK(count_stable_codes(threshold, {}).stable == 4095);
}

TEST_CASE("softmax: over all 2^14 states, the only fixed points are the stored patterns") {
    const int nv = 14, nh = 4;
    Rng rng(3);
    const Matrix patterns = random_patterns(nv, nh, rng);
    SoftmaxNetwork net(patterns, 1.0, Visible::Binary);
    int fixed = 0, stored = 0;
    for (int bits = 0; bits < (1 << nv); ++bits) {
        Vector v(nv);
        for (int i = 0; i < nv; ++i) v[i] = ((bits >> i) & 1) ? 1.0 : -1.0;
        if (!is_fixed_point(net, v, Schedule::Asynchronous)) continue;
        ++fixed;
        for (int mu = 0; mu < nh; ++mu)
            if (v == patterns.col(mu)) ++stored;
    }
    CHECK(fixed == nh);
    CHECK(stored == nh);
}

TEST_CASE("Hebbian Hopfield with random patterns loses stability near 0.14 N_v") {
    const int nv = 400;
    RecallOptions o;
    o.schedule = Schedule::Asynchronous;
    o.max_steps = 50;
    auto retention = [&](double load) {
        Rng rng(7);
        HopfieldNetwork net(random_patterns(nv, static_cast<int>(load * nv), rng));
        return pattern_retention(net, o);
    };
    const Retention low = retention(0.08);
    CHECK(low.retained >= 0.95 * low.patterns);
    CHECK(low.mean_overlap > 0.97);
    const Retention high = retention(0.22);
    CHECK(high.retained < 0.5 * high.patterns);
    CHECK(high.mean_overlap < 0.7);
    // All patterns exactly stable only at a much lower load (about N_v / (4 ln N_v)).
    Rng rng(1);
    const int load = largest_stable_load(ModelKind::Hopfield, random_patterns(nv, 60, rng), 0, Visible::Binary,
                                         Schedule::Asynchronous);
    CHECK(load >= 10);
    CHECK(load < static_cast<int>(0.14 * nv));
}

TEST_CASE("recall from a corrupted stored pattern returns it, for every baseline and schedule") {
    Rng rng(2);
    const Matrix patterns = random_patterns(300, 8, rng);
    const auto softmax = make_model(ModelKind::Softmax, patterns, 0.5, Visible::Binary);
    const auto softmax_linear = make_model(ModelKind::Softmax, patterns, 0.5, Visible::Linear);
    const auto polynomial = make_model(ModelKind::Polynomial, patterns, 3, Visible::Binary);
    const auto hopfield = make_model(ModelKind::Hopfield, patterns, 0, Visible::Binary);
    for (const Model* m : {softmax.get(), softmax_linear.get(), polynomial.get(), hopfield.get()})
        for (Schedule schedule : {Schedule::Synchronous, Schedule::Asynchronous, Schedule::Continuous}) {
            RecallOptions o;
            o.schedule = schedule;
            o.max_steps = 2000;
            o.tolerance = 1e-12;
            for (int mu = 0; mu < 8; ++mu) {
                const Vector cue = flip_fraction(patterns.col(mu), 0.2, rng);
                const Trajectory t = recall(*m, cue, o);
                INFO(to_string(m->kind()), " ", to_string(m->visible()), " ", to_string(schedule), " ", mu);
                CHECK(t.stop == StopReason::Converged);
                CHECK((t.final_visible - patterns.col(mu)).cwiseAbs().maxCoeff() < 1e-6);
            }
        }
}

TEST_CASE("baselines reject bad parameters with a message") {
    const Matrix p = Matrix::Ones(6, 2);
    CHECK_THROWS_WITH_AS(SoftmaxNetwork(p, 0.0), doctest::Contains("beta must be positive"), Error);
    CHECK_THROWS_WITH_AS(SoftmaxNetwork(p, std::nan("")), doctest::Contains("beta must be positive"), Error);
    CHECK_THROWS_WITH_AS(PolynomialNetwork(p, 1), doctest::Contains("order must be between 2"), Error);
    CHECK_THROWS_WITH_AS(make_model(ModelKind::Polynomial, p, 2.5, Visible::Binary),
                         doctest::Contains("must be an integer"), Error);
    CHECK_THROWS_WITH_AS(make_model(ModelKind::Hopfield, p, 0, Visible::Linear),
                         doctest::Contains("binary visible neurons only"), Error);
    CHECK_THROWS_WITH_AS(parse_model_kind("boltzmann"), doctest::Contains("unknown model 'boltzmann'"), Error);
}

TEST_CASE("a polynomial order outside int's range is refused, not cast") {
    const Matrix p = Matrix::Ones(6, 2);
    for (double order : {std::nan(""), std::numeric_limits<double>::infinity(), 3e9, -2.25e306, 31.0})
        CHECK_THROWS_AS(make_model(ModelKind::Polynomial, p, order, Visible::Binary), Error);
}
