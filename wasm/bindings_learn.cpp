// Embind registration, part 4: learning from images (tdam/learn.hpp), the
// code classifier (tdam/classifier.hpp), saved networks (tdam/network_io.hpp)
// and the MNIST split (tdam/datasets.hpp). Adapters only: the work is the
// core's, so a network trained here is the network `tdam train` makes from
// the same images and options, bit for bit.
#include <emscripten/bind.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "adapter.hpp"
#include "tdam/classifier.hpp"
#include "tdam/datasets.hpp"
#include "tdam/error.hpp"
#include "tdam/learn.hpp"
#include "tdam/limits.hpp"
#include "tdam/network_io.hpp"
#include "tdam/npy.hpp"
#include "tdam/rng.hpp"

namespace tdam_wasm {

namespace {

int live_classifiers = 0;

val to_int_array(const std::vector<int>& v) {
    return val::global("Int32Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

std::string seed_text(std::uint64_t seed) { return std::to_string(seed); }

// Labels (a JS array or typed array of `count` integers) as ints.
std::vector<int> read_labels(const val& array, int count) {
    const tdam::Matrix m = read_matrix(array, count, 1, "labels");
    std::vector<int> labels(static_cast<std::size_t>(count));
    for (int k = 0; k < count; ++k)
        labels[static_cast<std::size_t>(k)] = to_int(m(k, 0), "labels[" + std::to_string(k) + "]", 0, 999);
    return labels;
}

// mnistSplit(count) -> { train: Int32Array, test: Int32Array }.
val mnist_split(double count) {
    return guarded([&] {
        const tdam::MnistSplit s =
            tdam::mnist_split(to_int(count, "count", 1, static_cast<double>(tdam::limits::kMaxPatterns)));
        val out = val::object();
        out.set("train", to_int_array(s.train));
        out.set("test", to_int_array(s.test));
        return out;
    });
}

// derivedSeed(seed, stream) -> the decimal string of tdam::derived_seed.
val derived_seed(val seed, double stream) {
    return guarded([&] {
        const std::uint64_t s = to_seed(seed, "seed");
        return val(seed_text(tdam::derived_seed(s, static_cast<std::uint64_t>(to_int(stream, "stream", 0, 1e9)))));
    });
}

val curve(const std::vector<double>& v) { return to_array(v); }
val curve(const std::vector<int>& v) { return to_int_array(v); }

// trainThreshold(images, nv, count, options, onProgress, onBatch): images is
// a Float64Array, column-major nv x count (one image per column).
val train_threshold(val images, double nv, double count, val options, val on_progress, val on_batch) {
    return guarded([&] {
        const Options o(options, "trainThreshold option",
                        {"hidden", "epochs", "batch", "learningRate", "thetaLearningRate", "betaStart", "betaEnd",
                         "activityTarget", "activityWeight", "margin", "marginWeight", "seed"});
        const tdam::TrainOptions d;
        tdam::TrainOptions t;
        t.hidden = o.integer("hidden", d.hidden, 1, static_cast<double>(tdam::limits::kMaxHidden));
        t.epochs = o.integer("epochs", d.epochs, 1, 100000);
        t.batch = o.integer("batch", d.batch, 1, static_cast<double>(tdam::limits::kMaxPatterns));
        t.learning_rate = o.number("learningRate", d.learning_rate);
        t.theta_learning_rate = o.number("thetaLearningRate", d.theta_learning_rate);
        t.beta_start = o.number("betaStart", d.beta_start);
        t.beta_end = o.number("betaEnd", d.beta_end);
        t.activity_target = o.number("activityTarget", d.activity_target);
        t.activity_weight = o.number("activityWeight", d.activity_weight);
        t.margin = o.number("margin", d.margin);
        t.margin_weight = o.number("marginWeight", d.margin_weight);
        t.seed = o.seed("seed", d.seed);
        tdam::check_train_options(t);
        t.progress = to_progress(on_progress, "onProgress");
        if (has_callback(on_batch, "onBatch")) {
            t.on_batch = [on_batch](std::int64_t step, double loss) {
                return on_batch(static_cast<double>(step), loss).as<bool>();
            };
        }
        const tdam::Matrix x = read_matrix(images, to_int(nv, "nv"), to_int(count, "count"), "images");
        const tdam::TrainResult r = tdam::train_threshold(x, t);
        val out = val::object();
        out.set("nv", static_cast<int>(r.xi.rows()));
        out.set("nh", static_cast<int>(r.xi.cols()));
        out.set("xi", to_array(r.xi.data(), static_cast<std::size_t>(r.xi.size())));
        out.set("theta", to_array(r.theta));
        out.set("lossPerEpoch", curve(r.loss_per_epoch));
        out.set("activityLossPerEpoch", curve(r.activity_loss_per_epoch));
        out.set("marginLossPerEpoch", curve(r.margin_loss_per_epoch));
        out.set("meanActivePerEpoch", curve(r.mean_active_per_epoch));
        out.set("distinctCodesPerEpoch", curve(r.distinct_codes_per_epoch));
        out.set("betaPerEpoch", curve(r.beta_per_epoch));
        out.set("steps", static_cast<double>(r.steps));
        val settings = val::object();
        for (const auto& [name, value] : tdam::describe(t)) settings.set(name, value);
        out.set("settings", settings);
        return out;
    });
}

// parseNetwork(jsonText, npyBytes, source): a network saved by tdam train
// (tdam::save_network), its JSON document and the bytes of its .npy file.
val parse_network(std::string json, val npy_bytes, std::string source) {
    return guarded([&] {
        const double length = npy_bytes["length"].as<double>();
        tdam::require(length >= 0 && length <= 2147483647.0, source + ": the weights file is too large");
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(length));
        if (!bytes.empty())
            val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<void>("set", npy_bytes);
        const std::string weights_name = tdam::network_weights_file(json, source);
        const tdam::Matrix xi = tdam::npy::to_matrix(tdam::npy::parse(bytes.data(), bytes.size()),
                                                     source + " weights '" + weights_name + "'");
        const tdam::SavedNetwork n = tdam::parse_network_json(json, xi, source);
        val out = val::object();
        out.set("nv", static_cast<int>(n.xi.rows()));
        out.set("nh", static_cast<int>(n.xi.cols()));
        out.set("weights", to_array(n.xi.data(), static_cast<std::size_t>(n.xi.size())));
        out.set("theta", to_array(n.theta));
        out.set("input", n.input.size() > 0 ? to_array(n.input) : val::null());
        out.set("visible", std::string(tdam::to_string(n.visible)));
        val m = val::object();
        m.set("method", n.metadata.method);
        m.set("command", n.metadata.command);
        m.set("dataset", n.metadata.dataset);
        m.set("imageRows", n.metadata.image_rows);
        m.set("imageCols", n.metadata.image_cols);
        m.set("seed", seed_text(n.metadata.seed));
        val settings = val::object();
        for (const auto& [name, value] : n.metadata.settings) settings.set(name, value);
        m.set("settings", settings);
        out.set("metadata", m);
        return out;
    });
}

// networkFiles(xi, nv, nh, theta, metadata, weightsFile): the two files of
// tdam::save_network for a network trained here, { json, npy: Uint8Array },
// so that a network trained in the browser opens in `tdam eval`. metadata:
// { method, command, dataset, imageRows, imageCols, seed, settings: { name:
// number } } (tdam::NetworkMetadata; settings in the object's key order).
val network_files(val xi, double nv, double nh, val theta, val metadata, std::string weights_file) {
    return guarded([&] {
        const int rows = to_int(nv, "nv"), cols = to_int(nh, "nh");
        const tdam::Matrix w = read_matrix(xi, rows, cols, "weights");
        const tdam::Vector t = read_matrix(theta, cols, 1, "theta").col(0);
        const Options o(metadata, "networkFiles metadata",
                        {"method", "command", "dataset", "imageRows", "imageCols", "seed", "settings"});
        tdam::NetworkMetadata m;
        m.method = o.text("method", "");
        m.command = o.text("command", "");
        m.dataset = o.text("dataset", "");
        m.image_rows = o.integer("imageRows", 0, 0, 65536);
        m.image_cols = o.integer("imageCols", 0, 0, 65536);
        m.seed = o.seed("seed", 0);
        if (o.has("settings")) {
            const val settings = o.get("settings");
            const val keys = val::global("Object").call<val>("keys", settings);
            const int n = keys["length"].as<int>();
            for (int k = 0; k < n; ++k) {
                const std::string key = keys[k].as<std::string>();
                const val v = settings[key];
                tdam::require(v.isNumber(), "networkFiles metadata settings." + key + " must be a number");
                m.settings.emplace_back(key, v.as<double>());
            }
        }
        const tdam::ThresholdNetwork net(w, t, tdam::Visible::Linear);
        const std::string json = tdam::network_json(net, m, weights_file);
        const std::vector<std::uint8_t> npy = tdam::npy::serialize(tdam::npy::from_matrix(w));
        val out = val::object();
        out.set("json", json);
        out.set("npy", val::global("Uint8Array").new_(emscripten::typed_memory_view(npy.size(), npy.data())));
        return out;
    });
}

}  // namespace

// A trained tdam::Classifier.
class ClassifierHandle {
public:
    ClassifierHandle() { ++live_classifiers; }
    ~ClassifierHandle() { --live_classifiers; }
    ClassifierHandle(const ClassifierHandle&) = delete;
    ClassifierHandle& operator=(const ClassifierHandle&) = delete;

