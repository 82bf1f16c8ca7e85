#pragma once
// Shared by the subcommands: loading weights, patterns and cues from .npy
// files (every message names the file), random weights, the model options
// (--model/--theta/--beta/--order/--visible) and the recall options, and the
// option declarations they use, so that every command words them alike.
#include <cstdint>
#include <memory>
#include <string>

#include "args.hpp"
#include "tdam/dynamics.hpp"
#include "tdam/error.hpp"
#include "tdam/model.hpp"
#include "tdam/random.hpp"
#include "tdam/rng.hpp"
#include "tdam/types.hpp"

namespace tdam::cli {

// ---- .npy inputs --------------------------------------------------------

// An N_v x N_h weights file: 2-D, finite, within the size limits.
Matrix load_weights(const std::string& path);
// A pattern file: K x N_v, one pattern per row (a 1-D array is one pattern).
// Returned as N_v x K, one pattern per column.
Matrix load_patterns(const std::string& path);
// A vector file (a cue, an input current): 1-D, or one row or column; finite.
// `what` names it: "cue" gives "cue file 'c.npy' ...".
Vector load_vector(const std::string& path, const std::string& what);

// ---- weights: pm1 | gauss | PATH.npy ------------------------------------

struct WeightsChoice {
    bool from_file = false;
    WeightKind kind = WeightKind::PlusMinusOne;
    std::string path;
    std::string label;  // "pm1", "gauss" or the path
};
// "pm1" and "gauss" are random kinds; a value ending in ".npy" is a path;
// anything else is an error.
WeightsChoice choose_weights(const std::string& text);

// The weights a command runs on. Random: --nv and --nh are required and the
// matrix is drawn with rng: tdam::random_weights, or for a baseline with pm1
// tdam::random_patterns (nh random ±1 patterns as columns; the same draws).
// Loaded: the file's shape, and --nv/--nh, when given, must match it.
Matrix resolve_weights(const WeightsChoice& choice, const Parsed& args, bool baseline, Rng& rng);

// ---- models -------------------------------------------------------------

struct ModelChoice {
    ModelKind kind = ModelKind::Threshold;
    double parameter = 0.5;  // theta, beta or the order
    Visible visible = Visible::Linear;
};
// From --model, --theta, --beta, --order, --visible; a parameter option that
// does not apply to the model is an error.
ModelChoice choose_model(const Parsed& args);
std::unique_ptr<Model> build_model(const ModelChoice& choice, const Matrix& weights);

// From --schedule, --max-steps, --seed and, when declared, --tolerance, --dt,
// --tau-v, --tau-h. Checked with tdam::check_options.
RecallOptions recall_options(const Parsed& args);

// derived_seed: tdam::derived_seed (rng.hpp).

// ---- shared option declarations ------------------------------------------

namespace opt {
Option model(const std::string& fallback);
Option weights(const std::string& fallback, bool random_allowed);
Option nv();
Option nh();
Option theta();
Option beta();
Option order();
Option visible();
Option schedule();
Option max_steps();
Option seed(const std::string& help);
Option json();
}  // namespace opt

}  // namespace tdam::cli
