// The fast kernels against the plain loops they replace (kernels::reference
// and the walks written out here), bit for bit, on random inputs of awkward
// sizes (one entry, a word boundary +-1, odd lengths) and on every path:
// float weights with +-1, 0/1, sparse and dense real states; +-1 weights
// through XNOR-popcount and int8 column sums; the fallbacks.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "helpers.hpp"
#include "tdam/kernels.hpp"

using namespace tdam;
namespace k = tdam::kernels;

namespace {

bool same_bits(const Vector& a, const Vector& b) {
    if (a.size() != b.size()) return false;
    return std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

bool same_bits(const Matrix& a, const Matrix& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
    return std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

const int kSizes[] = {1, 2, 3, 7, 16, 17, 31, 63, 64, 65, 127, 130, 200};

enum class State { PlusMinus, ZeroOne, Sparse, Dense, Integer };
const State kStates[] = {State::PlusMinus, State::ZeroOne, State::Sparse, State::Dense, State::Integer};

Vector random_state(int n, State s, Rng& rng) {
    Vector v(n);
    for (int i = 0; i < n; ++i) {
        switch (s) {
            case State::PlusMinus: v[i] = rng.coin() ? 1.0 : -1.0; break;
            case State::ZeroOne: v[i] = rng.coin() ? 1.0 : 0.0; break;
            case State::Sparse: v[i] = rng.uniform() < 0.2 ? rng.normal() : 0.0; break;
            case State::Dense: v[i] = rng.normal() * 3.0; break;
            case State::Integer: v[i] = static_cast<double>(static_cast<int>(rng.below(7)) - 3); break;
        }
    }
    return v;
}

Matrix random_matrix(int rows, int cols, bool pm1, Rng& rng) {
    return random_weights(rows, cols, pm1 ? WeightKind::PlusMinusOne : WeightKind::Gaussian, rng);
}

// The exhaustive walk as capacity.cpp had it: a recursive depth-first walk
// that copies the parent's field and adds a Gram column, and divides.
struct PlainWalk {
    const Matrix& g;
    const Vector& theta;
    double nv;
    int nh;
    std::vector<Vector> fields;
    std::vector<unsigned char> code;
    std::int64_t visited = 0, stable = 0;
    std::vector<std::int64_t> ticks;

    PlainWalk(const Matrix& gram, const Vector& base, const Vector& t, double n)
        : g(gram), theta(t), nv(n), nh(static_cast<int>(gram.rows())), fields(nh + 1), code(nh, 0) {
        fields[0] = base;
    }
    void visit(int u) {
        if (u == nh) {
            ++visited;
            if (visited > 1) {
                bool ok = true;
                for (int mu = 0; mu < nh; ++mu)
                    if ((fields[nh][mu] / nv - theta[mu] > 0.0) != (code[mu] != 0)) ok = false;
                if (ok) ++stable;
            }
            if ((visited & 0xFFF) == 0) ticks.push_back(visited);
            return;
        }
        code[u] = 0;
        fields[u + 1] = fields[u];
        visit(u + 1);
        code[u] = 1;
        fields[u + 1] = fields[u];
        k::add_scaled(fields[u + 1], 1.0, g.col(u).data());
        visit(u + 1);
        code[u] = 0;
    }
};

std::int64_t fast_count(const Matrix& gram, const Vector& base, const Vector& theta, double nv,
                        std::vector<std::int64_t>* ticks = nullptr) {
    return k::count_fixed_codes(gram, base, theta, nv, [&](std::int64_t visited) {
        if (ticks) ticks->push_back(visited);
        return true;
    });
}

}  // namespace

TEST_CASE("hidden_field: float weights, every kind of state, bit for bit") {
    Rng rng(11);
    for (int nv : kSizes)
        for (int nh : {1, 2, 5, 16, 17, 33, 70}) {
            const Matrix xi = random_matrix(nv, nh, false, rng);
            const Matrix xi_t = xi.transpose();
            const k::SignWeights none = k::SignWeights::pack(xi);
            CHECK(none.empty());
            for (State s : kStates) {
                const Vector v = random_state(nv, s, rng);
                Vector ref, fast, fast2;
                k::reference::hidden_field(xi_t, v, ref);
                k::hidden_field(xi_t, v, fast);
                k::hidden_field(xi_t, none, v, fast2);
                CHECK(same_bits(ref, fast));
                CHECK(same_bits(ref, fast2));
            }
        }
}

TEST_CASE("hidden_field: +-1 weights with a +-1 state use XNOR-popcount, exactly") {
    Rng rng(12);
    for (int nv : {1, 2, 63, 64, 65, 127, 128, 129, 200, 1000, 4096})
        for (int nh : {1, 3, 16, 17, 64}) {
            const Matrix xi = random_matrix(nv, nh, true, rng);
            const Matrix xi_t = xi.transpose();
            const k::SignWeights signs = k::SignWeights::pack(xi);
            REQUIRE_FALSE(signs.empty());
            CHECK(signs.nv() == nv);
            CHECK(signs.nh() == nh);
            for (State s : kStates) {  // +-1 takes the popcount path, the rest fall back
                const Vector v = random_state(nv, s, rng);
                Vector ref, fast;
                k::reference::hidden_field(xi_t, v, ref);
                k::hidden_field(xi_t, signs, v, fast);
                CHECK(same_bits(ref, fast));
            }
            // all +1 and all -1: the extremes +-N_v
            for (double x : {1.0, -1.0}) {
                const Vector v = Vector::Constant(nv, x);
                Vector ref, fast;
                k::reference::hidden_field(xi_t, v, ref);
                k::hidden_field(xi_t, signs, v, fast);
                CHECK(same_bits(ref, fast));
            }
        }
}

TEST_CASE("visible_drive: float and +-1 weights, 0/1 and real codes, with and without input") {
    Rng rng(13);
    for (int nv : kSizes)
        for (int nh : {1, 2, 5, 16, 17, 40})
            for (bool pm1 : {false, true}) {
                const Matrix xi = random_matrix(nv, nh, pm1, rng);
                const k::SignWeights signs = k::SignWeights::pack(xi);
                CHECK(signs.empty() == !pm1);
                for (State s : kStates)
                    for (bool with_input : {false, true}) {
                        const Vector f = random_state(nh, s, rng);
                        const Vector input = with_input ? random_state(nv, State::Dense, rng) : Vector();
                        Vector ref, fast, fast2;
                        k::reference::visible_drive(xi, f, input, ref);
                        k::visible_drive(xi, f, input, fast);
                        k::visible_drive(xi, signs, f, input, fast2);
                        CHECK(same_bits(ref, fast));
                        CHECK(same_bits(ref, fast2));
                    }
            }
}

TEST_CASE("visible_drive: +-1 weights with many active units (int8 groups, long sums)") {
    Rng rng(14);
    const Matrix xi = random_matrix(300, 1000, true, rng);
    const k::SignWeights signs = k::SignWeights::pack(xi);
    REQUIRE_FALSE(signs.empty());
    for (double p : {0.0, 0.01, 0.5, 1.0}) {
        Vector f(1000);
        for (int mu = 0; mu < 1000; ++mu) f[mu] = rng.uniform() < p ? 1.0 : 0.0;
        Vector ref, fast;
        k::reference::visible_drive(xi, f, Vector(), ref);
        k::visible_drive(xi, signs, f, Vector(), fast);
        CHECK(same_bits(ref, fast));
        // an input of -0 entries: 0 + -0 is +0 both ways
        const Vector minus_zero = Vector::Constant(300, -0.0);
        k::reference::visible_drive(xi, f, minus_zero, ref);
        k::visible_drive(xi, signs, f, minus_zero, fast);
        CHECK(same_bits(ref, fast));
    }
}

TEST_CASE("SignWeights::pack accepts exactly +-1 and nothing else") {
    Rng rng(15);
    Matrix xi = random_matrix(70, 3, true, rng);
    CHECK_FALSE(k::SignWeights::pack(xi).empty());
    for (double bad : {0.0, -0.0, 0.5, 2.0, -1.0000000000000002, std::numeric_limits<double>::infinity()}) {
        Matrix w = xi;
        w(69, 2) = bad;
        CHECK(k::SignWeights::pack(w).empty());
        w = xi;
        w(0, 0) = bad;
        CHECK(k::SignWeights::pack(w).empty());
    }
}

TEST_CASE("sign_keep matches Model::sign_keep entry by entry") {
    Rng rng(16);
    for (int n : kSizes) {
        Vector d = random_state(n, State::Integer, rng), old = random_state(n, State::PlusMinus, rng);
        if (n > 2) {
            d[0] = -0.0;
            d[1] = std::numeric_limits<double>::quiet_NaN();
        }
        Vector out;
        k::sign_keep(d, old, out);
        Vector ref(n);
        for (int i = 0; i < n; ++i) ref[i] = Model::sign_keep(d[i], old[i]);
        CHECK(same_bits(ref, out));
    }
}

TEST_CASE("gram: vectorised across outputs, equal to the pairwise dots") {
    Rng rng(17);
    for (int nv : {1, 5, 64, 100, 1000})
        for (int nh : {1, 2, 7, 16, 33})
            for (bool pm1 : {false, true}) {
                Matrix xi = random_matrix(nv, nh, pm1, rng);
                if (!pm1 && nv > 3) xi(1, 0) = 0.0;
                CHECK(same_bits(k::reference::gram(xi), k::gram(xi)));
            }
}

TEST_CASE("on_from: x / nv - theta > 0 exactly when x >= on_from(nv, theta)") {
    Rng rng(18);
    const double inf = std::numeric_limits<double>::infinity();
    auto on = [](double x, double nv, double theta) { return x / nv - theta > 0.0; };
    for (int trial = 0; trial < 400; ++trial) {
        const double nv = static_cast<double>(1 + rng.below(5000));
        const double theta = trial % 5 == 0 ? 0.5 : rng.normal() * std::pow(10.0, static_cast<int>(rng.below(7)) - 3);
        const double t = k::on_from(nv, theta);
        REQUIRE(std::isfinite(t));
        CHECK(on(t, nv, theta));
        CHECK_FALSE(on(std::nextafter(t, -inf), nv, theta));
        for (int j = 0; j < 50; ++j) {
            const double x = j % 2 ? t + rng.normal() * std::fabs(t) * 1e-12 : rng.normal() * nv * 2;
            CHECK(on(x, nv, theta) == (x >= t));
        }
        for (double x : {-inf, inf, 0.0, -0.0}) CHECK(on(x, nv, theta) == (x >= t));
    }
    CHECK(std::isnan(k::on_from(10.0, inf)));  // never on
    for (double theta : {-inf, 1e300, -1e-300, 5e-324, 1.7976931348623157e308}) {
        const double t = k::on_from(10.0, theta);
        for (double x : {-inf, -1e308, -1.0, 0.0, 1.0, 1e308, inf})
            CHECK(on(x, 10.0, theta) == (x >= t));
    }
}

TEST_CASE("count_fixed_codes equals the plain depth-first walk, on every lane type") {
    Rng rng(19);
    struct Case {
        int nv, nh, scale;
        bool gauss, input;
    };
    // int16 lanes (+-1), int32 lanes (integers up to +-40), doubles (Gaussian,
    // or an input current)
    for (const Case c : {Case{50, 1, 1, false, false}, Case{50, 2, 1, false, false}, Case{100, 7, 1, false, false},
                         Case{100, 12, 1, false, false}, Case{300, 12, 1, false, false}, Case{60, 16, 1, false, false},
                         Case{1000, 16, 1, false, false}, Case{40, 17, 1, false, false}, Case{80, 9, 40, false, false},
                         Case{500, 10, 40, false, false}, Case{50, 10, 1, true, false}, Case{200, 13, 1, true, false},
                         Case{50, 10, 1, false, true}, Case{40, 18, 1, true, true}}) {
        Matrix xi = random_matrix(c.nv, c.nh, !c.gauss, rng);
        if (c.scale > 1)
            for (Eigen::Index j = 0; j < xi.size(); ++j)
                xi.data()[j] = static_cast<double>(static_cast<int>(rng.below(2 * c.scale + 1)) - c.scale);
        const Matrix g = k::gram(xi);
        Vector base = Vector::Zero(c.nh);
        if (c.input) k::hidden_field(xi.transpose(), tdam::test::random_gauss(c.nv, rng) * 0.3, base);
        for (int variant = 0; variant < 3; ++variant) {
            Vector theta = Vector::Constant(c.nh, 0.5);
            if (variant == 1)
                for (int mu = 0; mu < c.nh; ++mu) theta[mu] = rng.normal() * 0.5 * c.scale * c.scale;
            if (variant == 2 && c.nh > 2) {
                theta[0] = 1e300;   // never on
                theta[1] = -1e300;  // always on
            }
            PlainWalk plain(g, base, theta, c.nv);
            plain.visit(0);
            std::vector<std::int64_t> ticks;
            const std::int64_t fast = fast_count(g, base, theta, c.nv, &ticks);
            CHECK(fast == plain.stable);
            CHECK(ticks == plain.ticks);
        }
    }
}

TEST_CASE("count_fixed_codes stops when tick says so") {
    Rng rng(20);
    const Matrix xi = random_matrix(100, 14, true, rng);
    int calls = 0;
    const std::int64_t r = k::count_fixed_codes(k::gram(xi), Vector::Zero(14), Vector::Constant(14, 0.5), 100.0,
                                                [&](std::int64_t) { return ++calls < 2; });
    CHECK(r == -1);
    CHECK(calls == 2);
}

TEST_CASE("stable_binary_code equals the pattern-then-field check") {
    Rng rng(21);
    for (int nv : {1, 50, 64, 65, 200})
        for (int nh : {1, 6, 10}) {
            const Matrix xi = random_matrix(nv, nh, true, rng);
            for (bool with_input : {false, true}) {
                ThresholdNetwork net(xi, 0.1, Visible::Binary);
                if (with_input) net.set_input(tdam::test::random_gauss(nv, rng) * 0.7);
                const k::SignWeights signs = k::SignWeights::pack(xi);
                for (std::uint64_t bits = 1; bits < (std::uint64_t{1} << nh); ++bits) {
                    const Vector s = tdam::test::code_from_bits(bits, nh);
                    Vector v, raw, next;
                    k::reference::visible_drive(xi, s, net.input(), v);
                    for (int i = 0; i < nv; ++i) v[i] = v[i] >= 0.0 ? 1.0 : -1.0;
                    k::reference::hidden_field(net.weights_transposed(), v, raw);
                    net.activate(net.field_scale() * raw, next);
                    CHECK(k::stable_binary_code(signs, s, net.input(), net.field_scale(), net.theta()) == (next == s));
                }
            }
        }
}

TEST_CASE("synchronous dynamics equal a step written with the reference kernels") {
    Rng rng(22);
    for (bool pm1 : {true, false})
        for (Visible visible : {Visible::Binary, Visible::Linear})
            for (auto [nv, nh] : {std::pair{130, 9}, std::pair{1000, 40}}) {
                const Matrix xi = random_matrix(nv, nh, pm1, rng);
                auto net = std::make_shared<ThresholdNetwork>(xi, visible == Visible::Binary ? 0.08 : 0.3, visible);
                Vector code = Vector::Zero(nh);
                for (int mu = 0; mu < nh; mu += 4) code[mu] = 1.0;
                Vector v = code_pattern(*net, code);
                for (int i = 0; i < nv; i += 5) v[i] = visible == Visible::Binary ? -v[i] : v[i] + 0.5;
                RecallOptions o;
                o.record_states = false;
                Dynamics d(net, v, o);
                Vector raw;
                k::reference::hidden_field(net->weights_transposed(), v, raw);
                for (int step = 0; step < 6; ++step) {
                    Vector h = net->field_scale() * raw, f, drive;
                    net->activate(h, f);
                    k::reference::visible_drive(xi, f, net->input(), drive);
                    Vector next = drive;
                    if (visible == Visible::Binary)
                        for (int i = 0; i < nv; ++i) next[i] = Model::sign_keep(drive[i], v[i]);
                    const bool moved = d.step();
                    if (!moved) break;
                    v = next;
                    k::reference::hidden_field(net->weights_transposed(), v, raw);
                    CHECK(same_bits(d.visible(), v));
                    CHECK(same_bits(d.hidden(), f));
                    CHECK(d.energy() == net->energy(v, h, raw));
                }
            }
}

TEST_CASE("a dynamics copy shares the packed weights and outlives the original") {
    Rng rng(23);
    auto net = std::make_shared<ThresholdNetwork>(random_matrix(200, 12, true, rng), 0.1, Visible::Binary);
    const Vector cue = tdam::test::random_pm1(200, rng);
    RecallOptions o;
    auto first = std::make_unique<Dynamics>(net, cue, o);
    Dynamics copy = *first;
    first.reset();
    net.reset();  // the copy keeps the model alive
    int steps = 0;
    while (copy.step() && steps < 50) ++steps;
    CHECK(copy.visible().size() == 200);
    CHECK(copy.model().nv() == 200);
}

TEST_CASE("max_abs and max_abs_diff: the largest magnitude, NaN when one is there") {
    Rng rng(24);
    for (int n : kSizes) {
        const Vector a = random_state(n, State::Dense, rng), b = random_state(n, State::Dense, rng);
        CHECK(k::max_abs(a) == a.cwiseAbs().maxCoeff());
        CHECK(k::max_abs_diff(a, b) == (a - b).cwiseAbs().maxCoeff());
        Vector with_nan = a;
        with_nan[n / 2] = std::numeric_limits<double>::quiet_NaN();
        CHECK(std::isnan(k::max_abs(with_nan)));
        CHECK(std::isnan(k::max_abs_diff(with_nan, b)));
        const Vector inf = Vector::Constant(n, -std::numeric_limits<double>::infinity());
        CHECK(k::max_abs(inf) == std::numeric_limits<double>::infinity());
    }
    CHECK(k::max_abs(Vector()) == 0.0);
    CHECK(k::max_abs_diff(Vector(), Vector()) == 0.0);
    CHECK(std::signbit(k::max_abs(Vector::Constant(5, -0.0))) == false);
}
