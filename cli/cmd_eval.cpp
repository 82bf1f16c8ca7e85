// tdam eval: how well a learned threshold network stores images (MODEL.md
// sections 4 and 5): reconstruction, fixed points, retrieval from corrupted
// cues, distinct codes, and optionally the same measures for softmax,
// polynomial and Hopfield baselines with the same N_h and the accuracy of a
// classifier on the codes against one on the pixels.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"
#include "inputs.hpp"
#include "json.hpp"
#include "output.hpp"
#include "tdam/baselines.hpp"
#include "tdam/basin.hpp"
#include "tdam/capacity.hpp"
#include "tdam/classifier.hpp"
#include "tdam/datasets.hpp"
#include "tdam/dynamics.hpp"
#include "tdam/error.hpp"
#include "tdam/kernels.hpp"
#include "tdam/learn.hpp"
#include "tdam/limits.hpp"
#include "tdam/network_io.hpp"
#include "tdam/rng.hpp"

namespace tdam::cli {

namespace {

Command eval_command() {
    Command c;
    c.name = "eval";
    c.usage = "tdam eval --network STEM [--dataset mnist|fashion] [--data DIR] [--split S] [--limit N]\n"
              "          [--corruptions flip:0.2,occlude:0.5,gaussian:0.3] [--classifier] [--baselines]\n"
              "          [--json] [--csv PATH]";
    c.summary =
        "Measures a network saved by tdam train on images of --split (default train: the images it was "
        "trained on; MODEL.md sections 4 and 5):\n"
        "storage (tdam::evaluate_storage): reconstruction MSE of x against xi s(x) and the pixel error "
        "(both binarised at 0.5), the fraction of images whose code s(x) is a fixed point, the mean Hamming "
        "distance from s(x) to the code recall from x settles on, distinct codes (against 2^N_h), active "
        "units per image, dead units;\n"
        "retrieval (tdam::evaluate_retrieval) from corrupted cues of the first --cues images, for each item "
        "KIND:LEVEL of --corruptions: flip (that fraction of pixels x -> 1 - x), occlude (that fraction of "
        "rows hidden from the bottom, set to 0), gaussian (noise of that std added to the grey values): the "
        "fraction of cues whose recalled code is the clean image's code s(x), the fraction reaching the "
        "clean image's attractor, and the error of the recalled image against the original.\n"
        "--baselines: the same measures for a softmax (modern Hopfield) and a rectified polynomial network "
        "storing N_h patterns, the k-means centres of the training images (seeded Lloyd iterations from "
        "N_h distinct random images) binarised at 0.5 to ±1, and for a classical Hopfield network storing "
        "the first N_h training images binarised at 0.5. These have binary visible neurons: images and cues "
        "are binarised at 0.5, a state v is compared with x as (v + 1) / 2, the 'code' of an image is the "
        "visible state after one synchronous step from it (the analogue of xi s(x)) and retrieval means "
        "reaching exactly that state.\n"
        "--classifier: the same tdam::Classifier trained on the N_h-bit codes and on the raw pixels of the "
        "training images, tested on the test split (for mnist the 2,000 held-out images).\n"
        "The training images are the first --train-limit images of the train split; by default as many as "
        "the network was trained on (its metadata), so they are the same images.";
    c.options = {
        {"network", Type::Text, "", "the network: STEM.json and the weights it names", "STEM", -INFINITY, INFINITY,
         true},
        {"dataset", Type::Text, "", "mnist or fashion (default: the data set in the network's metadata)", "NAME"},
        {"data", Type::Text, "", "directory of the data set (default as for tdam train)", "DIR"},
        {"split", Type::Text, "train", "images to measure: train, test, or (mnist only) all", "S"},
        {"limit", Type::Int, "",
         "measure the first N images of the split (default: for train, the images the network was trained "
         "on; else all)",
         "N", 1, static_cast<double>(limits::kMaxPatterns)},
        {"cues", Type::Int, "2000", "retrieval: cues from the first N measured images", "N", 1,
         static_cast<double>(limits::kMaxPatterns)},
        {"corruptions", Type::TextList, "flip:0.2,occlude:0.5,gaussian:0.3",
         "retrieval corruptions KIND:LEVEL (flip, occlude: fractions; gaussian: noise std); 'none' for no "
         "retrieval",
         "LIST"},
        {"trials", Type::Int, "1", "corrupted cues per image and corruption", "T", 1, 1000},
        {"baselines", Type::Flag, "", "also measure softmax, polynomial and Hopfield baselines", ""},
        {"beta", Type::Real, "1", "inverse temperature of the softmax baseline (fields are ±1 overlaps)", "B", 0},
        {"order", Type::Int, "30", "order n of the polynomial baseline", "N", 2,
         static_cast<double>(limits::kMaxPolynomialOrder)},
        {"kmeans-iterations", Type::Int, "20", "at most this many k-means (Lloyd) iterations", "N", 1, 10000},
        {"classifier", Type::Flag, "", "classifier on codes vs pixels, test accuracy", ""},
        {"classifier-inputs", Type::TextList, "codes,pixels",
         "what the classifier is trained on: codes, pixels or both (pixels do not depend on the network)", "LIST"},
        {"classifier-hidden", Type::Int, "64", "ReLU units of the classifier", "N", 1, 4096},
        {"classifier-epochs", Type::Int, "20", "classifier training epochs", "E", 1, 100000},
        {"train-limit", Type::Int, "",
         "training images for k-means, Hopfield and the classifier (default: as many as the network was "
         "trained on)",
         "N", 1, static_cast<double>(limits::kMaxPatterns)},
        {"test-limit", Type::Int, "", "classifier test images: the first N of the test split (default: all)", "N",
         1, static_cast<double>(limits::kMaxPatterns)},
        opt::schedule(),
        opt::max_steps(),
        opt::seed("seed of the corruptions, k-means and the classifier"),
        {"csv", Type::Text, "", "write every measure as CSV to PATH ('-' for stdout)", "PATH"},
        opt::json(),
    };
    c.notes =
        "CSV columns: model,section,measure,value (section: storage, retrieval:KIND:LEVEL or classifier; "
        "model: threshold, softmax, polynomial, hopfield).\n"
        "JSON: {\"network\", \"method\", \"nv\", \"nh\", \"dataset\", \"split\", \"images\", \"seed\", "
        "\"storage\": {\"mse\", \"pixel_error\", \"fixed_point_fraction\", \"fixed_point_distance\", "
        "\"recall_mse\", \"distinct_codes\", \"possible_codes\", \"distinct_attractors\" (codes recall from the "
        "images settles on), \"mean_active\", \"dead_units\", "
        "\"always_on_units\"}, \"reference\": {\"blank_pixel_error\", \"blank_mse\", \"mean_image_mse\", "
        "\"binarised_mse\"} (the errors of an all-zero image, of the mean image and of the image binarised at 0.5, "
        "the least MSE a ±1 baseline can reach), \"retrieval\": [{\"corruption\", \"level\", \"cues\", "
        "\"clean_code_fraction\", "
        "\"clean_code_ci95\", \"clean_attractor_fraction\", \"mean_code_distance\", \"cue_pixel_error\", "
        "\"pixel_error\", \"mse\", \"mean_steps\", \"converged\"}], \"baselines\" (with --baselines): [{\"model\", "
        "\"patterns\", ..., \"storage\", \"retrieval\"}], \"classifier\" (with --classifier): {\"codes_accuracy\", "
        "\"pixels_accuracy\", ...; null when not asked for by --classifier-inputs}, \"seconds\" (wall clock per "
        "part, and \"cpu\": processor time of the whole command)}.\n"
        "Example:\n"
        "  tdam eval --network mnist50 --dataset mnist --baselines --classifier --json";
    return c;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct CorruptionSpec {
    CorruptionKind kind;
    double level;
    std::string label;  // "flip:0.2"
};

std::vector<CorruptionSpec> parse_corruptions(const std::vector<std::string>& items) {
    std::vector<CorruptionSpec> out;
    if (items.size() == 1 && items[0] == "none") return out;
    for (const std::string& item : items) {
        const std::size_t colon = item.find(':');
        require(colon != std::string::npos,
                "--corruptions: '" + item + "' is not KIND:LEVEL (e.g. flip:0.2, occlude:0.5, gaussian:0.3)");
        CorruptionSpec c;
        try {
            c.kind = parse_corruption(item.substr(0, colon));
        } catch (const Error& e) {
            throw Error(std::string("--corruptions: ") + e.what());
        }
        c.level = parse_real(item.substr(colon + 1), "--corruptions " + item, 0,
                             c.kind == CorruptionKind::Gaussian ? INFINITY : 1.0);
        c.label = std::string(to_string(c.kind)) + ":" + format_number(c.level);
        out.push_back(c);
    }
    return out;
}

Vector pm1(const Vector& x) {
    Vector b(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) b[i] = x[i] > 0.5 ? 1.0 : -1.0;
    return b;
}

// Squared error of grey x against the ±1 state v read as (v + 1) / 2, and the
// pixels on different sides of 0.5.
void compare_pm1(const Vector& x, const Vector& v, double& sq, double& wrong) {
    sq = 0.0;
    wrong = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double d = x[i] - 0.5 * (v[i] + 1.0);
        sq += d * d;
        if ((x[i] > 0.5) != (v[i] > 0.0)) wrong += 1.0;
    }
}

std::vector<std::uint64_t> key(const Vector& v) {
    std::vector<std::uint64_t> k(static_cast<std::size_t>((v.size() + 63) / 64), 0);
    for (Eigen::Index i = 0; i < v.size(); ++i)
        if (v[i] > 0.0) k[static_cast<std::size_t>(i / 64)] |= std::uint64_t{1} << (i % 64);
    return k;
}

// ---- k-means ----------------------------------------------------------------

struct KMeans {
    Matrix centres;  // N_v x k
    int iterations = 0;
    bool converged = false;  // an iteration changed no assignment
    double inertia = 0;      // mean squared distance of an image to its centre
    int empty_restarts = 0;
};

// Lloyd's algorithm, seeded: the initial centres are k distinct images chosen
// by Rng(seed).permutation; each iteration assigns every image to its nearest
// centre (lowest index on ties) and moves each centre to the mean of its
// images; a centre left without images jumps to the image farthest from its
// centre. Sums run in a fixed order (kernels::hidden_field), so the result is
// deterministic.
KMeans kmeans(const Matrix& x, int k, std::uint64_t seed, int max_iterations, const Progress& progress) {
    const Eigen::Index n = x.cols(), d = x.rows();
    require(n >= k, "k-means: " + std::to_string(n) + " training images are fewer than N_h = " +
                        std::to_string(k) + " centres (raise --train-limit)");
    const std::vector<int> order = Rng(seed).permutation(static_cast<int>(n));
    KMeans r;
    r.centres.resize(d, k);
    for (int mu = 0; mu < k; ++mu) r.centres.col(mu) = x.col(order[static_cast<std::size_t>(mu)]);
    std::vector<int> assign(static_cast<std::size_t>(n), -1);
    std::vector<double> best(static_cast<std::size_t>(n), 0.0);
    Vector norms(k), dots;
    Vector xnorm(n);
    for (Eigen::Index j = 0; j < n; ++j) xnorm[j] = kernels::dot(x.col(j).data(), x.col(j).data(), d);
    for (int it = 0; it < max_iterations; ++it) {
        const Matrix ct = r.centres.transpose();
        for (int mu = 0; mu < k; ++mu)
            norms[mu] = kernels::dot(r.centres.col(mu).data(), r.centres.col(mu).data(), d);
        bool changed = false;
        double total = 0.0;
        for (Eigen::Index j = 0; j < n; ++j) {
            kernels::hidden_field(ct, x.col(j), dots);
            int arg = 0;
            double low = norms[0] - 2.0 * dots[0];
            for (int mu = 1; mu < k; ++mu) {
                const double dist = norms[mu] - 2.0 * dots[mu];
                if (dist < low) {
                    low = dist;
                    arg = mu;
                }
            }
            if (assign[static_cast<std::size_t>(j)] != arg) changed = true;
            assign[static_cast<std::size_t>(j)] = arg;
            best[static_cast<std::size_t>(j)] = std::max(0.0, low + xnorm[j]);
            total += best[static_cast<std::size_t>(j)];
        }
        r.inertia = total / static_cast<double>(n);
        r.iterations = it + 1;
        if (!changed) {
            r.converged = true;
            break;
        }
        Matrix sums = Matrix::Zero(d, k);
        std::vector<int> counts(static_cast<std::size_t>(k), 0);
        for (Eigen::Index j = 0; j < n; ++j) {
            const int mu = assign[static_cast<std::size_t>(j)];
            sums.col(mu) += x.col(j);
            ++counts[static_cast<std::size_t>(mu)];
        }
        std::vector<bool> taken(static_cast<std::size_t>(n), false);
        for (int mu = 0; mu < k; ++mu) {
            if (counts[static_cast<std::size_t>(mu)] > 0) {
                r.centres.col(mu) = sums.col(mu) / static_cast<double>(counts[static_cast<std::size_t>(mu)]);
                continue;
            }
            Eigen::Index far = -1;
            for (Eigen::Index j = 0; j < n; ++j)
                if (!taken[static_cast<std::size_t>(j)] &&
                    (far < 0 || best[static_cast<std::size_t>(j)] > best[static_cast<std::size_t>(far)]))
                    far = j;
            taken[static_cast<std::size_t>(far)] = true;
            r.centres.col(mu) = x.col(far);
            ++r.empty_restarts;
        }
        if (progress) progress(static_cast<double>(it + 1) / max_iterations);
    }
    return r;
}

// ---- baseline measures ---------------------------------------------------------

struct BaselineStorage {
    int images = 0;
    double mse = 0, pixel_error = 0;  // one synchronous step from x
    double fixed_point_fraction = 0;  // that state is a fixed point
    double recall_mse = 0, recall_pixel_error = 0, recall_steps = 0;  // recall from x
    int distinct_codes = 0;       // distinct one-step states
    int distinct_winners = 0;     // distinct most active hidden units after one step
    int distinct_attractors = 0;  // distinct states recall from x settles on
    std::vector<Vector> one_step, attractor;  // of the first `keep` images
};

int argmax(const Vector& f) {
    int arg = 0;
    for (Eigen::Index mu = 1; mu < f.size(); ++mu)
        if (f[mu] > f[arg]) arg = static_cast<int>(mu);
    return arg;
}

BaselineStorage baseline_storage(const Model& model, const Matrix& images, const RecallOptions& ro, int keep,
                                 const Progress& progress) {
    RecallOptions one = ro;
    one.max_steps = 1;
    BaselineStorage s;
    s.images = static_cast<int>(images.cols());
    std::set<std::vector<std::uint64_t>> codes, attractors;
    std::set<int> winners;
    double sq, w;
    for (Eigen::Index k = 0; k < images.cols(); ++k) {
        const Vector x = images.col(k);
        const Vector b = pm1(x);
        const Trajectory t1 = recall(model, b, one);
        compare_pm1(x, t1.final_visible, sq, w);
        s.mse += sq / x.size();
        s.pixel_error += w / x.size();
        if (is_fixed_point(model, t1.final_visible, Schedule::Synchronous)) s.fixed_point_fraction += 1;
        codes.insert(key(t1.final_visible));
        winners.insert(argmax(t1.final_hidden));
        const Trajectory t = recall(model, b, ro);
        compare_pm1(x, t.final_visible, sq, w);
        s.recall_mse += sq / x.size();
        s.recall_pixel_error += w / x.size();
        s.recall_steps += t.steps;
        attractors.insert(key(t.final_visible));
        if (k < keep) {
            s.one_step.push_back(t1.final_visible);
            s.attractor.push_back(t.final_visible);
        }
        if (progress && k % 64 == 63) progress(static_cast<double>(k + 1) / images.cols());
    }
    const double n = s.images;
    s.mse /= n;
    s.pixel_error /= n;
    s.fixed_point_fraction /= n;
    s.recall_mse /= n;
    s.recall_pixel_error /= n;
    s.recall_steps /= n;
    s.distinct_codes = static_cast<int>(codes.size());
    s.distinct_winners = static_cast<int>(winners.size());
    s.distinct_attractors = static_cast<int>(attractors.size());
    return s;
}

RetrievalReport baseline_retrieval(const Model& model, const Matrix& images, const BaselineStorage& clean,
                                   const Corruption& corruption, int trials, std::uint64_t seed,
                                   const RecallOptions& ro, const Progress& progress) {
    RetrievalReport r;
    r.level = corruption.level;
    Rng rng(seed);
    double sq, w, dist = 0, cue_wrong = 0, wrong = 0, mse = 0, steps = 0;
    for (Eigen::Index k = 0; k < images.cols(); ++k) {
        const Vector x = images.col(k);
        for (int t = 0; t < trials; ++t) {
            const Vector cue = pm1(corrupt_grey(x, corruption, rng));  // the threshold network's cues
            const Trajectory tr = recall(model, cue, ro);
            ++r.cues;
            const Vector& v = tr.final_visible;
            if (v == clean.one_step[static_cast<std::size_t>(k)]) ++r.clean_code;
            if (v == clean.attractor[static_cast<std::size_t>(k)]) ++r.clean_attractor;
            if (tr.stop == StopReason::Converged) ++r.converged;
            for (Eigen::Index i = 0; i < v.size(); ++i)
                if (v[i] != clean.one_step[static_cast<std::size_t>(k)][i]) dist += 1;
            steps += tr.steps;
            compare_pm1(x, cue, sq, w);
            cue_wrong += w / x.size();
            compare_pm1(x, v, sq, w);
            wrong += w / x.size();
            mse += sq / x.size();
        }
        if (progress && k % 16 == 15) progress(static_cast<double>(k + 1) / images.cols());
    }
    const double n = r.cues;
    r.clean_code_fraction = r.clean_code / n;
    r.clean_code_ci95 = wilson_interval(r.clean_code, r.cues);
    r.clean_attractor_fraction = r.clean_attractor / n;
    r.mean_code_distance = dist / n;  // pixels, for the baselines
    r.cue_pixel_error = cue_wrong / n;
    r.pixel_error = wrong / n;
    r.mse = mse / n;
    r.mean_steps = steps / n;
    return r;
}

// ---- output helpers ---------------------------------------------------------

void retrieval_json(Json& j, const CorruptionSpec& c, const RetrievalReport& r) {
    j.begin_object()
        .field("corruption", to_string(c.kind))
        .field("level", c.level)
        .field("cues", r.cues)
        .field("clean_code", r.clean_code)
        .field("clean_code_fraction", r.clean_code_fraction);
    j.key("clean_code_ci95").begin_array().value(r.clean_code_ci95.low).value(r.clean_code_ci95.high).end_array();
    j.field("clean_attractor_fraction", r.clean_attractor_fraction)
        .field("mean_code_distance", r.mean_code_distance)
        .field("cue_pixel_error", r.cue_pixel_error)
        .field("pixel_error", r.pixel_error)
        .field("mse", r.mse)
        .field("mean_steps", r.mean_steps)
        .field("converged", r.converged)
        .end_object();
}

void retrieval_csv(Csv& csv, const std::string& model, const CorruptionSpec& c, const RetrievalReport& r) {
    const std::string section = "retrieval:" + c.label;
    const std::pair<const char*, double> rows[] = {
        {"cues", static_cast<double>(r.cues)},
        {"clean_code_fraction", r.clean_code_fraction},
        {"clean_code_ci_low", r.clean_code_ci95.low},
        {"clean_code_ci_high", r.clean_code_ci95.high},
        {"clean_attractor_fraction", r.clean_attractor_fraction},
        {"mean_code_distance", r.mean_code_distance},
        {"cue_pixel_error", r.cue_pixel_error},
        {"pixel_error", r.pixel_error},
        {"mse", r.mse},
        {"mean_steps", r.mean_steps},
        {"converged", static_cast<double>(r.converged)},
    };
    for (const auto& [name, value] : rows) {
        csv.cell(model).cell(section).cell(name).cell(value);
        csv.end_row();
    }
}

void csv_row(Csv& csv, const std::string& model, const std::string& section, const std::string& name,
             double value) {
    csv.cell(model).cell(section).cell(name).cell(value);
    csv.end_row();
}

struct BaselineResult {
    std::string model;
    std::string patterns;  // how they were made
    double parameter = 0;  // beta, order, or 0
    int distinct_patterns = 0;
    int stable_patterns = 0;  // stored patterns that are fixed points
    BaselineStorage storage;
    std::vector<RetrievalReport> retrieval;
};

int distinct_columns(const Matrix& m) {
    std::set<std::vector<std::uint64_t>> s;
    for (Eigen::Index k = 0; k < m.cols(); ++k) s.insert(key(m.col(k)));
    return static_cast<int>(s.size());
}

// "mnist train 8000" -> {"mnist", "train", "8000"}.
std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == ' ') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

}  // namespace

