#pragma once
// Basins of attraction (MODEL.md section 5): the fraction of memories
// retrieved from cues corrupted at a given level, against the level.
#include <vector>

#include "tdam/capacity.hpp"
#include "tdam/rng.hpp"

namespace tdam {

enum class CorruptionKind {
    Flip,      // level = fraction of pixels negated
    Occlude,   // level = fraction of image rows hidden, from the bottom
    Gaussian   // level = standard deviation sigma of added noise
};
CorruptionKind parse_corruption(const std::string& text);  // "flip" | "occlude" | "gaussian"
const char* to_string(CorruptionKind kind);

struct Corruption {
    CorruptionKind kind = CorruptionKind::Flip;
    double level = 0.0;
    int rows = 0;  // image shape for occlusion; 0: one row of N_v pixels
    int cols = 0;
    // Occlusion of a chosen rectangle (inside the image) instead of the bottom
    // `level` fraction of rows: used when height > 0 and width > 0.
    int top = 0, left = 0, height = 0, width = 0;
};

// A corrupted copy of x for a model with the given visible neurons: occluded
// pixels are set to -1 (binary) or 0 (linear); Gaussian noise is followed by
// the sign (0 -> +1) for binary neurons. Occlusion draws nothing from rng.
Vector corrupt(const Vector& x, const Corruption& corruption, Visible visible, Rng& rng);

// A corrupted copy of a grey image x (values in [0, 1]), as the learning
// measurements (tdam::evaluate_retrieval, tdam eval) and the page's Real
// images view make their cues: a flip of pixel i is x_i -> 1 - x_i, the
// pixels chosen by corrupt() on a +-1 mask (exactly floor(level * N_v + 0.5)
// of them); occlusion and Gaussian noise are corrupt(x, ..., Linear, rng).
Vector corrupt_grey(const Vector& x, const Corruption& corruption, Rng& rng);

// Memories to test against: visible patterns (columns) and, for the threshold
// network, the code each one should be recalled as (columns of 0/1).
struct MemorySet {
    Matrix patterns;  // N_v x M
    Matrix codes;     // N_h x M, or empty: then retrieval compares visible states
};

// The stored patterns of a baseline (the columns of xi).
MemorySet stored_patterns(const Model& model);

// Up to `count` distinct stable codes of a threshold network, drawn from
// uniformly random non-zero codes (at most `attempts` draws), with their
// patterns.
MemorySet sample_stable_codes(const ThresholdNetwork& network, int count, Rng& rng,
                              std::int64_t attempts = 1000000);

struct BasinOptions {
    std::vector<double> levels;
    Corruption corruption;  // its level is replaced by each of `levels`
    int trials = 1;         // cues per memory and level
    std::uint64_t seed = 1;
    RecallOptions recall;
    Progress progress;
};

struct BasinPoint {
    double level = 0;
    int trials = 0;
    int retrieved = 0;   // converged to the memory's code (threshold) or pattern
    double fraction = 0;
    Interval ci95{0, 0};
    double mean_overlap = 0;  // final visible state with the memory's pattern
};

std::vector<BasinPoint> basin_curve(const Model& model, const MemorySet& memories,
                                    const BasinOptions& options);

}  // namespace tdam
