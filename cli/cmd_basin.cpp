// tdam basin: fraction of memories retrieved against the corruption of the cue.
#include <cmath>
#include <cstdio>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"
#include "inputs.hpp"
#include "json.hpp"
#include "output.hpp"
#include "tdam/basin.hpp"
#include "tdam/limits.hpp"
#include "tdam/threshold.hpp"

namespace tdam::cli {

namespace {

Command basin_command() {
    Command c;
    c.name = "basin";
    c.usage = "tdam basin [--model NAME] [--weights pm1|gauss|PATH.npy] [--nv N --nh N]\n"
              "           [--corruption flip|occlude|gaussian] [--levels L1,L2,...] [options]";
    c.summary =
        "Measures basins of attraction (MODEL.md section 5): for each corruption level, each memory is "
        "corrupted --trials times and recalled; a trial counts as retrieved when the dynamics converge "
        "to the memory's code (threshold) or pattern (baselines). Uses tdam::basin_curve.\n"
        "Memories: for the threshold model, up to --memories distinct stable codes sampled at random "
        "(tdam::sample_stable_codes) and their patterns xi s; for the baselines, the stored patterns, "
        "which are the columns of the weights (random ±1 patterns for --weights pm1).\n"
        "Random weights are drawn from Rng(seed); the memories from the same stream after them; the "
        "corruptions from a stream derived from the seed.";
    c.options = {
        opt::model("threshold"),
        opt::weights("pm1", true),
        opt::nv(),
        opt::nh(),
        opt::theta(),
        opt::beta(),
        opt::order(),
        opt::visible(),
        {"corruption", Type::Text, "flip",
         "flip (level = fraction of pixels negated), occlude (fraction of image rows hidden from the "
         "bottom, or of pixels from the end without --rows) or gaussian (level = noise std)",
         "KIND"},
        {"levels", Type::RealList, "0,0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.45,0.5", "corruption levels",
         "L,...", 0},
        {"memories", Type::Int, "",
         "memories to test (default: 20 for threshold, all stored patterns for the baselines)", "M", 1,
         static_cast<double>(limits::kMaxPatterns)},
        {"trials", Type::Int, "10", "corrupted cues per memory and level", "T", 1, 1000000},
        {"rows", Type::Int, "", "image rows, for occlusion (rows * cols = N_v)", "R", 1,
         static_cast<double>(limits::kMaxVisible)},
        {"cols", Type::Int, "", "image columns, for occlusion", "C", 1, static_cast<double>(limits::kMaxVisible)},
        opt::schedule(),
        opt::max_steps(),
        opt::seed("seed of the weights, memories and corruptions"),
        {"csv", Type::Text, "", "write the curve as CSV to PATH ('-' for stdout)", "PATH"},
        opt::json(),
    };
    c.notes =
        "CSV columns: model,corruption,level,trials,retrieved,fraction,ci_low,ci_high,mean_overlap "
        "(ci: 95% Wilson interval of the fraction; mean_overlap: final visible state . pattern / "
        "|pattern|^2).\n"
        "JSON: {\"model\", \"corruption\", \"nv\", \"nh\", \"memories\", \"trials_per_memory\", \"seed\", "
        "\"points\": [{\"level\", \"trials\", \"retrieved\", \"fraction\", \"ci95\", \"mean_overlap\"}]}.\n"
        "Example:\n"
        "  tdam basin --model threshold --nv 500 --nh 12 --theta 0.5 --memories 20 --trials 5";
    return c;
}

}  // namespace

int cmd_basin(const Args& argv) {
    const Command command = basin_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;

    const ModelChoice choice = choose_model(args);
    const bool threshold = choice.kind == ModelKind::Threshold;
    const WeightsChoice weights = choose_weights(args.text("weights"));
    const std::uint64_t seed = args.seed("seed");
    require(!(args.flag("json") && args.has("csv") && args.text("csv") == "-"),
            "--json and --csv - both want stdout; give --csv a file");

    BasinOptions options;
    options.levels = args.reals("levels");
    options.corruption.kind = parse_corruption(args.text("corruption"));
    if (options.corruption.kind != CorruptionKind::Gaussian)
        for (double level : options.levels)
            require(level <= 1.0, "--levels " + format_number(level) + " is more than 1 (a fraction, for " +
                                      to_string(options.corruption.kind) + ")");
    require(args.has("rows") == args.has("cols"), "--rows and --cols go together");
    if (args.has("rows")) {
        options.corruption.rows = args.int32("rows");
        options.corruption.cols = args.int32("cols");
    }
    options.trials = args.int32("trials");
    options.seed = derived_seed(seed, 2);
    options.recall = recall_options(args);

    Rng rng(seed);
    const Matrix xi = resolve_weights(weights, args, !threshold, rng);
    const std::unique_ptr<Model> model = build_model(choice, xi);
    if (options.corruption.rows > 0)
        require(static_cast<std::int64_t>(options.corruption.rows) * options.corruption.cols == model->nv(),
                "--rows * --cols = " + std::to_string(static_cast<std::int64_t>(options.corruption.rows) *
                                                      options.corruption.cols) +
                    " does not match N_v = " + std::to_string(model->nv()));

    MemorySet memories;
    if (threshold) {
        const int wanted = args.has("memories") ? args.int32("memories") : 20;
        memories = sample_stable_codes(static_cast<const ThresholdNetwork&>(*model), wanted, rng);
        require(memories.patterns.cols() > 0, "no stable non-zero code found to test (try another --theta)");
        if (memories.patterns.cols() < wanted)
            std::fprintf(stderr, "tdam basin: note: found only %lld distinct stable codes of the %d asked for\n",
                         static_cast<long long>(memories.patterns.cols()), wanted);
    } else {
        memories = stored_patterns(*model);
        if (args.has("memories")) {
            const int wanted = args.int32("memories");
            require(wanted <= model->nh(), "--memories " + std::to_string(wanted) + " exceeds the " +
                                               std::to_string(model->nh()) + " stored patterns");
            memories.patterns = memories.patterns.leftCols(wanted).eval();
        }
    }

    ProgressLine progress("basin");
    options.progress = progress.callback();
    const std::vector<BasinPoint> curve = basin_curve(*model, memories, options);
    progress.clear();

    const char* model_name = to_string(choice.kind);
    const char* corruption_name = to_string(options.corruption.kind);
    Output out;
    if (args.has("csv")) {
        Csv csv({"model", "corruption", "level", "trials", "retrieved", "fraction", "ci_low", "ci_high",
                 "mean_overlap"});
        for (const BasinPoint& p : curve) {
            csv.cell(model_name).cell(corruption_name).cell(p.level).cell(p.trials).cell(p.retrieved);
            csv.cell(p.fraction).cell(p.ci95.low).cell(p.ci95.high).cell(p.mean_overlap);
            csv.end_row();
        }
        out.add_text_or_stdout(args.text("csv"), csv.str());
    }
    const int count = static_cast<int>(memories.patterns.cols());
    if (args.flag("json")) {
        Json j;
        j.begin_object()
            .field("model", model_name)
            .field("corruption", corruption_name)
            .field("nv", model->nv())
            .field("nh", model->nh())
            .field("memories", count)
            .field("trials_per_memory", options.trials)
            .field("seed", seed);
        j.key("points").begin_array();
        for (const BasinPoint& p : curve) {
            j.begin_object().field("level", p.level).field("trials", p.trials).field("retrieved", p.retrieved);
            j.field("fraction", p.fraction);
            j.key("ci95").begin_array().value(p.ci95.low).value(p.ci95.high).end_array();
            j.field("mean_overlap", p.mean_overlap).end_object();
        }
        j.end_array().end_object();
        out.text = j.str() + "\n";
    } else if (!(args.has("csv") && args.text("csv") == "-")) {
        out.text += std::string(model_name) + " model, N_v = " + std::to_string(model->nv()) + ", N_h = " +
                    std::to_string(model->nh()) + ", " + std::to_string(count) + " memories x " +
                    std::to_string(options.trials) + " trials, " + corruption_name + " corruption\n";
        out.text += "   level  retrieved   fraction   95% CI              mean overlap\n";
        for (const BasinPoint& p : curve) {
            char line[160];
            std::snprintf(line, sizeof line, "%8.4g  %5d/%-5d  %8.4f   [%.4f, %.4f]   %8.4f\n", p.level,
                          p.retrieved, p.trials, p.fraction, p.ci95.low, p.ci95.high, p.mean_overlap);
            out.text += line;
        }
    }
    out.emit();
    return 0;
}

}  // namespace tdam::cli