int cmd_eval(const Args& argv) {
    const Command command = eval_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;

    const std::vector<CorruptionSpec> corruptions = parse_corruptions(args.texts("corruptions"));
    const bool baselines = args.flag("baselines");
    const bool classify = args.flag("classifier");
    bool on_codes_wanted = false, on_pixels_wanted = false;
    for (const std::string& item : args.texts("classifier-inputs")) {
        require(item == "codes" || item == "pixels",
                "--classifier-inputs takes codes and/or pixels (got '" + item + "')");
        (item == "codes" ? on_codes_wanted : on_pixels_wanted) = true;
    }
    require(classify || !args.has("classifier-inputs"), "--classifier-inputs needs --classifier");
    const bool csv_stdout = args.has("csv") && args.text("csv") == "-";
    require(!(args.flag("json") && csv_stdout), "--json and --csv - both want stdout; give --csv a file");
    const std::uint64_t seed = args.seed("seed");
    const RecallOptions ro = recall_options(args);
    require(ro.schedule != Schedule::Continuous,
            "--schedule continuous is not supported by tdam eval (codes are compared exactly); use sync or async");

    const std::string stem = args.text("network");
    const SavedNetwork saved = load_network(stem);
    const ThresholdNetwork net = saved.network();
    const int nh = net.nh();

    // What the network was trained on, from its metadata ("mnist train 8000").
    const std::vector<std::string> trained = words(saved.metadata.dataset);
    std::string kind = args.has("dataset") ? args.text("dataset") : std::string();
    if (kind.empty()) {
        require(!trained.empty() && (trained[0] == "mnist" || trained[0] == "fashion"),
                "--dataset is needed: the network's metadata names no data set (dataset '" +
                    saved.metadata.dataset + "')");
        kind = trained[0];
    }
    default_data_dir(kind);  // checks the name
    int trained_images = -1;
    if (trained.size() >= 2 && trained[0] == kind && trained[1] == "train")
        for (const auto& [name, value] : saved.metadata.settings)
            if (name == "images" && value >= 1 && value <= limits::kMaxPatterns)
                trained_images = static_cast<int>(value);

    const std::string split = args.text("split");
    const std::string dir = args.has("data") ? args.text("data") : std::string();
    const int train_limit = args.has("train-limit") ? args.int32("train-limit") : trained_images;
    int limit = -1;
    if (args.has("limit")) limit = args.int32("limit");
    else if (split == "train") limit = train_limit;

    const auto t_load = std::chrono::steady_clock::now();
    const LearningData eval = load_learning_data(kind, dir, split, limit);
    const Matrix& images = eval.data.images;
    require(images.rows() == net.nv(), "the network has N_v = " + std::to_string(net.nv()) + ", the " + kind +
                                           " images have " + std::to_string(images.rows()) + " pixels");
    LearningData train, test;
    if (baselines || classify) {
        if (split == "train" && train_limit == limit) train = eval;
        else train = load_learning_data(kind, dir, "train", train_limit);
    }
    if (classify) {
        const int test_limit = args.has("test-limit") ? args.int32("test-limit") : -1;
        if (split == "test" && test_limit == limit) test = eval;
        else test = load_learning_data(kind, dir, "test", test_limit);
    }
    const double load_seconds = seconds_since(t_load);
    const int cue_count = std::min(args.int32("cues"), eval.data.count());
    const Matrix cue_images = images.leftCols(cue_count);
    const int trials = args.int32("trials");

    // Progress: storage and retrieval count 1 each, baselines 2, classifier 2.
    const double total_work =
        1.0 + (corruptions.empty() ? 0.0 : 1.0) + (baselines ? 2.0 : 0.0) + (classify ? 2.0 : 0.0);
    double done = 0;
    ProgressLine progress("eval");
    auto stage = [&](double weight) {
        const Progress p = progress.callback(done / total_work, weight / total_work);
        done += weight;
        return p;
    };

    // ---- threshold network
    const auto t_storage = std::chrono::steady_clock::now();
    const StorageReport storage = evaluate_storage(net, images, ro, stage(0.8));
    // The codes recall from each image settles on (the attractors; equal to
    // the codes themselves for images whose code is a fixed point).
    int distinct_attractors = 0;
    {
        RecallOptions quiet = ro;
        quiet.record_states = false;
        std::set<std::vector<std::uint64_t>> seen;
        const Progress p = stage(0.2);
        for (Eigen::Index k = 0; k < images.cols(); ++k) {
            seen.insert(key(recall(net, images.col(k), quiet).final_hidden));
            if (p && k % 256 == 255) p(static_cast<double>(k + 1) / images.cols());
        }
        distinct_attractors = static_cast<int>(seen.size());
    }
    const double storage_seconds = seconds_since(t_storage);

    const auto t_retrieval = std::chrono::steady_clock::now();
    std::vector<RetrievalReport> retrieval;
    const double per_corruption = corruptions.empty() ? 0.0 : 1.0 / corruptions.size();
    for (std::size_t c = 0; c < corruptions.size(); ++c) {
        RetrievalOptions o;
        o.corruption.kind = corruptions[c].kind;
        o.corruption.level = corruptions[c].level;
        o.corruption.rows = eval.data.rows;
        o.corruption.cols = eval.data.cols;
        o.trials = trials;
        o.seed = derived_seed(seed, 10 + c);
        o.recall = ro;
        o.progress = stage(per_corruption);
        retrieval.push_back(evaluate_retrieval(net, cue_images, o));
    }
    const double retrieval_seconds = seconds_since(t_retrieval);

    // ---- baselines
    std::vector<BaselineResult> base;
    KMeans km;
    const auto t_baselines = std::chrono::steady_clock::now();
    if (baselines) {
        km = kmeans(train.data.images, nh, derived_seed(seed, 2), args.int32("kmeans-iterations"), stage(0.5));
        const Matrix centres = binarize(km.centres, 0.5);
        require(train.data.count() >= nh, "Hopfield baseline: " + std::to_string(train.data.count()) +
                                              " training images are fewer than N_h = " + std::to_string(nh));
        const Matrix stored_images = binarize(train.data.images.leftCols(nh), 0.5);
        const std::string km_text = "k-means centres (" + std::to_string(km.iterations) + " Lloyd iterations" +
                                    (km.converged ? ", converged" : "") + ") of " +
                                    std::to_string(train.data.count()) + " training images, binarised at 0.5";
        struct Spec {
            std::string name;
            std::unique_ptr<Model> model;
            std::string patterns;
            double parameter;
        };
        std::vector<Spec> specs;
        specs.push_back({"softmax", std::make_unique<SoftmaxNetwork>(centres, args.real("beta"), Visible::Binary),
                         km_text, args.real("beta")});
        specs.push_back({"polynomial", std::make_unique<PolynomialNetwork>(centres, args.int32("order")), km_text,
                         static_cast<double>(args.int32("order"))});
        specs.push_back({"hopfield", std::make_unique<HopfieldNetwork>(stored_images),
                         "the first " + std::to_string(nh) + " training images, binarised at 0.5", 0.0});
        const double per_model = 1.5 / specs.size();
        for (const Spec& s : specs) {
            BaselineResult b;
            b.model = s.name;
            b.patterns = s.patterns;
            b.parameter = s.parameter;
            b.distinct_patterns = distinct_columns(s.model->weights());
            b.stable_patterns = count_stable_patterns(*s.model, Schedule::Synchronous);
            const double share = corruptions.empty() ? 1.0 : 0.5;
            b.storage = baseline_storage(*s.model, images, ro, cue_count, stage(per_model * share));
            for (std::size_t c = 0; c < corruptions.size(); ++c) {
                Corruption corr;
                corr.kind = corruptions[c].kind;
                corr.level = corruptions[c].level;
                corr.rows = eval.data.rows;
                corr.cols = eval.data.cols;
                b.retrieval.push_back(baseline_retrieval(*s.model, cue_images, b.storage, corr, trials,
                                                         derived_seed(seed, 10 + c), ro,
                                                         stage(per_model * 0.5 / corruptions.size())));
            }
            b.storage.one_step.clear();
            b.storage.attractor.clear();
            base.push_back(std::move(b));
        }
    }
    const double baseline_seconds = seconds_since(t_baselines);

    // ---- classifier
    double codes_accuracy = 0, pixels_accuracy = 0, codes_train_accuracy = 0, pixels_train_accuracy = 0;
    double codes_seconds = 0, pixels_seconds = 0;
    ClassifierOptions co;
    if (classify) {
        co.hidden = args.int32("classifier-hidden");
        co.epochs = args.int32("classifier-epochs");
        co.seed = derived_seed(seed, 3);
        const Matrix train_codes = encode(net, train.data.images);
        const Matrix test_codes = encode(net, test.data.images);
        auto t0 = std::chrono::steady_clock::now();
        if (on_codes_wanted) {
            Classifier on_codes;
            co.progress = stage(0.4);
            on_codes.fit(train_codes, train.data.labels, co);
            codes_accuracy = on_codes.accuracy(test_codes, test.data.labels);
            codes_train_accuracy = on_codes.accuracy(train_codes, train.data.labels);
            codes_seconds = seconds_since(t0);
        }
        t0 = std::chrono::steady_clock::now();
        if (on_pixels_wanted) {
            Classifier on_pixels;
            co.progress = stage(1.6);
            on_pixels.fit(train.data.images, train.data.labels, co);
            pixels_accuracy = on_pixels.accuracy(test.data.images, test.data.labels);
            pixels_train_accuracy = on_pixels.accuracy(train.data.images, train.data.labels);
            pixels_seconds = seconds_since(t0);
        }
    }
    progress.clear();

    const double possible = std::ldexp(1.0, nh);
    // References: an all-background (zero) image, and the mean image, for every measured image.
    double blank_pixel_error = 0, blank_mse = 0, mean_mse = 0, binarised_mse = 0;
    {
        const Vector mean = images.rowwise().mean();
        for (Eigen::Index k = 0; k < images.cols(); ++k)
            for (Eigen::Index i = 0; i < images.rows(); ++i) {
                const double x = images(i, k);
                blank_pixel_error += x > 0.5 ? 1.0 : 0.0;
                blank_mse += x * x;
                mean_mse += (x - mean[i]) * (x - mean[i]);
                const double b = x > 0.5 ? 1.0 : 0.0;  // the best a ±1 state can do
                binarised_mse += (x - b) * (x - b);
            }
        const double cells = static_cast<double>(images.size());
        blank_pixel_error /= cells;
        blank_mse /= cells;
        mean_mse /= cells;
        binarised_mse /= cells;
    }
    Output out;
    if (args.has("csv")) {
        Csv csv({"model", "section", "measure", "value"});
        const std::pair<const char*, double> srows[] = {
            {"images", static_cast<double>(storage.images)},
            {"mse", storage.mse},
            {"pixel_error", storage.pixel_error},
            {"fixed_point_fraction", storage.fixed_point_fraction},
            {"fixed_point_distance", storage.fixed_point_distance},
            {"recall_mse", storage.recall_mse},
            {"distinct_codes", static_cast<double>(storage.distinct_codes)},
            {"possible_codes", possible},
            {"distinct_attractors", static_cast<double>(distinct_attractors)},
            {"mean_active", storage.mean_active},
            {"dead_units", static_cast<double>(storage.dead_units)},
            {"always_on_units", static_cast<double>(storage.always_on_units)},
        };
        for (const auto& [name, value] : srows) csv_row(csv, "threshold", "storage", name, value);
        for (std::size_t c = 0; c < corruptions.size(); ++c)
            retrieval_csv(csv, "threshold", corruptions[c], retrieval[c]);
        for (const BaselineResult& b : base) {
            const std::pair<const char*, double> brows[] = {
                {"images", static_cast<double>(b.storage.images)},
                {"mse", b.storage.mse},
                {"pixel_error", b.storage.pixel_error},
                {"fixed_point_fraction", b.storage.fixed_point_fraction},
                {"recall_mse", b.storage.recall_mse},
                {"recall_pixel_error", b.storage.recall_pixel_error},
                {"distinct_codes", static_cast<double>(b.storage.distinct_codes)},
                {"distinct_winners", static_cast<double>(b.storage.distinct_winners)},
                {"distinct_attractors", static_cast<double>(b.storage.distinct_attractors)},
                {"stored_patterns", static_cast<double>(nh)},
                {"distinct_patterns", static_cast<double>(b.distinct_patterns)},
                {"stable_patterns", static_cast<double>(b.stable_patterns)},
            };
            for (const auto& [name, value] : brows) csv_row(csv, b.model, "storage", name, value);
            for (std::size_t c = 0; c < corruptions.size(); ++c)
                retrieval_csv(csv, b.model, corruptions[c], b.retrieval[c]);
        }
        if (classify) {
            if (on_codes_wanted) {
                csv_row(csv, "threshold", "classifier", "codes_accuracy", codes_accuracy);
                csv_row(csv, "threshold", "classifier", "codes_train_accuracy", codes_train_accuracy);
            }
            if (on_pixels_wanted) {
                csv_row(csv, "threshold", "classifier", "pixels_accuracy", pixels_accuracy);
                csv_row(csv, "threshold", "classifier", "pixels_train_accuracy", pixels_train_accuracy);
            }
            csv_row(csv, "threshold", "classifier", "train_images", train.data.count());
            csv_row(csv, "threshold", "classifier", "test_images", test.data.count());
        }
        out.add_text_or_stdout(args.text("csv"), csv.str());
    }
    if (args.flag("json")) {
        Json j;
        j.begin_object()
            .field("network", stem)
            .field("method", saved.metadata.method)
            .field("trained_on", saved.metadata.dataset)
            .field("nv", net.nv())
            .field("nh", nh)
            .field("dataset", kind)
            .field("split", eval.split)
            .field("images", eval.data.count())
            .field("seed", seed)
            .field("schedule", to_string(ro.schedule));
        j.key("storage").begin_object()
            .field("mse", storage.mse)
            .field("pixel_error", storage.pixel_error)
            .field("fixed_point_fraction", storage.fixed_point_fraction)
            .field("fixed_point_distance", storage.fixed_point_distance)
            .field("recall_mse", storage.recall_mse)
            .field("distinct_codes", storage.distinct_codes)
            .field("possible_codes", possible)
            .field("distinct_attractors", distinct_attractors)
            .field("mean_active", storage.mean_active)
            .field("dead_units", storage.dead_units)
            .field("always_on_units", storage.always_on_units)
            .end_object();
        j.key("reference").begin_object()
            .field("blank_pixel_error", blank_pixel_error)
            .field("blank_mse", blank_mse)
            .field("mean_image_mse", mean_mse)
            .field("binarised_mse", binarised_mse)
            .end_object();
        j.key("retrieval").begin_array();
        for (std::size_t c = 0; c < corruptions.size(); ++c) retrieval_json(j, corruptions[c], retrieval[c]);
        j.end_array();
        if (baselines) {
            j.key("kmeans").begin_object()
                .field("images", train.data.count())
                .field("centres", nh)
                .field("iterations", km.iterations)
                .field("converged", km.converged)
                .field("inertia", km.inertia)
                .field("empty_restarts", km.empty_restarts)
                .end_object();
            j.key("baselines").begin_array();
            for (const BaselineResult& b : base) {
                j.begin_object()
                    .field("model", b.model)
                    .field("patterns", b.patterns)
                    .field("stored_patterns", nh)
                    .field("distinct_patterns", b.distinct_patterns)
                    .field("stable_patterns", b.stable_patterns);
                if (b.model == "softmax") j.field("beta", b.parameter);
                if (b.model == "polynomial") j.field("order", static_cast<int>(b.parameter));
                j.key("storage").begin_object()
                    .field("mse", b.storage.mse)
                    .field("pixel_error", b.storage.pixel_error)
                    .field("fixed_point_fraction", b.storage.fixed_point_fraction)
                    .field("recall_mse", b.storage.recall_mse)
                    .field("recall_pixel_error", b.storage.recall_pixel_error)
                    .field("recall_steps", b.storage.recall_steps)
                    .field("distinct_codes", b.storage.distinct_codes)
                    .field("distinct_winners", b.storage.distinct_winners)
                    .field("distinct_attractors", b.storage.distinct_attractors)
                    .end_object();
                j.key("retrieval").begin_array();
                for (std::size_t c = 0; c < corruptions.size(); ++c)
                    retrieval_json(j, corruptions[c], b.retrieval[c]);
                j.end_array().end_object();
            }
            j.end_array();
        }
        if (classify) {
            j.key("classifier").begin_object()
                .field("train_images", train.data.count())
                .field("test_images", test.data.count())
                .field("test_split", test.split)
                .field("hidden", co.hidden)
                .field("epochs", co.epochs)
                .field("codes_seconds", codes_seconds)
                .field("pixels_seconds", pixels_seconds);
            auto maybe = [&](const char* name, bool wanted, double value) {
                j.key(name);
                if (wanted) j.value(value);
                else j.null();
            };
            maybe("codes_accuracy", on_codes_wanted, codes_accuracy);
            maybe("pixels_accuracy", on_pixels_wanted, pixels_accuracy);
            maybe("codes_train_accuracy", on_codes_wanted, codes_train_accuracy);
            maybe("pixels_train_accuracy", on_pixels_wanted, pixels_train_accuracy);
            j.end_object();
        }
        j.key("seconds").begin_object()
            .field("load", load_seconds)
            .field("storage", storage_seconds)
            .field("retrieval", retrieval_seconds)
            .field("baselines", baseline_seconds)
            .field("classifier", codes_seconds + pixels_seconds)
            .field("cpu", static_cast<double>(std::clock()) / CLOCKS_PER_SEC)
            .end_object();
        j.end_object();
        out.text = j.str() + "\n";
    } else if (!csv_stdout) {
        char line[400];
        std::snprintf(line, sizeof line, "%s network %s (N_v = %d, N_h = %d, trained on %s) on %s (%d images)\n",
                      saved.metadata.method.c_str(), stem.c_str(), net.nv(), nh, saved.metadata.dataset.c_str(),
                      eval.description.c_str(), eval.data.count());
        out.text += line;
        std::snprintf(line, sizeof line,
                      "storage: MSE %.4f, pixel error %.4f, fixed points %.2f%% (recall moves %.3g bits), "
                      "%d distinct codes (of 2^%d), %.3g active units, %d dead\n",
                      storage.mse, storage.pixel_error, 100 * storage.fixed_point_fraction,
                      storage.fixed_point_distance, storage.distinct_codes, nh, storage.mean_active,
                      storage.dead_units);
        out.text += line;
        auto print_retrieval = [&](const std::string& who, const std::vector<RetrievalReport>& rs) {
            for (std::size_t c = 0; c < corruptions.size(); ++c) {
                const RetrievalReport& r = rs[c];
                std::snprintf(line, sizeof line,
                              "  %-10s %-13s clean code %6.2f%% [%.2f, %.2f], attractor %6.2f%%, pixel error "
                              "%.4f (cue %.4f)\n",
                              who.c_str(), corruptions[c].label.c_str(), 100 * r.clean_code_fraction,
                              100 * r.clean_code_ci95.low, 100 * r.clean_code_ci95.high,
                              100 * r.clean_attractor_fraction, r.pixel_error, r.cue_pixel_error);
                out.text += line;
            }
        };
        if (!corruptions.empty()) {
            out.text += "retrieval (" + std::to_string(cue_count) + " images x " + std::to_string(trials) +
                        " cues):\n";
            print_retrieval("threshold", retrieval);
        }
        for (const BaselineResult& b : base) {
            std::snprintf(line, sizeof line,
                          "%s baseline (%s): MSE %.4f, pixel error %.4f, fixed points %.2f%%, %d distinct codes, "
                          "%d distinct attractors\n",
                          b.model.c_str(), b.patterns.c_str(), b.storage.mse, b.storage.pixel_error,
                          100 * b.storage.fixed_point_fraction, b.storage.distinct_codes,
                          b.storage.distinct_attractors);
            out.text += line;
            print_retrieval(b.model, b.retrieval);
        }
        if (classify) {
            std::snprintf(line, sizeof line,
                          "classifier (%d train, %d test images), test accuracy:", train.data.count(),
                          test.data.count());
            out.text += line;
            if (on_codes_wanted) {
                std::snprintf(line, sizeof line, " codes %.2f%%", 100 * codes_accuracy);
                out.text += line;
            }
            if (on_pixels_wanted) {
                std::snprintf(line, sizeof line, " pixels %.2f%%", 100 * pixels_accuracy);
                out.text += line;
            }
            out.text += "\n";
        }
    }
    out.emit();
    return 0;
}

}  // namespace tdam::cli
