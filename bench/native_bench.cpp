// Native benchmark (issue 2): one synchronous recall step and an exhaustive
// capacity count, ours against the plain scalar loops of scalar_reference.hpp.
// Prints medians over repeated runs and their ratio, measured in this run;
// `--out FILE` also writes the table as Markdown.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "scalar_reference.hpp"
#include "tdam/tdam.hpp"

namespace {

double median_seconds(int repeats, const std::function<void()>& work) {
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        work();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

struct Row {
    std::string what;
    double ours, scalar;
};

}  // namespace

int main(int argc, char** argv) {
    const char* out = nullptr;
    for (int a = 1; a + 1 < argc; ++a)
        if (std::strcmp(argv[a], "--out") == 0) out = argv[a + 1];
    std::vector<Row> rows;
    volatile double sink = 0;

    for (auto [nv, nh, reps] : {std::tuple{1000, 16, 2000}, std::tuple{4096, 512, 20}}) {
        tdam::Rng rng(1);
        const tdam::Matrix xi = tdam::random_weights(nv, nh, tdam::WeightKind::PlusMinusOne, rng);
        const auto net = std::make_shared<tdam::ThresholdNetwork>(xi, 0.5);
        tdam::Vector s = tdam::Vector::Zero(nh);
        for (int mu = 0; mu < nh; mu += 3) s[mu] = 1;
        const tdam::Vector cue = tdam::code_pattern(*net, s);
        tdam::RecallOptions o;
        const tdam::Dynamics start(net, cue, o);  // the cue's fields, computed once
        const double ours = median_seconds(7, [&] {
            for (int r = 0; r < reps; ++r) {
                tdam::Dynamics d = start;
                d.step();
                sink = sink + d.energy();
            }
        });
        const double scalar = median_seconds(7, [&] {
            for (int r = 0; r < reps; ++r) {
                tdam::Vector v = cue, code(nh);
                bench::scalar_sync_step(xi, 0.5, v, code);
                sink = sink + v[0];
            }
        });
        rows.push_back({"sync step N_v=" + std::to_string(nv) + " N_h=" + std::to_string(nh) +
                            " (one step)",
                        ours / reps, scalar / reps});
    }
    {
        tdam::Rng rng(1);
        const tdam::Matrix xi = tdam::random_weights(1000, 16, tdam::WeightKind::PlusMinusOne, rng);
        tdam::ThresholdNetwork net(xi, 0.5);
        std::int64_t a = 0, b = 0;
        const double ours = median_seconds(5, [&] { a = static_cast<std::int64_t>(tdam::count_stable_codes(net, {}).stable); });
        const double scalar = median_seconds(5, [&] { b = bench::scalar_count_stable(xi, 0.5); });
        if (a != b) {
            std::fprintf(stderr, "mismatch: ours %lld, scalar %lld\n", static_cast<long long>(a), static_cast<long long>(b));
            return 1;
        }
        rows.push_back({"exhaustive capacity N_v=1000 N_h=16 (" + std::to_string(a) + " stable)", ours, scalar});
    }

    std::string table = "| benchmark | ours (median) | plain scalar loops | speed-up |\n|---|---|---|---|\n";
    char line[512];
    for (const Row& r : rows) {
        std::snprintf(line, sizeof line, "| %s | %.3g ms | %.3g ms | %.1fx |\n", r.what.c_str(), r.ours * 1e3,
                      r.scalar * 1e3, r.scalar / r.ours);
        table += line;
    }
    std::fputs(table.c_str(), stdout);
    if (out) {
        FILE* f = std::fopen(out, "w");
        if (!f) {
            std::perror(out);
            return 1;
        }
        std::fputs(table.c_str(), f);
        std::fclose(f);
    }
    return sink == 12345.678 ? 2 : 0;
}
