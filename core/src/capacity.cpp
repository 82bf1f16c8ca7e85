#include "tdam/capacity.hpp"

#include <cmath>

#include "tdam/error.hpp"
#include "tdam/kernels.hpp"
#include "tdam/limits.hpp"
#include "tdam/make_model.hpp"
#include "tdam/rng.hpp"

namespace tdam {

Interval wilson_interval(std::int64_t k, std::int64_t n) {
    TDAM_REQUIRE(n > 0 && k >= 0 && k <= n, "wilson_interval needs 0 <= k <= n and n > 0");
    const double z = 1.959963984540054;  // the 97.5% standard normal quantile
    const double nn = static_cast<double>(n);
    const double p = static_cast<double>(k) / nn;
    const double z2 = z * z;
    const double denom = 1.0 + z2 / nn;
    const double centre = (p + z2 / (2.0 * nn)) / denom;
    const double half = z * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
    Interval ci{centre - half, centre + half};
    // At k = 0 and k = n the bounds are exactly 0 and 1; rounding leaves specks.
    if (k == 0 || ci.low < 0.0) ci.low = 0.0;
    if (k == n || ci.high > 1.0) ci.high = 1.0;
    return ci;
}

namespace {

void check_code(const ThresholdNetwork& network, const Vector& code) {
    TDAM_REQUIRE(code.size() == network.nh(), "code has " + std::to_string(code.size()) +
                                             " entries, expected N_h = " + std::to_string(network.nh()));
    for (Eigen::Index mu = 0; mu < code.size(); ++mu)
        TDAM_REQUIRE(code[mu] == 0.0 || code[mu] == 1.0,
                "code entries must be 0 or 1 (entry " + std::to_string(mu) + " is " +
                    std::to_string(code[mu]) + ")");
}

// s' == s for s' = H(field / N_v - theta), field = G s + xi^T I.
bool reproduces(const Vector& field, const Vector& theta, double nv, const unsigned char* code) {
    for (Eigen::Index mu = 0; mu < field.size(); ++mu) {
        const bool on = field[mu] / nv - theta[mu] > 0.0;
        if (on != (code[mu] != 0)) return false;
    }
    return true;
}

Vector code_vector(const std::vector<unsigned char>& bits) {
    Vector s(static_cast<Eigen::Index>(bits.size()));
    for (std::size_t mu = 0; mu < bits.size(); ++mu) s[static_cast<Eigen::Index>(mu)] = bits[mu];
    return s;
}

}  // namespace

Vector code_pattern(const ThresholdNetwork& network, const Vector& code) {
    check_code(network, code);
    Vector v;
    kernels::visible_drive(network.weights(), code, network.input(), v);
    if (network.visible() == Visible::Binary)
        for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = v[i] >= 0.0 ? 1.0 : -1.0;
    return v;
}

bool is_stable_code(const ThresholdNetwork& network, const Vector& code) {
    const Vector v = code_pattern(network, code);
    Vector raw, next;
    kernels::hidden_field(network.weights_transposed(), v, raw);
    network.activate(network.field_scale() * raw, next);
    return next == code;
}

CapacityResult count_stable_codes(const ThresholdNetwork& net, const CapacityOptions& options) {
    const int nh = net.nh();
    TDAM_REQUIRE(options.samples >= 0 && options.samples <= limits::kMaxSamples,
            "samples must be between 0 and " + std::to_string(limits::kMaxSamples) + " (got " +
                std::to_string(options.samples) + ")");
    const bool exhaustive = options.samples == 0 && nh <= limits::kMaxExhaustiveHidden;
    TDAM_REQUIRE(exhaustive || nh <= 1023, "sampled capacity needs N_h <= 1023 (2^N_h must be a finite double)");
    CapacityResult r;
    r.exhaustive = exhaustive;
    r.total = std::ldexp(1.0, nh) - 1.0;
    if (exhaustive) {
        std::int64_t stable = 0;
        if (net.visible() == Visible::Linear) {
            // Depth-first over the code tree, one Gram column added per code
            // (kernels::count_fixed_codes).
            Vector base = Vector::Zero(nh);
            if (net.input().size() != 0) kernels::hidden_field(net.weights_transposed(), net.input(), base);
            const double total = std::ldexp(1.0, nh);
            const Progress& progress = options.progress;
            stable = kernels::count_fixed_codes(
                kernels::gram(net.weights()), base, net.theta(), net.nv(),
                progress ? std::function<bool(std::int64_t)>([&](std::int64_t visited) {
                    return progress(static_cast<double>(visited) / total);
                })
                         : std::function<bool(std::int64_t)>());
            if (stable < 0) throw Cancelled();
        } else {
            // Binary visible neurons: sign(xi s) is not linear in s, so each
            // code is checked through its pattern, O(N_v N_h) per code
            // (integer kernels for +-1 weights).
            const std::int64_t count = std::int64_t{1} << nh;
            const kernels::SignWeights signs = kernels::SignWeights::pack(net.weights());
            Vector s(nh);
            for (std::int64_t bits = 1; bits < count; ++bits) {
                for (int mu = 0; mu < nh; ++mu) s[mu] = static_cast<double>((bits >> mu) & 1);
                const bool ok = signs.empty()
                                    ? is_stable_code(net, s)
                                    : kernels::stable_binary_code(signs, s, net.input(), net.field_scale(), net.theta());
                if (ok) ++stable;
                if (options.progress && (bits & 0x3FF) == 0 &&
                    !options.progress(static_cast<double>(bits) / static_cast<double>(count)))
                    throw Cancelled();
            }
        }
        r.checked = static_cast<std::int64_t>(r.total);
        r.stable_checked = stable;
        r.stable = static_cast<double>(stable);
        r.fraction = r.total > 0 ? r.stable / r.total : 0.0;
        r.fraction_ci95 = {r.fraction, r.fraction};
        r.stable_ci95 = {r.stable, r.stable};
        return r;
    }
    const std::int64_t k = options.samples > 0 ? options.samples : kDefaultSamples;
    Rng rng(options.seed);
    const bool linear = net.visible() == Visible::Linear;
    const Matrix gram = linear ? kernels::gram(net.weights()) : Matrix();
    Vector base = Vector::Zero(nh);
    if (linear && net.input().size() != 0) kernels::hidden_field(net.weights_transposed(), net.input(), base);
    std::vector<unsigned char> bits(nh);
    std::int64_t stable = 0;
    for (std::int64_t n = 0; n < k; ++n) {
        bool any = false;
        while (!any) {  // a uniform non-zero code
            for (int mu = 0; mu < nh; ++mu) {
                bits[mu] = rng.coin() ? 1 : 0;
                any = any || bits[mu];
            }
        }
        bool ok;
        if (linear) {
            Vector field = base;
            for (int mu = 0; mu < nh; ++mu)
                if (bits[mu]) kernels::add_scaled(field, 1.0, gram.col(mu).data());
            ok = reproduces(field, net.theta(), net.nv(), bits.data());
        } else {
            ok = is_stable_code(net, code_vector(bits));
        }
        if (ok) ++stable;
        if (options.progress && (n & 0x3FF) == 0 &&
            !options.progress(static_cast<double>(n) / static_cast<double>(k)))
            throw Cancelled();
    }
    r.checked = k;
    r.stable_checked = stable;
    r.fraction = static_cast<double>(stable) / static_cast<double>(k);
    r.fraction_ci95 = wilson_interval(stable, k);
    r.stable = r.fraction * r.total;
    r.stable_ci95 = {r.fraction_ci95.low * r.total, r.fraction_ci95.high * r.total};
    return r;
}

bool is_fixed_point(const Model& model, const Vector& v, Schedule schedule, double tolerance) {
    TDAM_REQUIRE(schedule != Schedule::Continuous,
            "fixed points are checked with the sync or async schedule");
    RecallOptions options;
    options.schedule = schedule;
    options.tolerance = tolerance;
    options.max_steps = 1;
    options.record_states = false;
    std::shared_ptr<const Model> view(&model, [](const Model*) {});
    Dynamics dynamics(view, v, options);
    return !dynamics.step() && !dynamics.cycled();
}

int count_stable_patterns(const Model& model, Schedule schedule) {
    int stable = 0;
    for (int mu = 0; mu < model.nh(); ++mu)
        if (is_fixed_point(model, model.weights().col(mu), schedule)) ++stable;
    return stable;
}

int largest_stable_load(ModelKind kind, const Matrix& pool, double parameter, Visible visible,
                        Schedule schedule, const Progress& progress) {
    check_weights(pool, "pattern pool");
    const int count = static_cast<int>(pool.cols());
    for (int p = 1; p <= count; ++p) {
        const auto model = make_model(kind, pool.leftCols(p), parameter, visible);
        if (count_stable_patterns(*model, schedule) < p) return p - 1;
        if (progress && !progress(static_cast<double>(p) / count)) throw Cancelled();
    }
    return count;
}

Retention pattern_retention(const Model& model, const RecallOptions& options) {
    Retention r;
    r.patterns = model.nh();
    double overlap_sum = 0.0;
    RecallOptions o = options;
    o.record_states = false;
    for (int mu = 0; mu < model.nh(); ++mu) {
        const Vector pattern = model.weights().col(mu);
        const Trajectory t = recall(model, pattern, o);
        if (t.steps == 0 && t.stop == StopReason::Converged) ++r.fixed_points;
        const double m = kernels::dot(t.final_visible.data(), pattern.data(), pattern.size()) /
                         kernels::dot(pattern.data(), pattern.data(), pattern.size());
        overlap_sum += m;
        if (m >= 0.9) ++r.retained;
    }
    r.mean_overlap = r.patterns ? overlap_sum / r.patterns : 0.0;
    return r;
}

}  // namespace tdam
