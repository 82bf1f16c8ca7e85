#include "tdam/basin.hpp"

#include <cmath>
#include <set>

#include "tdam/corrupt.hpp"
#include "tdam/error.hpp"
#include "tdam/kernels.hpp"

namespace tdam {

CorruptionKind parse_corruption(const std::string& text) {
    if (text == "flip") return CorruptionKind::Flip;
    if (text == "occlude") return CorruptionKind::Occlude;
    if (text == "gaussian") return CorruptionKind::Gaussian;
    throw Error("unknown corruption '" + text + "' (expected flip, occlude or gaussian)");
}

const char* to_string(CorruptionKind kind) {
    switch (kind) {
        case CorruptionKind::Flip: return "flip";
        case CorruptionKind::Occlude: return "occlude";
        case CorruptionKind::Gaussian: return "gaussian";
    }
    return "?";
}

Vector corrupt(const Vector& x, const Corruption& c, Visible visible, Rng& rng) {
    TDAM_REQUIRE(std::isfinite(c.level) && c.level >= 0.0,
            "corruption level must be finite and >= 0 (got " + std::to_string(c.level) + ")");
    switch (c.kind) {
        case CorruptionKind::Flip: return flip_fraction(x, c.level, rng);
        case CorruptionKind::Occlude: {
            TDAM_REQUIRE(c.level <= 1.0, "occluded fraction must be at most 1 (got " + std::to_string(c.level) + ")");
            const int rows = c.rows > 0 ? c.rows : 1;
            const int cols = c.rows > 0 ? c.cols : static_cast<int>(x.size());
            TDAM_REQUIRE(static_cast<Eigen::Index>(rows) * cols == x.size(),
                    "image shape " + std::to_string(rows) + " x " + std::to_string(cols) +
                        " does not match N_v = " + std::to_string(x.size()));
            const double fill = visible == Visible::Binary ? -1.0 : 0.0;
            if (c.height > 0 && c.width > 0) return occlude(x, rows, cols, c.top, c.left, c.height, c.width, fill);
            if (rows == 1) {  // no image shape: hide the last fraction of pixels
                const int hidden = static_cast<int>(std::floor(c.level * cols + 0.5));
                return occlude(x, 1, cols, 0, cols - hidden, 1, hidden, fill);
            }
            const int hidden = static_cast<int>(std::floor(c.level * rows + 0.5));
            return occlude(x, rows, cols, rows - hidden, 0, hidden, cols, fill);
        }
        case CorruptionKind::Gaussian:
            return gaussian_noise(x, c.level, visible == Visible::Binary, rng);
    }
    throw Error("unknown corruption kind");
}

Vector corrupt_grey(const Vector& x, const Corruption& c, Rng& rng) {
    if (c.kind != CorruptionKind::Flip) return corrupt(x, c, Visible::Linear, rng);
    const Vector mask = corrupt(Vector::Ones(x.size()), c, Visible::Binary, rng);
    Vector cue = x;
    for (Eigen::Index i = 0; i < cue.size(); ++i)
        if (mask[i] < 0.0) cue[i] = 1.0 - cue[i];
    return cue;
}

MemorySet stored_patterns(const Model& model) { return {model.weights(), Matrix()}; }

MemorySet sample_stable_codes(const ThresholdNetwork& network, int count, Rng& rng,
                              std::int64_t attempts) {
    TDAM_REQUIRE(count >= 0, "memory count must be >= 0");
    const int nh = network.nh();
    std::set<std::vector<unsigned char>> seen;
    std::vector<Vector> codes;
    Vector s(nh);
    for (std::int64_t a = 0; a < attempts && static_cast<int>(codes.size()) < count; ++a) {
        std::vector<unsigned char> bits(nh);
        bool any = false;
        for (int mu = 0; mu < nh; ++mu) {
            bits[mu] = rng.coin() ? 1 : 0;
            any = any || bits[mu];
            s[mu] = bits[mu];
        }
        if (!any || seen.count(bits) || !is_stable_code(network, s)) continue;
        seen.insert(bits);
        codes.push_back(s);
    }
    MemorySet m;
    m.codes.resize(nh, static_cast<Eigen::Index>(codes.size()));
    m.patterns.resize(network.nv(), static_cast<Eigen::Index>(codes.size()));
    for (std::size_t k = 0; k < codes.size(); ++k) {
        m.codes.col(static_cast<Eigen::Index>(k)) = codes[k];
        m.patterns.col(static_cast<Eigen::Index>(k)) = code_pattern(network, codes[k]);
    }
    return m;
}

std::vector<BasinPoint> basin_curve(const Model& model, const MemorySet& memories,
                                    const BasinOptions& options) {
    TDAM_REQUIRE(!options.levels.empty(), "basin needs at least one corruption level");
    TDAM_REQUIRE(options.trials >= 1, "trials must be >= 1");
    TDAM_REQUIRE(memories.patterns.rows() == model.nv(), "memory patterns must have N_v rows");
    TDAM_REQUIRE(memories.codes.size() == 0 || (memories.codes.rows() == model.nh() &&
                                           memories.codes.cols() == memories.patterns.cols()),
            "memory codes must be N_h x (number of patterns)");
    check_options(options.recall);
    RecallOptions recall_options = options.recall;
    recall_options.record_states = false;
    Rng rng(options.seed);
    std::vector<BasinPoint> curve;
    const auto count = memories.patterns.cols();
    const double work = static_cast<double>(options.levels.size() * count * options.trials);
    double done = 0;
    for (double level : options.levels) {
        Corruption c = options.corruption;
        c.level = level;
        BasinPoint point;
        point.level = level;
        double overlap_sum = 0.0;
        for (Eigen::Index k = 0; k < count; ++k) {
            const Vector pattern = memories.patterns.col(k);
            for (int t = 0; t < options.trials; ++t) {
                const Vector cue = corrupt(pattern, c, model.visible(), rng);
                const Trajectory r = recall(model, cue, recall_options);
                bool hit;
                if (memories.codes.size() != 0) {
                    hit = r.final_hidden == memories.codes.col(k);
                } else {
                    const double scale = std::max(1.0, pattern.cwiseAbs().maxCoeff());
                    hit = (r.final_visible - pattern).cwiseAbs().maxCoeff() <= 1e-6 * scale;
                }
                ++point.trials;
                if (hit) ++point.retrieved;
                overlap_sum += kernels::dot(r.final_visible.data(), pattern.data(), pattern.size()) /
                               std::max(1e-300, kernels::dot(pattern.data(), pattern.data(), pattern.size()));
                ++done;
                if (options.progress && !options.progress(done / work)) throw Cancelled();
            }
        }
        point.fraction = point.trials ? static_cast<double>(point.retrieved) / point.trials : 0.0;
        point.ci95 = point.trials ? wilson_interval(point.retrieved, point.trials) : Interval{0, 0};
        point.mean_overlap = point.trials ? overlap_sum / point.trials : 0.0;
        curve.push_back(point);
    }
    return curve;
}

}  // namespace tdam
