#pragma once
// A small nonlinear classifier (MODEL.md section 5, "Class structure"): one
// hidden layer of ReLU units, a softmax output, cross-entropy loss, trained
// with Adam on seeded shuffled minibatches. The same classifier is trained
// on the N_h-bit hidden codes of a threshold network and on the raw pixels,
// so the accuracies compare the representations, not the classifiers.
//
// Determinism: weights are initialised from tdam::Rng (He initialisation,
// N(0, 2 / inputs) for the first layer, N(0, 1 / hidden) for the second,
// zero biases), the softmax uses det_exp / det_log, and every sum runs in a
// fixed order (axpy loops, as in kernels.cpp), so one seed gives the same
// classifier bit for bit natively and in WebAssembly.
#include <cstdint>
#include <vector>

#include "tdam/capacity.hpp"
#include "tdam/types.hpp"

namespace tdam {

struct ClassifierOptions {
    int hidden = 64;               // ReLU units
    int epochs = 20;
    int batch = 32;
    double learning_rate = 0.001;  // Adam step size
    double weight_decay = 0.0;     // L2 penalty on the weights (not the biases)
    std::uint64_t seed = 1;        // initial weights and shuffling
    Progress progress;             // optional; false cancels (throws Cancelled)
};

class Classifier {
public:
    Classifier() = default;

    // features: inputs x count, one column per sample, finite values;
    // labels: one per column, 0 <= label < 1000. The number of classes is
    // max(label) + 1. Replaces any earlier fit; on error (tdam::Error or
    // tdam::Cancelled) the classifier is left as it was.
    void fit(const Matrix& features, const std::vector<int>& labels,
             const ClassifierOptions& options = ClassifierOptions());

    bool trained() const { return classes_ > 0; }
    int inputs() const { return static_cast<int>(w1_.cols()); }
    int classes() const { return classes_; }
    // Mean cross-entropy over the training samples, per epoch.
    const std::vector<double>& loss_per_epoch() const { return loss_per_epoch_; }

    // Class probabilities (classes x count) and the most probable class of
    // each column (the lowest index on ties).
    Matrix probabilities(const Matrix& features) const;
    std::vector<int> predict(const Matrix& features) const;
    // Fraction of columns whose prediction equals the label.
    double accuracy(const Matrix& features, const std::vector<int>& labels) const;

private:
    void check_features(const Matrix& features) const;

    Matrix w1_;  // hidden x inputs (column i: the weights from input i)
    Vector b1_;
    Matrix w2_;  // classes x hidden (column j: the weights from hidden unit j)
    Vector b2_;
    int classes_ = 0;
    std::vector<double> loss_per_epoch_;
};

}  // namespace tdam
