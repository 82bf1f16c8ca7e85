#include "tdam/types.hpp"

#include "tdam/error.hpp"

namespace tdam {

Visible parse_visible(const std::string& text) {
    if (text == "linear") return Visible::Linear;
    if (text == "binary") return Visible::Binary;
    throw Error("unknown visible neuron type '" + text + "' (expected linear or binary)");
}

Schedule parse_schedule(const std::string& text) {
    if (text == "sync" || text == "synchronous") return Schedule::Synchronous;
    if (text == "async" || text == "asynchronous") return Schedule::Asynchronous;
    if (text == "continuous") return Schedule::Continuous;
    throw Error("unknown schedule '" + text + "' (expected sync, async or continuous)");
}

ModelKind parse_model_kind(const std::string& text) {
    if (text == "threshold") return ModelKind::Threshold;
    if (text == "softmax") return ModelKind::Softmax;
    if (text == "polynomial") return ModelKind::Polynomial;
    if (text == "hopfield") return ModelKind::Hopfield;
    throw Error("unknown model '" + text + "' (expected threshold, softmax, polynomial or hopfield)");
}

const char* to_string(Visible visible) {
    return visible == Visible::Linear ? "linear" : "binary";
}

const char* to_string(Schedule schedule) {
    switch (schedule) {
        case Schedule::Synchronous: return "sync";
        case Schedule::Asynchronous: return "async";
        case Schedule::Continuous: return "continuous";
    }
    return "?";
}

const char* to_string(ModelKind kind) {
    switch (kind) {
        case ModelKind::Threshold: return "threshold";
        case ModelKind::Softmax: return "softmax";
        case ModelKind::Polynomial: return "polynomial";
        case ModelKind::Hopfield: return "hopfield";
    }
    return "?";
}

}  // namespace tdam