    tdam::Classifier classifier;

    int inputs() const { return classifier.inputs(); }
    int classes() const { return classifier.classes(); }
    val loss_per_epoch() const { return to_array(classifier.loss_per_epoch()); }

    // features: Float64Array, column-major inputs x count.
    val probabilities(val features, double count) const {
        return guarded([&] {
            const tdam::Matrix p = classifier.probabilities(read(features, count));
            return to_array(p.data(), static_cast<std::size_t>(p.size()));
        });
    }
    val predict(val features, double count) const {
        return guarded([&] { return to_int_array(classifier.predict(read(features, count))); });
    }
    val accuracy(val features, double count, val labels) const {
        return guarded([&] {
            const int n = to_int(count, "count");
            return val(classifier.accuracy(read(features, n), read_labels(labels, n)));
        });
    }

private:
    tdam::Matrix read(const val& features, double count) const {
        return read_matrix(features, classifier.inputs(), to_int(count, "count"), "features");
    }
};

namespace {

// trainClassifier(features, inputs, count, labels, options, onProgress).
std::unique_ptr<ClassifierHandle> train_classifier(val features, double inputs, double count, val labels,
                                                   val options, val on_progress) {
    std::unique_ptr<ClassifierHandle> out;
    guarded([&] {
        const Options o(options, "trainClassifier option",
                        {"hidden", "epochs", "batch", "learningRate", "weightDecay", "seed"});
        const tdam::ClassifierOptions d;
        tdam::ClassifierOptions c;
        c.hidden = o.integer("hidden", d.hidden, 1, 100000);
        c.epochs = o.integer("epochs", d.epochs, 1, 100000);
        c.batch = o.integer("batch", d.batch, 1, static_cast<double>(tdam::limits::kMaxPatterns));
        c.learning_rate = o.number("learningRate", d.learning_rate);
        c.weight_decay = o.number("weightDecay", d.weight_decay);
        c.seed = o.seed("seed", d.seed);
        c.progress = to_progress(on_progress, "onProgress");
        const int n = to_int(count, "count");
        const tdam::Matrix x = read_matrix(features, to_int(inputs, "inputs"), n, "features");
        auto handle = std::make_unique<ClassifierHandle>();
        handle->classifier.fit(x, read_labels(labels, n), c);
        out = std::move(handle);
        return val::undefined();
    });
    return out;
}

val learn_stats() {
    val s = val::object();
    s.set("liveClassifiers", live_classifiers);
    return s;
}

}  // namespace

}  // namespace tdam_wasm

EMSCRIPTEN_BINDINGS(tdam_learn) {
    using namespace emscripten;
    using tdam_wasm::ClassifierHandle;
    class_<ClassifierHandle>("ClassifierHandle")
        .function("inputs", &ClassifierHandle::inputs)
        .function("classes", &ClassifierHandle::classes)
        .function("lossPerEpoch", &ClassifierHandle::loss_per_epoch)
        .function("probabilities", &ClassifierHandle::probabilities)
        .function("predict", &ClassifierHandle::predict)
        .function("accuracy", &ClassifierHandle::accuracy);
    function("mnistSplit", &tdam_wasm::mnist_split);
    function("derivedSeed", &tdam_wasm::derived_seed);
    function("trainThreshold", &tdam_wasm::train_threshold);
    function("parseNetwork", &tdam_wasm::parse_network);
    function("networkFiles", &tdam_wasm::network_files);
    function("trainClassifier", &tdam_wasm::train_classifier);
    function("learnStats", &tdam_wasm::learn_stats);
}
