// tdam sweep: memories of each model as one quantity varies.
#include <cmath>
#include <cstdio>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"
#include "inputs.hpp"
#include "json.hpp"
#include "output.hpp"
#include "tdam/capacity.hpp"
#include "tdam/limits.hpp"
#include "tdam/make_model.hpp"
#include "tdam/random.hpp"
#include "tdam/threshold.hpp"

namespace tdam::cli {

namespace {

constexpr int kMaxValues = 10000;

Command sweep_command() {
    Command c;
    c.name = "sweep";
    c.usage = "tdam sweep --vary nh|nv|theta|patterns (--values A,B,... | --from X --to Y --step Z)\n"
              "           [--nv N] [--nh N] [--theta T] [--models threshold,softmax,...] [options]";
    c.summary =
        "For each value (and each repeat r, with seed + r) and each model, builds a random network and "
        "counts its memories:\n"
        "threshold: the stable non-zero codes of random weights (--weights, drawn with "
        "random_weights(nv, nh, kind, Rng(seed + r))), counted as by 'tdam capacity' (exhaustive when "
        "N_h <= 24 and --samples is not given, else estimated with a 95% CI); possible = 2^N_h - 1.\n"
        "softmax, polynomial, hopfield: N_h random ±1 patterns stored as the columns "
        "(random_patterns(nv, nh, Rng(seed + r)); --weights does not apply), memories = how many are "
        "fixed points of --schedule; possible = N_h.\n"
        "--vary patterns is for the baselines: P = value patterns are stored (N_h = P), and the "
        "retention of tdam::pattern_retention is reported too (mean_overlap of the final state with its "
        "pattern, recalled from each stored pattern; retained = final overlap >= 0.9): this is where "
        "Hopfield's capacity of about 0.14 N_v shows (use --schedule async). The threshold model is "
        "skipped for --vary patterns, and the baselines for --vary theta.";
    c.options = {
        {"vary", Type::Text, "", "what varies: nh, nv, theta or patterns", "WHAT", -INFINITY, INFINITY, true},
        {"values", Type::RealList, "", "the values, comma-separated", "A,B,..."},
        {"from", Type::Real, "", "first value (with --to and --step)", "X"},
        {"to", Type::Real, "", "last value (included when reached within rounding)", "Y"},
        {"step", Type::Real, "", "step between values, > 0", "Z"},
        {"nv", Type::Int, "100", "visible neurons N_v when not varied", "N", 1,
         static_cast<double>(limits::kMaxVisible)},
        {"nh", Type::Int, "12", "hidden neurons N_h when not varied", "N", 1, static_cast<double>(limits::kMaxHidden)},
        {"theta", Type::Real, "0.5", "threshold of the threshold model when not varied", "T"},
        {"models", Type::TextList, "threshold", "models to run: threshold, softmax, polynomial, hopfield",
         "M,..."},
        {"weights", Type::Text, "pm1", "random weights of the threshold model: pm1 or gauss", "KIND"},
        opt::beta(),
        opt::order(),
        {"schedule", Type::Text, "sync",
         "schedule of the baselines' fixed-point test and recall, sync or async, the same for every "
         "baseline (classical Hopfield capacity is measured with async)",
         "S"},
        opt::max_steps(),
        opt::seed("base seed; repeat r uses seed + r"),
        {"samples", Type::Int, "", "threshold: estimate from K sampled codes instead of counting", "K", 1,
         static_cast<double>(limits::kMaxSamples)},
        {"repeats", Type::Int, "1", "networks per value and model (seeds seed, seed + 1, ...)", "R", 1, 100000},
        {"csv", Type::Text, "", "write the rows as CSV to PATH ('-' for stdout)", "PATH"},
        opt::json(),
    };
    c.notes =
        "CSV columns: model,nv,nh,theta,seed,memories,possible,exhaustive,ci_low,ci_high,mean_overlap,retained "
        "(empty where not applicable; ci in memories, threshold only; mean_overlap with --vary "
        "patterns only). JSON: {\"vary\", \"rows\": [{the same keys, null where not applicable, and "
        "\"retained\"}]}.\n"
        "Threshold visible neurons are linear, softmax linear, polynomial and hopfield binary.\n"
        "Examples:\n"
        "  tdam sweep --vary nv --values 100,300,1000 --nh 12 --theta 0.5 --models threshold --csv -\n"
        "  tdam sweep --vary patterns --from 5 --to 40 --step 5 --nv 100 --models hopfield --schedule async";
    return c;
}

struct Row {
    std::string model;
    int nv = 0, nh = 0;
    double theta = NAN;
    std::uint64_t seed = 0;
    double memories = 0, possible = 0;
    int exhaustive = -1;  // -1: not applicable
    double ci_low = NAN, ci_high = NAN, mean_overlap = NAN;
    int retained = -1;
};

std::vector<double> sweep_values(const Parsed& args) {
    const bool range = args.has("from") || args.has("to") || args.has("step");
    require(args.has("values") != range, "give either --values or --from, --to and --step");
    if (!range) return args.reals("values");
    require(args.has("from") && args.has("to") && args.has("step"), "--from, --to and --step go together");
    const double from = args.real("from"), to = args.real("to"), step = args.real("step");
    require(step > 0, "--step must be > 0");
    require(to >= from, "--to must be >= --from");
    const double n = std::floor((to - from) / step + 1e-9) + 1;
    require(n <= kMaxValues, "--from/--to/--step give more than " + std::to_string(kMaxValues) + " values");
    std::vector<double> values;
    for (int i = 0; i < static_cast<int>(n); ++i) values.push_back(from + i * step);
    return values;
}

int integer_value(double x, const std::string& what, std::int64_t max) {
    require(x == std::floor(x) && x >= 1 && x <= static_cast<double>(max),
            "--vary " + what + " needs integers between 1 and " + std::to_string(max) + " (got " +
                format_number(x) + ")");
    return static_cast<int>(x);
}

}  // namespace

int cmd_sweep(const Args& argv) {
    const Command command = sweep_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;

    const std::string vary = args.text("vary");
    require(vary == "nh" || vary == "nv" || vary == "theta" || vary == "patterns",
            "unknown --vary '" + vary + "' (expected nh, nv, theta or patterns)");
    const std::string varied_option = vary == "patterns" ? "nh" : vary;
    require(!args.has(varied_option), "--" + varied_option + " is what --vary " + vary + " sets; leave it out");
    const std::vector<double> values = sweep_values(args);
    for (double x : values) {
        if (vary == "nv") integer_value(x, vary, limits::kMaxVisible);
        if (vary == "nh" || vary == "patterns") integer_value(x, vary, limits::kMaxHidden);
    }
    std::vector<ModelKind> models;
    for (const std::string& name : args.texts("models")) {
        const ModelKind kind = parse_model_kind(name);
        const bool skip = (vary == "theta" && kind != ModelKind::Threshold) ||
                          (vary == "patterns" && kind == ModelKind::Threshold);
        if (skip)
            std::fprintf(stderr, "tdam sweep: note: %s is skipped for --vary %s\n", name.c_str(), vary.c_str());
        else
            models.push_back(kind);
    }
    require(!models.empty(), "no model to run for --vary " + vary +
                                 (vary == "theta" ? " (theta applies to the threshold model only)"
                                                  : vary == "patterns" ? " (patterns is for the baselines)" : ""));
    const WeightKind weight_kind = parse_weight_kind(args.text("weights"));
    const Schedule schedule = parse_schedule(args.text("schedule"));
    require(schedule != Schedule::Continuous, "--schedule must be sync or async for a sweep");
    RecallOptions recall = recall_options(args);
    const std::int64_t repeats = args.integer("repeats");
    const std::uint64_t base_seed = args.seed("seed");
    require(!(args.flag("json") && args.has("csv") && args.text("csv") == "-"),
            "--json and --csv - both want stdout; give --csv a file");
    const double beta = args.real("beta");
    const double order = static_cast<double>(args.integer("order"));
    const std::int64_t samples = args.has("samples") ? args.integer("samples") : 0;

    std::vector<Row> rows;
    ProgressLine progress("sweep");
    const double items =
        static_cast<double>(values.size()) * static_cast<double>(repeats) * static_cast<double>(models.size());
    double done = 0;
    for (double x : values) {
        int nv = args.int32("nv"), nh = args.int32("nh");
        double theta = args.real("theta");
        if (vary == "nv") nv = static_cast<int>(x);
        if (vary == "nh" || vary == "patterns") nh = static_cast<int>(x);
        if (vary == "theta") theta = x;
        for (std::int64_t r = 0; r < repeats; ++r) {
            const std::uint64_t seed = base_seed + static_cast<std::uint64_t>(r);
            for (ModelKind kind : models) {
                Row row;
                row.model = to_string(kind);
                row.nv = nv;
                row.nh = nh;
                row.seed = seed;
                Rng rng(seed);
                if (kind == ModelKind::Threshold) {
                    const ThresholdNetwork net(random_weights(nv, nh, weight_kind, rng), theta);
                    CapacityOptions options;
                    options.samples = samples;
                    options.seed = derived_seed(seed, 1);
                    options.progress = progress.callback(done / items, 1.0 / items);
                    const CapacityResult c = count_stable_codes(net, options);
                    row.theta = theta;
                    row.memories = c.exhaustive ? c.stable : std::round(c.stable);
                    row.possible = c.total;
                    row.exhaustive = c.exhaustive ? 1 : 0;
                    row.ci_low = c.stable_ci95.low;
                    row.ci_high = c.stable_ci95.high;
                } else {
                    const double parameter = kind == ModelKind::Softmax ? beta : order;
                    const auto model =
                        make_model(kind, random_patterns(nv, nh, rng), parameter, default_visible(kind));
                    row.memories = count_stable_patterns(*model, schedule);
                    row.possible = nh;
                    if (vary == "patterns") {
                        RecallOptions o = recall;
                        o.seed = seed;
                        const Retention ret = pattern_retention(*model, o);
                        row.mean_overlap = ret.mean_overlap;
                        row.retained = ret.retained;
                    }
                }
                rows.push_back(row);
                progress.update(++done / items);
            }
        }
    }
    progress.clear();

    Output out;
    if (args.has("csv")) {
        Csv csv({"model", "nv", "nh", "theta", "seed", "memories", "possible", "exhaustive", "ci_low", "ci_high",
                 "mean_overlap", "retained"});
        for (const Row& r : rows) {
            csv.cell(r.model).cell(r.nv).cell(r.nh).cell(r.theta).cell(r.seed).cell(r.memories).cell(r.possible);
            if (r.exhaustive < 0) csv.empty();
            else csv.cell(r.exhaustive == 1);
            csv.cell(r.ci_low).cell(r.ci_high).cell(r.mean_overlap);
            if (r.retained < 0) csv.empty();
            else csv.cell(r.retained);
            csv.end_row();
        }
        out.add_text_or_stdout(args.text("csv"), csv.str());
    }
    if (args.flag("json")) {
        Json j;
        j.begin_object().field("vary", vary).key("rows").begin_array();
        for (const Row& r : rows) {
            j.begin_object().field("model", r.model).field("nv", r.nv).field("nh", r.nh).field("theta", r.theta);
            j.field("seed", r.seed).field("memories", r.memories).field("possible", r.possible);
            j.key("exhaustive");
            if (r.exhaustive < 0) j.null();
            else j.value(r.exhaustive == 1);
            j.field("ci_low", r.ci_low).field("ci_high", r.ci_high).field("mean_overlap", r.mean_overlap);
            j.key("retained");
            if (r.retained < 0) j.null();
            else j.value(r.retained);
            j.end_object();
        }
        j.end_array().end_object();
        out.text = j.str() + "\n";
    } else if (!(args.has("csv") && args.text("csv") == "-")) {
        char line[256];
        std::snprintf(line, sizeof line, "%-11s %7s %6s %6s %6s %12s %12s  %s\n", "model", "nv", "nh", "theta",
                      "seed", "memories", "possible", "notes");
        out.text += line;
        for (const Row& r : rows) {
            std::string notes;
            if (r.exhaustive == 1) notes = "exhaustive";
            if (r.exhaustive == 0)
                notes = "sampled, 95% CI [" + format_number(std::round(r.ci_low)) + ", " +
                        format_number(std::round(r.ci_high)) + "]";
            if (r.retained >= 0)
                notes = "retained " + std::to_string(r.retained) + ", mean overlap " +
                        format_number(std::round(r.mean_overlap * 1e4) / 1e4);
            std::snprintf(line, sizeof line, "%-11s %7d %6d %6s %6llu %12.6g %12.6g  %s\n", r.model.c_str(), r.nv,
                          r.nh, std::isnan(r.theta) ? "-" : format_number(r.theta).c_str(),
                          static_cast<unsigned long long>(r.seed), r.memories, r.possible, notes.c_str());
            out.text += line;
        }
    }
    out.emit();
    return 0;
}

}  // namespace tdam::cli
