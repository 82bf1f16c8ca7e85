// Embind registration, part 3: models and step-by-step dynamics. A
// ModelHandle owns one tdam::Model (shared, so a DynamicsHandle keeps it
// alive after the model is deleted in JS); every method is an adapter that
// validates its inputs through the core and converts the result.
#include <emscripten/bind.h>

#include <malloc.h>

#include <memory>

#include "adapter.hpp"
#include "tdam/capacity.hpp"
#include "tdam/dynamics.hpp"
#include "tdam/error.hpp"
#include "tdam/learn.hpp"
#include "tdam/limits.hpp"
#include "tdam/make_model.hpp"
#include "tdam/similarity.hpp"
#include "tdam/threshold.hpp"

namespace tdam_wasm {

namespace {

// Live handles, for the leak tests (JS: tdam.stats()).
int live_models = 0;
int live_dynamics = 0;


// Defaults shared with the CLI (tdam --theta 0.5 --beta 1 --order 3).
constexpr double kDefaultTheta = 0.5;
constexpr double kDefaultBeta = 1.0;
constexpr double kDefaultOrder = 3.0;

tdam::RecallOptions read_recall_options(const val& options) {
    const Options o(options, "recall option",
                    {"schedule", "maxSteps", "seed", "dt", "tauV", "tauH", "tolerance", "recordStates"});
    const tdam::RecallOptions d;
    tdam::RecallOptions r;
    r.schedule = tdam::parse_schedule(o.text("schedule", tdam::to_string(d.schedule)));
    r.max_steps = o.integer("maxSteps", d.max_steps, 0, static_cast<double>(tdam::limits::kMaxSteps));
    r.seed = o.seed("seed", d.seed);
    r.dt = o.number("dt", d.dt);
    r.tau_v = o.number("tauV", d.tau_v);
    r.tau_h = o.number("tauH", d.tau_h);
    r.tolerance = o.number("tolerance", d.tolerance);
    r.record_states = o.flag("recordStates", d.record_states);
    tdam::check_options(r);
    return r;
}

// (steps + 1) states of equal length, row-major in one array.
val flatten(const std::vector<tdam::Vector>& states) {
    std::size_t total = 0;
    for (const auto& s : states) total += static_cast<std::size_t>(s.size());
    std::vector<double> flat;
    flat.reserve(total);
    for (const auto& s : states) flat.insert(flat.end(), s.data(), s.data() + s.size());
    return to_array(flat);
}

val interval(const tdam::Interval& i) {
    val a = val::array();
    a.call<void>("push", i.low, i.high);
    return a;
}

}  // namespace

class DynamicsHandle {
public:
    DynamicsHandle(std::shared_ptr<const tdam::Model> model, const tdam::Vector& cue,
                   const tdam::RecallOptions& options)
        : dynamics_(std::move(model), cue, options) {
        ++live_dynamics;
    }
    ~DynamicsHandle() { --live_dynamics; }
    DynamicsHandle(const DynamicsHandle&) = delete;
    DynamicsHandle& operator=(const DynamicsHandle&) = delete;

    val step() {
        return guarded([&] { return val(dynamics_.step()); });
    }
    val visible() const { return to_array(dynamics_.visible()); }
    val hidden() const { return to_array(dynamics_.hidden()); }
    // Where the current state lives in the wasm heap (byte offset, length),
    // for readVisible/readHidden, which copy it into the caller's array
    // without allocating. The offset is valid until the next call into wasm.
    double visible_offset() const { return static_cast<double>(reinterpret_cast<std::uintptr_t>(dynamics_.visible().data())); }
    int visible_length() const { return static_cast<int>(dynamics_.visible().size()); }
    double hidden_offset() const { return static_cast<double>(reinterpret_cast<std::uintptr_t>(dynamics_.hidden().data())); }
    int hidden_length() const { return static_cast<int>(dynamics_.hidden().size()); }
    double energy() const { return dynamics_.energy(); }
    int steps() const { return dynamics_.steps(); }
    bool cycled() const { return dynamics_.cycled(); }

private:
    tdam::Dynamics dynamics_;
};

class ModelHandle {
public:
    explicit ModelHandle(std::shared_ptr<tdam::Model> model) : model_(std::move(model)) { ++live_models; }
    ~ModelHandle() { --live_models; }
    ModelHandle(const ModelHandle&) = delete;
    ModelHandle& operator=(const ModelHandle&) = delete;

    int nv() const { return model_->nv(); }
    int nh() const { return model_->nh(); }
    std::string kind() const { return tdam::to_string(model_->kind()); }
    std::string visible() const { return tdam::to_string(model_->visible()); }

