#pragma once
// Shared vocabulary of the core: Eigen aliases and the small enums that name
// a model's parts. Parsing from text lives here too so the CLI, the wasm
// module and the page accept exactly the same words.
#include <Eigen/Core>
#include <string>

namespace tdam {

using Matrix = Eigen::MatrixXd;  // column-major; weights are N_v x N_h
using Vector = Eigen::VectorXd;

// Visible neurons: linear (the paper's form) or binary ±1 (MODEL.md section 1).
enum class Visible { Linear, Binary };

// How the state is updated (MODEL.md section 1):
//  Synchronous  - alternate layers: hidden from visible, then visible from hidden;
//  Asynchronous - one visible neuron at a time in a seeded random order, one
//                 sweep over all N_v neurons per step;
//  Continuous   - explicit Euler on tau_h dh/dt, tau_v dv/dt.
enum class Schedule { Synchronous, Asynchronous, Continuous };

enum class ModelKind { Threshold, Softmax, Polynomial, Hopfield };

Visible parse_visible(const std::string& text);    // "linear" | "binary"
Schedule parse_schedule(const std::string& text);  // "sync" | "async" | "continuous"
ModelKind parse_model_kind(const std::string& text);  // "threshold" | "softmax" | "polynomial" | "hopfield"

const char* to_string(Visible visible);
const char* to_string(Schedule schedule);
const char* to_string(ModelKind kind);

}  // namespace tdam
