// tdam capacity: the number of stable non-zero codes of a threshold network.
#include <cmath>
#include <cstdio>

#include "args.hpp"
#include "commands.hpp"
#include "inputs.hpp"
#include "json.hpp"
#include "output.hpp"
#include "tdam/capacity.hpp"
#include "tdam/limits.hpp"
#include "tdam/threshold.hpp"

namespace tdam::cli {

namespace {

Command capacity_command() {
    Command c;
    c.name = "capacity";
    c.usage = "tdam capacity --nv N --nh N [--theta T] [--visible linear|binary]\n"
              "              [--weights pm1|gauss|PATH.npy] [--seed S] [--samples K] [--json]";
    c.summary =
        "Counts the hidden codes s that are fixed points of the threshold network "
        "(s = H(xi^T v / N_v - theta) for its pattern v = xi s), the network's capacity (MODEL.md "
        "sections 2 and 5).\n"
        "The all-zero code is always a fixed point for theta >= 0 and is not counted: total = 2^N_h - 1 "
        "non-zero codes. The count is exhaustive when N_h <= 24 and --samples is not given; otherwise it "
        "is estimated from uniformly sampled non-zero codes (100000 unless --samples says otherwise) with "
        "a 95% Wilson confidence interval.";
    Option weights = opt::weights("pm1", true);
    c.options = {opt::nv(), opt::nh(), opt::theta(), 
                 {"visible", Type::Text, "linear", "linear or binary visible neurons", "KIND"},
                 weights,
                 opt::seed("seed of the random weights (drawn with random_weights(nv, nh, kind, Rng(seed))) "
                           "and, through a derived stream, of the sampled codes"),
                 {"samples", Type::Int, "", "estimate from K sampled codes instead of counting", "K", 1,
                  static_cast<double>(limits::kMaxSamples)},
                 opt::json()};
    c.notes =
        "JSON: {\"stable\", \"total\", \"exhaustive\", \"ci95\": [lo, hi] (counts), \"nv\", \"nh\", "
        "\"theta\", \"visible\", \"weights\", \"seed\", \"samples\" (codes checked), \"stable_samples\", "
        "\"fraction\", \"fraction_ci95\"}; \"stable\" is the exact count when exhaustive, else the "
        "estimate rounded to an integer.\n"
        "Example (all 4095 codes are stable):\n"
        "  tdam capacity --nv 1000 --nh 12 --theta 0.5 --weights pm1 --seed 1 --json";
    return c;
}

std::string count_text(double x) {
    char buf[64];
    if (x < 1e15) std::snprintf(buf, sizeof buf, "%.0f", x);
    else std::snprintf(buf, sizeof buf, "%.4g", x);
    return buf;
}

}  // namespace

int cmd_capacity(const Args& argv) {
    const Command command = capacity_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;

    const WeightsChoice choice = choose_weights(args.text("weights"));
    const std::uint64_t seed = args.seed("seed");
    Rng rng(seed);
    const Matrix xi = resolve_weights(choice, args, false, rng);
    const double theta = args.real("theta");
    const Visible visible = parse_visible(args.text("visible"));
    const ThresholdNetwork net(xi, theta, visible);

    CapacityOptions options;
    options.samples = args.has("samples") ? args.integer("samples") : 0;
    options.seed = derived_seed(seed, 1);
    ProgressLine progress("capacity");
    options.progress = progress.callback();
    const CapacityResult r = count_stable_codes(net, options);
    progress.clear();

    const double stable = r.exhaustive ? r.stable : std::round(r.stable);
    Output out;
    if (args.flag("json")) {
        Json j;
        j.begin_object()
            .field("stable", stable)
            .field("total", r.total)
            .field("exhaustive", r.exhaustive);
        j.key("ci95").begin_array().value(r.stable_ci95.low).value(r.stable_ci95.high).end_array();
        j.field("nv", net.nv())
            .field("nh", net.nh())
            .field("theta", theta)
            .field("visible", to_string(visible))
            .field("weights", choice.label)
            .field("seed", seed)
            .field("samples", r.checked)
            .field("stable_samples", r.stable_checked)
            .field("fraction", r.fraction);
        j.key("fraction_ci95").begin_array().value(r.fraction_ci95.low).value(r.fraction_ci95.high).end_array();
        j.end_object();
        out.text = j.str() + "\n";
    } else {
        char line[256];
        if (r.exhaustive) {
            std::snprintf(line, sizeof line, "stable non-zero codes: %s of %s (%.4g%%), counted exhaustively\n",
                          count_text(stable).c_str(), count_text(r.total).c_str(), 100.0 * r.fraction);
            out.text += line;
        } else {
            std::snprintf(line, sizeof line,
                          "stable non-zero codes: about %s of %s (%.4g%%; 95%% CI %s to %s)\n"
                          "estimated from %lld sampled codes, %lld of them stable\n",
                          count_text(stable).c_str(), count_text(r.total).c_str(), 100.0 * r.fraction,
                          count_text(r.stable_ci95.low).c_str(), count_text(r.stable_ci95.high).c_str(),
                          static_cast<long long>(r.checked), static_cast<long long>(r.stable_checked));
            out.text += line;
        }
        out.text += "network: N_v = " + std::to_string(net.nv()) + ", N_h = " + std::to_string(net.nh()) +
                    ", theta = " + format_number(theta) + ", " + to_string(visible) + " visible, weights " +
                    choice.label + (choice.from_file ? "" : " (seed " + std::to_string(seed) + ")") + "\n";
    }
    out.emit();
    return 0;
}

}  // namespace tdam::cli
