#pragma once
// Learning a threshold network from images (MODEL.md section 4, "Learned";
// docs/learning.md explains the choices and the measurements).
//
// Goal: weights xi (N_v x N_h) and one threshold per hidden unit theta such
// that each image x has the code s(x) = H(xi^T x / N_v - theta), that code is
// a fixed point of the synchronous dynamics, and its pattern xi s(x) is close
// to x, with codes that are distributed (many units active per image, many
// distinct codes) rather than one winner per image.
//
// Two methods:
//  - train_threshold: gradient descent (Adam, minibatches) on
//        mean |x - xi sigma(beta (xi^T x / N_v - theta))|^2       (reconstruction)
//      + activity_weight * mean_mu (rate_mu - activity_target)^2  (activity)
//      + margin_weight * mean_mu,x max(0, margin - side * d_mu(x)) (margin)
//    where sigma is the logistic, beta is annealed geometrically from
//    beta_start to beta_end over the run, rate_mu is the fraction of the
//    minibatch for which unit mu is on (hard threshold; its gradient goes
//    through a logistic of slope beta_start), and d_mu(x) =
//    (xi_mu . x - N_v theta_mu) / |xi_mu| is the distance in pixel space of x
//    from unit mu's threshold hyperplane, side = +1 if the unit is on for x,
//    -1 if off. The activity term is what stops the collapse to about one
//    active unit per image (MODEL.md's trap); the margin term keeps images
//    away from the thresholds, so that a corrupted cue keeps its code. The
//    hard H is used at recall.
//  - train_hebbian: a local, contrastive Hebbian rule with homeostatic
//    thresholds; see HebbianOptions.
//
// Determinism: all randomness comes from tdam::Rng, the logistic is
// tdam::det_logistic, and every sum runs in a fixed order (axpy loops over
// contiguous columns, as in kernels.cpp), so one seed gives bit-identical
// weights natively and in WebAssembly.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tdam/basin.hpp"
#include "tdam/capacity.hpp"
#include "tdam/threshold.hpp"

namespace tdam {

// Defaults are the settings docs/learning.md measures on MNIST-10k (grey
// values in [0, 1], N_v = 784). The slopes are large because the fields
// h = xi^T x / N_v of such images are small (|h - theta| is typically a few
// times 0.001), so beta must be in the hundreds to thousands for the logistic
// to approximate H; beta about 20 leaves every unit half on while training
// and the hard codes at recall all but empty.
struct TrainOptions {
    int hidden = 50;                // N_h
    int epochs = 10;
    int batch = 50;                 // minibatch size
    double learning_rate = 0.002;   // Adam step size for xi
    double theta_learning_rate = 0.0002;  // Adam step size for theta (its scale is ~0.01)
    double beta_start = 100.0;      // logistic slope at the first step ...
    double beta_end = 3000.0;       // ... and at the last (geometric in between)
    double activity_target = 0.15;  // wanted fraction of images each unit fires for
    double activity_weight = 0.05;  // weight of the activity penalty
    double margin = 1.0;            // wanted distance (pixel units) of images from thresholds
    double margin_weight = 0.05;    // weight of the margin penalty; 0 disables it
    std::uint64_t seed = 1;         // initial weights and shuffling
    Progress progress;              // optional; false cancels (throws Cancelled)
    // Optional: called after every minibatch's update with the update's
    // number (1, 2, ...) and that minibatch's mean reconstruction loss (mean
    // over its images and pixels, smoothed codes); the page's live loss plot
    // draws it. Returning false cancels (throws Cancelled).
    std::function<bool(std::int64_t step, double loss)> on_batch;
};

// Rejects options out of range, naming the field.
void check_train_options(const TrainOptions& options);

struct TrainResult {
    Matrix xi;     // N_v x N_h
    Vector theta;  // N_h
    // Per epoch, averaged over the training images seen in it: the
    // reconstruction loss being minimised (mean over pixels; smoothed codes
    // for train_threshold, hard codes for train_hebbian), the activity
    // penalty (mean squared deviation of the units' rates from the target),
    // the margin penalty (train_threshold; 0 otherwise); then, from the hard
    // codes of all training images at the end of the epoch, the mean number
    // of active units per image and the number of distinct codes; and the
    // slope beta in use at the end of the epoch (0 for train_hebbian).
    std::vector<double> loss_per_epoch;
    std::vector<double> activity_loss_per_epoch;
    std::vector<double> margin_loss_per_epoch;
    std::vector<double> mean_active_per_epoch;
    std::vector<int> distinct_codes_per_epoch;
    std::vector<double> beta_per_epoch;
    std::int64_t steps = 0;  // parameter updates (Adam steps, or images for train_hebbian)

