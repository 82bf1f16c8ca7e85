// Native benchmark: the workloads of scenario.hpp (one synchronous recall
// step at N_v = 4096, N_h = 512 with a binary state; an exhaustive capacity
// count at N_v = 1000, N_h = 16), their kernels on their own, and the plain
// scalar loops of scalar_reference.hpp. Medians over repeated runs.
//   tdam_bench            a Markdown table
//   tdam_bench --json     the same numbers as JSON (what bench/run.mjs reads)
//   --repeats N           runs per measurement (default 15)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "scalar_reference.hpp"
#include "scenario.hpp"

namespace {

using Clock = std::chrono::steady_clock;
volatile double sink = 0;

// CPU time of this process (what bench/run.mjs measures with
// process.cpuUsage(): on a busy machine, the time the work actually ran).
double cpu_seconds() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Timing {
    double cpu_ms, wall_ms;  // medians
};

double median(std::vector<double> t) {
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

// Medians over `repeats` runs of the time of one call of work(), each run
// timing `count` calls (prepare() first, outside the clock), after a
// warm-up run.
template <class Prepare, class Work>
Timing measure(int repeats, int count, Prepare prepare, Work work) {
    std::vector<double> cpu, wall;
    for (int r = -1; r < repeats; ++r) {
        prepare();
        const double c0 = cpu_seconds();
        const auto w0 = Clock::now();
        for (int k = 0; k < count; ++k) sink = sink + work(k);
        const double w = std::chrono::duration<double>(Clock::now() - w0).count();
        const double c = cpu_seconds() - c0;
        if (r < 0) continue;
        cpu.push_back(c * 1e3 / count);
        wall.push_back(w * 1e3 / count);
    }
    return {median(cpu), median(wall)};
}

template <class Work>
Timing measure(int repeats, int count, Work work) {
    return measure(repeats, count, [] {}, work);
}

struct Result {
    std::string key, what;
    Timing t;
};

}  // namespace

int main(int argc, char** argv) {
    bool json = false;
    int repeats = 15;
    for (int a = 1; a < argc; ++a) {
        if (std::strcmp(argv[a], "--json") == 0) json = true;
        else if (std::strcmp(argv[a], "--repeats") == 0 && a + 1 < argc) repeats = std::atoi(argv[++a]);
    }
    std::vector<Result> results;
    double step_checksum = 0, gauss_checksum = 0, stable = 0;

    {  // one synchronous step, +-1 weights
        const bench::Step step = bench::make_step({});
        step_checksum = bench::checksum(step.after_v, step.after_f);
        const int count = 40;  // as bench/run.mjs steps the wasm bench module
        std::vector<tdam::Dynamics> ds;
        results.push_back({"step", "sync step, Dynamics::step()",
                           measure(repeats, count, [&] { ds = bench::copies(step, count); },
                                     [&](int k) {
                                         ds[k].step();
                                         return ds[k].energy();
                                     })});
        bench::Kernels k;
        k.signs = tdam::kernels::SignWeights::pack(step.net->weights());
        results.push_back({"hidden_field", "kernel: hidden field xi^T v (+-1 v, XNOR-popcount)",
                           measure(repeats, 200, [&](int) { return bench::hidden_field_fast(step, k); })});
        results.push_back({"visible_drive", "kernel: visible drive xi s (0/1 s, int8 column sums)",
                           measure(repeats, 200, [&](int) { return bench::visible_drive_fast(step, k); })});
        results.push_back({"sign_keep", "kernel: sign update of v",
                           measure(repeats, 200, [&](int) { return bench::sign_update(step, k); })});
        results.push_back({"hidden_field_plain", "plain loop: hidden field (reference kernel)",
                           measure(repeats, 10, [&](int) { return bench::hidden_field_plain(step, k); })});
        results.push_back({"visible_drive_plain", "plain loop: visible drive (reference kernel)",
                           measure(repeats, 50, [&](int) { return bench::visible_drive_plain(step, k); })});
        results.push_back({"pack", "packing the +-1 weights (once per Dynamics)",
                           measure(std::max(3, repeats / 3), 3, [&](int) {
                               return static_cast<double>(
                                   tdam::kernels::SignWeights::pack(step.net->weights()).words());
                           })});
        tdam::Vector v, s(step.setup.nh);
        results.push_back({"step_scalar", "sync step, plain scalar loops",
                           measure(std::max(3, repeats / 3), 3, [&] { v = step.cue; },
                                     [&](int) {
                                         bench::scalar_sync_step_binary(step.net->weights(), step.setup.theta, v, s);
                                         return v[0];
                                     })});
    }
    {  // the same step with Gaussian weights (no integer kernels)
        bench::StepSetup g;
        g.weights = tdam::WeightKind::Gaussian;
        const bench::Step step = bench::make_step(g);
        gauss_checksum = bench::checksum(step.after_v, step.after_f);
        const int count = 20;
        std::vector<tdam::Dynamics> ds;
        results.push_back({"step_gauss", "sync step, Gaussian weights",
                           measure(repeats, count, [&] { ds = bench::copies(step, count); },
                                     [&](int k) {
                                         ds[k].step();
                                         return ds[k].energy();
                                     })});
    }
    {  // exhaustive capacity count
        const auto net = bench::make_capacity({});
        stable = bench::count_stable(*net);
        results.push_back({"capacity", "exhaustive capacity count (count_stable_codes)",
                           measure(repeats, 5, [&](int) { return bench::count_stable(*net); })});
        std::int64_t scalar = 0;
        results.push_back({"capacity_scalar", "exhaustive capacity count, plain scalar loops",
                           measure(std::max(3, repeats / 3), 1, [&](int) {
                               scalar = bench::scalar_count_stable(net->weights(), net->theta()[0]);
                               return static_cast<double>(scalar);
                           })});
        if (static_cast<double>(scalar) != stable) {
            std::fprintf(stderr, "capacity mismatch: ours %.0f, scalar %lld\n", stable, static_cast<long long>(scalar));
            return 1;
        }
    }

    if (json) {
        std::printf("{\"implementation\": \"%s\", \"step_checksum\": %.17g, \"gauss_checksum\": %.17g, \"stable\": %.17g",
                    tdam::kernels::implementation(), step_checksum, gauss_checksum, stable);
        for (const Result& r : results)
            std::printf(", \"%s\": %.17g, \"%s_wall\": %.17g", r.key.c_str(), r.t.cpu_ms, r.key.c_str(), r.t.wall_ms);
        std::printf("}\n");
    } else {
        std::printf("| measurement (native, %s) | median CPU time | median wall time |\n|---|---|---|\n",
                    tdam::kernels::implementation());
        for (const Result& r : results) std::printf("| %s | %.4g ms | %.4g ms |\n", r.what.c_str(), r.t.cpu_ms, r.t.wall_ms);
        std::printf("\nstep checksum %.17g, Gaussian step checksum %.17g, stable codes %.0f\n", step_checksum,
                    gauss_checksum, stable);
    }
    return sink == 12345.678 ? 2 : 0;
}
