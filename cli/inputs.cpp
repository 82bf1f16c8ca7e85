#include "inputs.hpp"

#include <cmath>

#include "tdam/error.hpp"
#include "tdam/limits.hpp"
#include "tdam/make_model.hpp"
#include "tdam/npy.hpp"

namespace tdam::cli {

namespace {

std::string quoted(const std::string& path) { return "'" + path + "'"; }

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void require_finite(const Matrix& m, const std::string& what) {
    for (Eigen::Index j = 0; j < m.cols(); ++j)
        for (Eigen::Index i = 0; i < m.rows(); ++i)
            require(std::isfinite(m(i, j)), what + " has a non-finite value at row " + std::to_string(i) +
                                                ", column " + std::to_string(j));
}

}  // namespace

Matrix load_weights(const std::string& path) {
    const npy::Array a = npy::read_file(path);
    const std::string what = "weights file " + quoted(path);
    require(a.shape.size() == 2, what + ": expected a 2-D N_v x N_h array, got " +
                                     std::to_string(a.shape.size()) + " dimension(s)");
    const Matrix m = npy::to_matrix(a, what);
    require_finite(m, what);
    check_weights(m, what);
    return m;
}

Matrix load_patterns(const std::string& path) {
    const npy::Array a = npy::read_file(path);
    const std::string what = "pattern file " + quoted(path);
    require(a.shape.size() == 1 || a.shape.size() == 2,
            what + ": expected a K x N_v array (one pattern per row) or one 1-D pattern");
    Matrix rows = npy::to_matrix(a, what);  // 1-D (n) comes back as n x 1
    if (a.shape.size() == 1) rows.transposeInPlace();
    require(rows.rows() >= 1 && rows.cols() >= 1, what + " is empty");
    require(rows.rows() <= limits::kMaxPatterns,
            what + " has " + std::to_string(rows.rows()) + " patterns, more than the limit " +
                std::to_string(limits::kMaxPatterns));
    require(rows.cols() <= limits::kMaxVisible,
            what + ": patterns of " + std::to_string(rows.cols()) + " pixels exceed the limit " +
                std::to_string(limits::kMaxVisible));
    require_finite(rows, what);
    return rows.transpose();
}

Vector load_vector(const std::string& path, const std::string& what_kind) {
    const npy::Array a = npy::read_file(path);
    const std::string what = what_kind + " file " + quoted(path);
    const Vector v = npy::to_vector(a, what);
    require(v.size() >= 1, what + " is empty");
    require(v.size() <= limits::kMaxVisible, what + " has " + std::to_string(v.size()) +
                                                 " entries, more than the limit " +
                                                 std::to_string(limits::kMaxVisible));
    for (Eigen::Index i = 0; i < v.size(); ++i)
        require(std::isfinite(v[i]), what + " has a non-finite value at entry " + std::to_string(i));
    return v;
}

WeightsChoice choose_weights(const std::string& text) {
    WeightsChoice c;
    c.label = text;
    if (ends_with(text, ".npy")) {
        c.from_file = true;
        c.path = text;
    } else {
        c.kind = parse_weight_kind(text);
    }
    return c;
}

Matrix resolve_weights(const WeightsChoice& choice, const Parsed& args, bool baseline, Rng& rng) {
    if (choice.from_file) {
        const Matrix m = load_weights(choice.path);
        if (args.has("nv"))
            require(args.integer("nv") == m.rows(),
                    "--nv " + args.text("nv") + " does not match weights file '" + choice.path + "' (N_v = " +
                        std::to_string(m.rows()) + ")");
        if (args.has("nh"))
            require(args.integer("nh") == m.cols(),
                    "--nh " + args.text("nh") + " does not match weights file '" + choice.path + "' (N_h = " +
                        std::to_string(m.cols()) + ")");
        return m;
    }
    require(args.has("nv") && args.has("nh"),
            "random weights (--weights " + choice.label + ") need --nv and --nh");
    const int nv = args.int32("nv"), nh = args.int32("nh");
    if (baseline && choice.kind == WeightKind::PlusMinusOne) return random_patterns(nv, nh, rng);
    return random_weights(nv, nh, choice.kind, rng);
}

ModelChoice choose_model(const Parsed& args) {
    ModelChoice c;
    c.kind = parse_model_kind(args.text("model"));
    const char* owner[] = {"theta", "beta", "order"};
    const ModelKind kinds[] = {ModelKind::Threshold, ModelKind::Softmax, ModelKind::Polynomial};
    for (int k = 0; k < 3; ++k)
        require(!args.has(owner[k]) || c.kind == kinds[k],
                std::string("--") + owner[k] + " applies to the " + to_string(kinds[k]) +
                    " model only, not " + to_string(c.kind));
    switch (c.kind) {
        case ModelKind::Threshold: c.parameter = args.real("theta"); break;
        case ModelKind::Softmax: c.parameter = args.real("beta"); break;
        case ModelKind::Polynomial: c.parameter = static_cast<double>(args.integer("order")); break;
        case ModelKind::Hopfield: c.parameter = 0.0; break;
    }
    c.visible = args.has("visible") ? parse_visible(args.text("visible")) : default_visible(c.kind);
    return c;
}

std::unique_ptr<Model> build_model(const ModelChoice& choice, const Matrix& weights) {
    return make_model(choice.kind, weights, choice.parameter, choice.visible);
}

RecallOptions recall_options(const Parsed& args) {
    RecallOptions o;
    o.schedule = parse_schedule(args.text("schedule"));
    o.max_steps = args.int32("max-steps");
    o.seed = args.seed("seed");
    if (args.declares("tolerance")) o.tolerance = args.real("tolerance");
    if (args.declares("dt")) o.dt = args.real("dt");
    if (args.declares("tau-v")) o.tau_v = args.real("tau-v");
    if (args.declares("tau-h")) o.tau_h = args.real("tau-h");
    o.record_states = false;
    check_options(o);
    return o;
}

namespace opt {

Option model(const std::string& fallback) {
    return {"model", Type::Text, fallback, "threshold, softmax, polynomial or hopfield", "NAME"};
}

Option weights(const std::string& fallback, bool random_allowed) {
    if (!random_allowed)
        return {"weights", Type::Text, fallback, "N_v x N_h weights .npy (column mu = hidden unit mu)", "PATH.npy",
                -INFINITY, INFINITY, fallback.empty()};
    return {"weights", Type::Text, fallback,
            "pm1 (random ±1), gauss (random N(0,1)) or an N_v x N_h .npy file", "W"};
}

Option nv() {
    return {"nv", Type::Int, "", "visible neurons N_v (required for random weights; must match a file)", "N",
            1, static_cast<double>(limits::kMaxVisible)};
}

Option nh() {
    return {"nh", Type::Int, "", "hidden neurons N_h (required for random weights; must match a file)", "N",
            1, static_cast<double>(limits::kMaxHidden)};
}

Option theta() { return {"theta", Type::Real, "0.5", "hidden threshold theta of the threshold model", "T"}; }

Option beta() { return {"beta", Type::Real, "1", "inverse temperature of the softmax model, > 0", "B", 0}; }

Option order() {
    return {"order", Type::Int, "3", "order n of the polynomial model", "N", 2,
            static_cast<double>(limits::kMaxPolynomialOrder)};
}

Option visible() {
    return {"visible", Type::Text, "",
            "linear or binary visible neurons (default: linear for threshold and softmax, binary for "
            "polynomial and hopfield, which allow binary only)",
            "KIND"};
}

Option schedule() {
    return {"schedule", Type::Text, "sync", "update schedule: sync, async or continuous", "S"};
}

Option max_steps() {
    return {"max-steps", Type::Int, "100", "step limit of each recall", "N", 0,
            static_cast<double>(limits::kMaxSteps)};
}

Option seed(const std::string& help) { return {"seed", Type::Seed, "1", help, "S"}; }

Option json() { return {"json", Type::Flag, "", "print exactly one JSON object on stdout", ""}; }

}  // namespace opt

}  // namespace tdam::cli
