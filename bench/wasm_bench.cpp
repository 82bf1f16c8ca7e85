// The wasm bench module (build/wasm/tdam_bench{,_nosimd}.js, factory
// createTdamBench): the workloads of scenario.hpp inside WebAssembly, with no
// JS crossing per step, so bench/run.mjs can time the raw kernels and the raw
// Dynamics step apart from the wrapper's call overhead. Each call runs `count`
// iterations; the caller times it with performance.now().
#include <emscripten/bind.h>

#include <memory>
#include <string>

#include "scenario.hpp"

namespace {

struct State {
    bench::Step step, gauss;
    bench::Kernels kernels;
    std::shared_ptr<tdam::ThresholdNetwork> capacity;
    std::vector<tdam::Dynamics> ready;
};
std::unique_ptr<State> state;

void setup() {
    state = std::make_unique<State>();
    state->step = bench::make_step({});
    bench::StepSetup g;
    g.weights = tdam::WeightKind::Gaussian;
    state->gauss = bench::make_step(g);
    state->kernels.signs = tdam::kernels::SignWeights::pack(state->step.net->weights());
    state->capacity = bench::make_capacity({});
}

double step_checksum() { return bench::checksum(state->step.after_v, state->step.after_f); }
double gauss_checksum() { return bench::checksum(state->gauss.after_v, state->gauss.after_f); }

// prepare(count, gauss) makes the copies that runPrepared() then steps once each.
void prepare(int count, bool gauss) { state->ready = bench::copies(gauss ? state->gauss : state->step, count); }
double run_prepared() { return bench::step_all(state->ready); }

template <double (*Kernel)(const bench::Step&, bench::Kernels&)>
double repeat(int count) {
    double sink = 0.0;
    for (int k = 0; k < count; ++k) sink += Kernel(state->step, state->kernels);
    return sink;
}

double pack(int count) {
    double sink = 0.0;
    for (int k = 0; k < count; ++k) sink += tdam::kernels::SignWeights::pack(state->step.net->weights()).words();
    return sink;
}

double capacity(int count) {
    double stable = 0.0;
    for (int k = 0; k < count; ++k) stable = bench::count_stable(*state->capacity);
    return stable;
}

std::string implementation() { return tdam::kernels::implementation(); }

}  // namespace

EMSCRIPTEN_BINDINGS(tdam_bench) {
    using namespace emscripten;
    function("setup", &setup);
    function("stepChecksum", &step_checksum);
    function("gaussChecksum", &gauss_checksum);
    function("prepare", &prepare);
    function("runPrepared", &run_prepared);
    function("hiddenField", &repeat<bench::hidden_field_fast>);
    function("hiddenFieldPlain", &repeat<bench::hidden_field_plain>);
    function("visibleDrive", &repeat<bench::visible_drive_fast>);
    function("visibleDrivePlain", &repeat<bench::visible_drive_plain>);
    function("signKeep", &repeat<bench::sign_update>);
    function("pack", &pack);
    function("capacity", &capacity);
    function("implementation", &implementation);
}