    // The trained network (linear visible neurons).
    ThresholdNetwork network() const { return ThresholdNetwork(xi, theta, Visible::Linear); }
};

// images: N_v x count (column per image), finite values, typically grey
// values in [0, 1]. Throws tdam::Error on bad input or options,
// tdam::Cancelled when options.progress returns false.
TrainResult train_threshold(const Matrix& images, const TrainOptions& options);

// ---------------------------------------------------------------------------
// The local rule: contrastive Hebbian learning on the network's energy
// E(v, s) = |v|^2 / (2 N_v) - s . xi^T v / N_v + theta . s (model.hpp, (1)).
// Per image x, in a seeded shuffled order:
//   clamped phase  s = H(xi^T x / N_v - theta)        the code of x, with v = x;
//   free phase     synchronous recall from s (v = xi s, s <- H(...)) for at most
//                  free_steps steps, giving (v*, s*);
//   xi_mu    += eta * (s_mu x - s*_mu v*)               (Hebbian minus anti-Hebbian)
//   theta_mu += eta_theta * (s_mu - p)                  (homeostasis towards rate p)
// Each synapse (i, mu) changes by the product of its own pre-synaptic (x_i or
// v*_i) and post-synaptic (s_mu or s*_mu) activity in the two phases; each
// threshold only by its own unit's firing. When the code of x is already a
// fixed point (s* = s, v* = xi s) the weight change is eta s_mu (x - xi s), a
// residual (predictive-coding) update; otherwise the anti-Hebbian free-phase
// term lowers the energy of the data relative to the spurious attractor.
// Units that never fire lower their thresholds until they do.
struct HebbianOptions {
    int hidden = 50;
    int epochs = 5;
    double learning_rate = 0.005;     // eta
    double threshold_rate = 0.0005;   // eta_theta
    double activity_target = 0.15;    // p
    int free_steps = 10;              // 0: no free phase (s* = s)
    std::uint64_t seed = 1;
    Progress progress;
};
void check_hebbian_options(const HebbianOptions& options);
TrainResult train_hebbian(const Matrix& images, const HebbianOptions& options);

// The training options as (name, value) pairs, for saving next to a network.
std::vector<std::pair<std::string, double>> describe(const TrainOptions& options);
std::vector<std::pair<std::string, double>> describe(const HebbianOptions& options);

// ---------------------------------------------------------------------------
// Evaluation.

// The hard code of each image: column k is H(xi^T x_k / N_v - theta), computed
// exactly as the dynamics compute it.
Matrix encode(const ThresholdNetwork& net, const Matrix& images);

// Number of distinct columns of a 0/1 code matrix.
int count_distinct_codes(const Matrix& codes);

// How well images are stored. For each image x with code s = s(x):
//   mse                   mean over images and pixels of (x - xi s)^2
//                         (binary visible: against sign(xi s));
//   pixel_error           fraction of pixels that differ after binarising x
//                         and xi s at 0.5 (binary visible: their signs);
//   fixed_point_fraction  fraction of images whose code is a fixed point of
//                         the hard synchronous dynamics (is_stable_code);
//   fixed_point_distance  mean Hamming distance between s(x) and the code at
//                         which synchronous recall started from x settles
//                         (0 for fixed points);
//   recall_mse            mean squared error between x and the visible state
//                         that recall from x settles on;
//   distinct_codes, mean_active (mean number of units on per image),
//   dead_units (never on for any image), always_on_units (on for all).
struct StorageReport {
    int images = 0;
    double mse = 0;
    double pixel_error = 0;
    double fixed_point_fraction = 0;
    double fixed_point_distance = 0;
    double recall_mse = 0;
    int distinct_codes = 0;
    double mean_active = 0;
    int dead_units = 0;
    int always_on_units = 0;
};
StorageReport evaluate_storage(const ThresholdNetwork& net, const Matrix& images,
                               const RecallOptions& recall = RecallOptions(),
                               const Progress& progress = {});

// Retrieval from corrupted cues. For each image x and trial, a cue is made
// with tdam::corrupt and recalled (synchronous schedule by default):
//  - with linear visible neurons (grey values), a "flip" of pixel i means
//    x_i -> 1 - x_i (the pixels are chosen by tdam::corrupt on a ±1 mask:
//    exactly floor(level * N_v + 0.5) of them); occlusion fills with 0
//    (background) and Gaussian noise is added to the grey values;
//  - with binary visible neurons, tdam::corrupt is applied to x as it is.
// Reported, per cue:
//   clean_code       the recalled code equals s(x), the clean image's code;
//   clean_attractor  it equals the code recall from the clean x settles on
//                    (the same thing when s(x) is a fixed point);
//   pixel_error / mse of the final visible state against x (as above), and
//   cue_pixel_error of the cue itself, for reference.
struct RetrievalOptions {
    RetrievalOptions() { corruption.level = 0.1; }  // 10% flips by default
    Corruption corruption;
    int trials = 1;
    std::uint64_t seed = 1;
    RecallOptions recall;
    Progress progress;
};
struct RetrievalReport {
    double level = 0;
    int cues = 0;
    int clean_code = 0;
    double clean_code_fraction = 0;
    Interval clean_code_ci95{0, 0};
    int clean_attractor = 0;
    double clean_attractor_fraction = 0;
    double mean_code_distance = 0;  // Hamming, recalled code vs s(x)
    double cue_pixel_error = 0;
    double pixel_error = 0;
    double mse = 0;
    double mean_steps = 0;
    int converged = 0;  // stopped at a fixed point (not a cycle or the step limit)
};
RetrievalReport evaluate_retrieval(const ThresholdNetwork& net, const Matrix& images,
                                   const RetrievalOptions& options);

}  // namespace tdam