    val energy(std::uintptr_t offset, int length) const {
        return guarded([&] {
            const tdam::Vector v = read_vector(offset, length);
            model_->check_visible(v, "state");
            return val(model_->energy(v));
        });
    }

    val is_stable_code(std::uintptr_t offset, int length) const {
        return guarded([&] { return val(tdam::is_stable_code(threshold("isStableCode"), read_vector(offset, length))); });
    }

    val code_pattern(std::uintptr_t offset, int length) const {
        return guarded([&] { return to_array(tdam::code_pattern(threshold("codePattern"), read_vector(offset, length))); });
    }

    val recall(std::uintptr_t offset, int length, val options) const {
        return guarded([&] {
            const tdam::RecallOptions o = read_recall_options(options);
            const tdam::Vector cue = read_vector(offset, length);
            model_->check_visible(cue, "cue");
            const tdam::Trajectory t = tdam::recall(*model_, cue, o);
            val r = val::object();
            r.set("steps", t.steps);
            r.set("stop", std::string(tdam::to_string(t.stop)));
            r.set("energy", to_array(t.energy));
            r.set("visible", o.record_states ? flatten(t.visible) : val::null());
            r.set("hidden", o.record_states ? flatten(t.hidden) : val::null());
            r.set("finalVisible", to_array(t.final_visible));
            r.set("finalHidden", to_array(t.final_hidden));
            return r;
        });
    }

    // Null (and takeError() set) on failure.
    std::unique_ptr<DynamicsHandle> dynamics(std::uintptr_t offset, int length, val options) const {
        std::unique_ptr<DynamicsHandle> out;
        guarded([&] {
            const tdam::RecallOptions o = read_recall_options(options);
            const tdam::Vector cue = read_vector(offset, length);
            model_->check_visible(cue, "cue");
            out = std::make_unique<DynamicsHandle>(model_, cue, o);
            return val::undefined();
        });
        return out;
    }

    val count_stable_codes(val options, val progress) const {
        return guarded([&] {
            const Options o(options, "countStableCodes option", {"samples", "seed"});
            const tdam::CapacityOptions d;
            tdam::CapacityOptions c;
            const double samples = o.number("samples", static_cast<double>(d.samples));
            c.samples = to_int(samples, "countStableCodes option samples", 0,
                               static_cast<double>(tdam::limits::kMaxSamples));
            c.seed = o.seed("seed", d.seed);
            c.progress = to_progress(progress, "onProgress");
            const tdam::CapacityResult r = tdam::count_stable_codes(threshold("countStableCodes"), c);
            val out = val::object();
            out.set("stable", r.stable);
            out.set("total", r.total);
            out.set("exhaustive", r.exhaustive);
            out.set("checked", static_cast<double>(r.checked));
            out.set("stableChecked", static_cast<double>(r.stable_checked));
            out.set("fraction", r.fraction);
            out.set("fractionCi95", interval(r.fraction_ci95));
            out.set("stableCi95", interval(r.stable_ci95));
            return out;
        });
    }

    val count_stable_patterns(val schedule) const {
        return guarded([&] {
            std::string text = "sync";
            if (!schedule.isUndefined() && !schedule.isNull()) {
                tdam::require(schedule.isString(), "schedule must be a string");
                text = schedule.as<std::string>();
            }
            return val(tdam::count_stable_patterns(*model_, tdam::parse_schedule(text)));
        });
    }

    // encode(images, count): the hard codes (nh x count, column-major) of a
    // Float64Array of images (nv x count), as tdam::encode computes them.
    val encode(val images, double count) const {
        return guarded([&] {
            const tdam::ThresholdNetwork& t = threshold("encode");
            const tdam::Matrix x = read_matrix(images, t.nv(), to_int(count, "count"), "images");
            const tdam::Matrix codes = tdam::encode(t, x);
            return to_array(codes.data(), static_cast<std::size_t>(codes.size()));
        });
    }

    val overlaps(std::uintptr_t offset, int length) const {
        return guarded([&] { return to_array(tdam::overlaps(*model_, read_vector(offset, length))); });
    }

private:
    const tdam::ThresholdNetwork& threshold(const char* what) const {
        const auto* t = dynamic_cast<const tdam::ThresholdNetwork*>(model_.get());
        tdam::require(t != nullptr, std::string(what) + " needs a threshold model (this one is " +
                                        tdam::to_string(model_->kind()) + ")");
        return *t;
    }

