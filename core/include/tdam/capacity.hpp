#pragma once
// How many memories a network holds (MODEL.md sections 2 and 5).
#include <cstdint>
#include <functional>

#include "tdam/dynamics.hpp"
#include "tdam/threshold.hpp"

namespace tdam {

// Called with the fraction of work done; returning false cancels the work,
// which then throws tdam::Cancelled and leaves nothing changed.
using Progress = std::function<bool(double)>;

// The 95% Wilson score interval of a proportion k / n (n > 0).
struct Interval {
    double low;
    double high;
};
Interval wilson_interval(std::int64_t k, std::int64_t n);

// A code s (0/1 entries, size N_h) is stable when one synchronous step from
// its pattern maps it to itself: s = H(xi^T v / N_v - theta) for
// v = xi s + I (linear visible) or v = sign(xi s + I) with sign(0) = +1
// (binary visible). With I = 0 and linear neurons this is MODEL.md's
// s = H(xi^T xi s / N_v - theta).
bool is_stable_code(const ThresholdNetwork& network, const Vector& code);

// The visible pattern of a code: xi s + I, or its sign with sign(0) = +1.
Vector code_pattern(const ThresholdNetwork& network, const Vector& code);

struct CapacityOptions {
    // 0: count exhaustively when N_h <= limits::kMaxExhaustiveHidden, otherwise
    // sample kDefaultSamples codes. K > 0: estimate from K sampled codes.
    std::int64_t samples = 0;
    std::uint64_t seed = 1;  // for the sampled codes
    Progress progress;       // optional
};
inline constexpr std::int64_t kDefaultSamples = 100000;

struct CapacityResult {
    bool exhaustive = true;
    double total = 0;              // non-zero codes: 2^N_h - 1 (the all-zero code is not counted)
    std::int64_t checked = 0;      // codes examined (exhaustive: total)
    std::int64_t stable_checked = 0;  // of those, how many are stable
    double stable = 0;             // exhaustive: the count; sampled: total * fraction
    double fraction = 0;           // stable / total, or the sampled proportion
    Interval fraction_ci95{0, 0};  // Wilson (exhaustive: the exact value twice)
    Interval stable_ci95{0, 0};    // the same, as counts of codes
};

// Counts the stable non-zero codes of a threshold network. Exhaustively, each
// code's field G s (G = xi^T xi, plus xi^T I) is the sum of its active
// columns of G in increasing unit order, built up along a depth-first walk
// of the code tree, so each code costs O(N_h) and matches the direct sum.
CapacityResult count_stable_codes(const ThresholdNetwork& network, const CapacityOptions& options);

// Whether a visible state is a fixed point of one step of the synchronous or
// asynchronous schedule (within tolerance, for linear visible neurons).
bool is_fixed_point(const Model& model, const Vector& v, Schedule schedule, double tolerance = 1e-9);

// Baselines store their patterns as the columns of xi: how many of them are
// fixed points of the schedule.
int count_stable_patterns(const Model& model, Schedule schedule);

// Builds models of `kind` from the first P columns of `pool`, P = 1, 2, ...,
// and returns the largest P before the first P at which some stored pattern
// is not a fixed point (pool.cols() if none fails).
int largest_stable_load(ModelKind kind, const Matrix& pool, double parameter, Visible visible,
                        Schedule schedule, const Progress& progress = {});

// Recall from every stored pattern: how many stay exactly, and the mean
// overlap m = v . xi_mu / N_v of the final state with its pattern (the
// classical retrieval measure of Hopfield networks).
struct Retention {
    int patterns = 0;
    int fixed_points = 0;
    int retained = 0;         // final overlap >= 0.9
    double mean_overlap = 0;
};
Retention pattern_retention(const Model& model, const RecallOptions& options);

}  // namespace tdam
