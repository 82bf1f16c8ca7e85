#pragma once
// Saving and loading a (trained) threshold network as two files:
//   <stem>.npy   the weights xi, float64, shape (N_v, N_h) (npy::write_file);
//   <stem>.json  everything else:
//     {
//       "format": "tdam-threshold-network",
//       "version": 1,
//       "weights": "<file name of the .npy, in the same directory>",
//       "nv": 784, "nh": 50,
//       "visible": "linear" | "binary",
//       "theta": [ N_h numbers ],
//       "input": [ N_v numbers ],          (only when an input current is set)
//       "image_rows": 28, "image_cols": 28, (0, 0 when the pattern is no image)
//       "method": "gradient",               (how it was made: free text)
//       "seed": 1,                          (an unsigned 64-bit integer)
//       "command": "tdam train ...",        (the command that produced it)
//       "dataset": "mnist-json 10000",      (free text)
//       "settings": { "hidden": 50, ... }   (training options: name -> number)
//     }
// Numbers are written so that they read back as the same doubles, so a save
// and load round trip is exact. Loading validates everything: the JSON
// syntax, the format and version, every key (unknown keys are refused, each
// key at most once), the types, N_v and N_h against limits.hpp, the sizes of
// theta, input and the weights against N_v and N_h, the image shape against
// N_v, and that every value is finite; errors name the file and the problem.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tdam/threshold.hpp"

namespace tdam {

struct NetworkMetadata {
    std::string method;
    std::string command;
    std::string dataset;
    int image_rows = 0;
    int image_cols = 0;
    std::uint64_t seed = 0;
    std::vector<std::pair<std::string, double>> settings;  // in order; names unique
};

struct SavedNetwork {
    Matrix xi;      // N_v x N_h
    Vector theta;   // N_h
    Vector input;   // N_v, or empty
    Visible visible = Visible::Linear;
    NetworkMetadata metadata;

    ThresholdNetwork network() const;
};

// The JSON document for a network whose weights are stored in weights_file
// (a plain file name, no directory). Validates the metadata (finite
// settings, unique setting names, image shape matching N_v or 0 x 0).
std::string network_json(const ThresholdNetwork& network, const NetworkMetadata& metadata,
                         const std::string& weights_file);

// Parses a document written by network_json and checks it against the
// weights. `source` names the document in messages.
SavedNetwork parse_network_json(const std::string& text, const Matrix& weights,
                                const std::string& source = "<memory>");

// Reads only the name of the weights file a document refers to (validated
// as a plain file name).
std::string network_weights_file(const std::string& text, const std::string& source = "<memory>");

// Writes <stem>.npy then <stem>.json (each via a temporary file renamed into
// place). The JSON refers to the weights by the file name of <stem>.npy.
void save_network(const std::string& stem, const ThresholdNetwork& network, const NetworkMetadata& metadata);

// Reads <stem>.json and the weights file it names (in the same directory).
// `stem` may also be given with a trailing ".json".
SavedNetwork load_network(const std::string& stem);

}  // namespace tdam