    std::shared_ptr<tdam::Model> model_;
};

namespace {

// createModel(options, weights, theta array, input): options is the JS
// object ({ kind, nv, nh, theta, beta, order, visible } plus the array keys);
// weights is its Float64Array (or null), theta (when an array) and input
// arrive staged in the heap (length -1: absent).
std::unique_ptr<ModelHandle> create_model(val options, val weights, std::uintptr_t theta_offset, int theta_length,
                                          std::uintptr_t input_offset, int input_length) {
    std::unique_ptr<ModelHandle> out;
    guarded([&] {
        const Options o(options, "createModel option",
                        {"kind", "weights", "nv", "nh", "theta", "beta", "order", "visible", "input"});
        const tdam::ModelKind kind = tdam::parse_model_kind(o.text("kind", "threshold"));
        tdam::require(o.has("nv"), "createModel: nv is required");
        tdam::require(o.has("nh"), "createModel: nh is required");
        const int nv = to_int(o.number("nv", 0), "nv"), nh = to_int(o.number("nh", 0), "nh");
        tdam::require(!weights.isNull() && !weights.isUndefined(), "createModel: weights are required");
        const tdam::Visible visible =
            o.has("visible") ? tdam::parse_visible(o.text("visible", "")) : tdam::default_visible(kind);
        const tdam::Matrix xi = read_matrix(weights, nv, nh, "weights");
        const bool theta_vector = kind == tdam::ModelKind::Threshold && theta_length >= 0;
        const tdam::Vector theta = theta_vector ? read_vector(theta_offset, theta_length) : tdam::Vector();
        const tdam::Vector input = input_length >= 0 ? read_vector(input_offset, input_length) : tdam::Vector();
        std::shared_ptr<tdam::Model> model;
        if (theta_vector) {
            model = std::make_shared<tdam::ThresholdNetwork>(xi, theta, visible);
        } else {
            double parameter = 0.0;
            switch (kind) {
                case tdam::ModelKind::Threshold: parameter = o.number("theta", kDefaultTheta); break;
                case tdam::ModelKind::Softmax: parameter = o.number("beta", kDefaultBeta); break;
                case tdam::ModelKind::Polynomial: parameter = o.number("order", kDefaultOrder); break;
                case tdam::ModelKind::Hopfield: break;
            }
            model = tdam::make_model(kind, xi, parameter, visible);
        }
        if (input_length >= 0) model->set_input(input);
        out = std::make_unique<ModelHandle>(std::move(model));
        return val::undefined();
    });
    return out;
}

val stats() {
    val s = val::object();
    s.set("liveModels", live_models);
    s.set("liveDynamics", live_dynamics);
    s.set("heapBytes", static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0);  // linear memory
    s.set("heapUsed", static_cast<double>(mallinfo().uordblks));  // bytes allocated by malloc now
    return s;
}

}  // namespace

}  // namespace tdam_wasm

EMSCRIPTEN_BINDINGS(tdam_model) {
    using namespace emscripten;
    using tdam_wasm::DynamicsHandle;
    using tdam_wasm::ModelHandle;
    class_<DynamicsHandle>("DynamicsHandle")
        .function("step", &DynamicsHandle::step)
        .function("visible", &DynamicsHandle::visible)
        .function("hidden", &DynamicsHandle::hidden)
        .function("visibleOffset", &DynamicsHandle::visible_offset)
        .function("visibleLength", &DynamicsHandle::visible_length)
        .function("hiddenOffset", &DynamicsHandle::hidden_offset)
        .function("hiddenLength", &DynamicsHandle::hidden_length)
        .function("energy", &DynamicsHandle::energy)
        .function("steps", &DynamicsHandle::steps)
        .function("cycled", &DynamicsHandle::cycled);
    class_<ModelHandle>("ModelHandle")
        .function("nv", &ModelHandle::nv)
        .function("nh", &ModelHandle::nh)
        .function("kind", &ModelHandle::kind)
        .function("visible", &ModelHandle::visible)
        .function("energy", &ModelHandle::energy)
        .function("isStableCode", &ModelHandle::is_stable_code)
        .function("codePattern", &ModelHandle::code_pattern)
        .function("recall", &ModelHandle::recall)
        .function("dynamics", &ModelHandle::dynamics)
        .function("countStableCodes", &ModelHandle::count_stable_codes)
        .function("countStablePatterns", &ModelHandle::count_stable_patterns)
        .function("overlaps", &ModelHandle::overlaps)
        .function("encode", &ModelHandle::encode);
    function("createModel", &tdam_wasm::create_model);
    function("stats", &tdam_wasm::stats);
}
