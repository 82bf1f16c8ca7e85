// tdam generate: random weights, random patterns and corrupted cues as .npy.
#include <cmath>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "inputs.hpp"
#include "json.hpp"
#include "output.hpp"
#include "tdam/basin.hpp"
#include "tdam/limits.hpp"
#include "tdam/npy.hpp"
#include "tdam/random.hpp"

namespace tdam::cli {

namespace {

const char* kFiles =
    "File layouts: a weights file is N_v x N_h (column mu is hidden unit mu, or stored pattern mu for "
    "the baselines); a pattern file is K x N_v, one pattern per row; a cue is a 1-D array of length "
    "N_v.";

Option out_option() {
    return {"out", Type::Text, "", "the .npy file to write", "PATH.npy", -INFINITY, INFINITY, true};
}

Option kind_option() { return {"kind", Type::Text, "pm1", "pm1 (random ±1) or gauss (N(0,1))", "KIND"}; }

Command weights_command() {
    Command c;
    c.name = "generate weights";
    c.usage = "tdam generate weights --nv N --nh N [--kind pm1|gauss] [--seed S] --out PATH.npy";
    c.summary = std::string("Writes random N_v x N_h weights, drawn with random_weights(nv, nh, kind, Rng(seed)) "
                            "(the same matrix 'tdam capacity' and 'tdam basin' use for that seed).\n") +
                kFiles;
    c.options = {opt::nv(), opt::nh(), kind_option(), opt::seed("seed of the draw"), out_option()};
    c.options[0].required = c.options[1].required = true;
    c.options[0].help = "visible neurons N_v (rows)";
    c.options[1].help = "hidden neurons N_h (columns)";
    return c;
}

Command patterns_command() {
    Command c;
    c.name = "generate patterns";
    c.usage = "tdam generate patterns --nv N --count K [--kind pm1|gauss] [--seed S] --out PATH.npy";
    c.summary = std::string("Writes K random patterns of N_v pixels as a K x N_v array, one pattern per row "
                            "(pm1: tdam::random_patterns(nv, K, Rng(seed)), transposed).\n") +
                kFiles;
    c.options = {opt::nv(),
                 {"count", Type::Int, "", "number of patterns K (rows)", "K", 1,
                  static_cast<double>(limits::kMaxPatterns), true},
                 kind_option(), opt::seed("seed of the draw"), out_option()};
    c.options[0].required = true;
    c.options[0].help = "pixels per pattern N_v (columns)";
    return c;
}

Command cue_command() {
    Command c;
    c.name = "generate cue";
    c.usage = "tdam generate cue --from PATH.npy [--index k | --column k] --corruption flip|occlude|gaussian\n"
              "                  --level L [--rows R --cols C] [--visible linear|binary] [--seed S] --out PATH.npy";
    c.summary = std::string("Writes a corrupted copy of one pattern (tdam::corrupt) as a 1-D cue of length N_v: "
                            "row k of a K x N_v pattern file (--index, default 0), or column k of an N_v x N_h "
                            "weights file (--column), whose columns are the baselines' stored patterns.\n") +
                kFiles;
    c.options = {
        {"from", Type::Text, "", "pattern file (K x N_v), or weights file with --column", "PATH.npy", -INFINITY,
         INFINITY, true},
        {"index", Type::Int, "", "row of the pattern file (default 0)", "k", 0,
         static_cast<double>(limits::kMaxPatterns)},
        {"column", Type::Int, "", "take column k of an N_v x N_h weights file instead", "k", 0,
         static_cast<double>(limits::kMaxPatterns)},
        {"corruption", Type::Text, "", "flip, occlude or gaussian", "KIND", -INFINITY, INFINITY, true},
        {"level", Type::Real, "", "fraction flipped, fraction occluded, or noise std", "L", 0, INFINITY, true},
        {"rows", Type::Int, "", "image rows, for occlusion (rows * cols = N_v)", "R", 1,
         static_cast<double>(limits::kMaxVisible)},
        {"cols", Type::Int, "", "image columns, for occlusion", "C", 1, static_cast<double>(limits::kMaxVisible)},
        {"visible", Type::Text, "",
         "binary: occluded pixels become -1 and noise is followed by the sign; linear: occluded pixels "
         "become 0 (default: binary if every entry of the pattern is ±1, else linear)",
         "KIND"},
        opt::seed("seed of the corruption"),
        out_option(),
    };
    return c;
}

npy::Array random_matrix(int rows, int cols, WeightKind kind, bool patterns, std::uint64_t seed) {
    Rng rng(seed);
    if (patterns) {
        const Matrix m = kind == WeightKind::PlusMinusOne ? random_patterns(rows, cols, rng)
                                                          : random_weights(rows, cols, kind, rng);
        return npy::from_matrix(m.transpose());
    }
    return npy::from_matrix(random_weights(rows, cols, kind, rng));
}

int generate_weights(const Args& argv) {
    const Command command = weights_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;
    const WeightKind kind = parse_weight_kind(args.text("kind"));
    Output out;
    out.add_npy(args.text("out"), random_matrix(args.int32("nv"), args.int32("nh"), kind, false, args.seed("seed")));
    out.emit();
    return 0;
}

int generate_patterns(const Args& argv) {
    const Command command = patterns_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;
    const WeightKind kind = parse_weight_kind(args.text("kind"));
    const int nv = args.int32("nv"), count = args.int32("count");
    require(static_cast<std::int64_t>(nv) * count <= limits::kMaxWeights,
            "--nv * --count = " + std::to_string(static_cast<std::int64_t>(nv) * count) + " exceeds the limit of " +
                std::to_string(limits::kMaxWeights) + " entries");
    Output out;
    out.add_npy(args.text("out"), random_matrix(nv, count, kind, true, args.seed("seed")));
    out.emit();
    return 0;
}

int generate_cue(const Args& argv) {
    const Command command = cue_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;
    require(!(args.has("index") && args.has("column")), "give --index or --column, not both");
    const std::string from = args.text("from");
    Vector pattern;
    if (args.has("column")) {
        const Matrix w = load_weights(from);
        const std::int64_t k = args.integer("column");
        require(k < w.cols(), "--column " + std::to_string(k) + " is past the " + std::to_string(w.cols()) +
                                  " columns of '" + from + "'");
        pattern = w.col(static_cast<Eigen::Index>(k));
    } else {
        const Matrix p = load_patterns(from);  // N_v x K
        const std::int64_t k = args.has("index") ? args.integer("index") : 0;
        require(k < p.cols(), "--index " + std::to_string(k) + " is past the " + std::to_string(p.cols()) +
                                  " patterns (rows) of '" + from + "'");
        pattern = p.col(static_cast<Eigen::Index>(k));
    }
    Visible visible;
    if (args.has("visible")) {
        visible = parse_visible(args.text("visible"));
    } else {
        visible = Visible::Binary;
        for (Eigen::Index i = 0; i < pattern.size(); ++i)
            if (pattern[i] != 1.0 && pattern[i] != -1.0) visible = Visible::Linear;
    }
    Corruption c;
    c.kind = parse_corruption(args.text("corruption"));
    c.level = args.real("level");
    require(c.kind == CorruptionKind::Gaussian || c.level <= 1.0,
            "--level " + format_number(c.level) + " is more than 1 (a fraction, for " + to_string(c.kind) + ")");
    require(args.has("rows") == args.has("cols"), "--rows and --cols go together");
    if (args.has("rows")) {
        c.rows = args.int32("rows");
        c.cols = args.int32("cols");
        require(static_cast<std::int64_t>(c.rows) * c.cols == pattern.size(),
                "--rows * --cols = " + std::to_string(static_cast<std::int64_t>(c.rows) * c.cols) +
                    " does not match the pattern's " + std::to_string(pattern.size()) + " pixels");
    }
    Rng rng(args.seed("seed"));
    const Vector cue = corrupt(pattern, c, visible, rng);
    Output out;
    out.add_npy(args.text("out"), npy::from_vector(cue));
    out.emit();
    return 0;
}

const char* kGenerateHelp =
    "usage: tdam generate weights --nv N --nh N [--kind pm1|gauss] [--seed S] --out PATH.npy\n"
    "       tdam generate patterns --nv N --count K [--kind pm1|gauss] [--seed S] --out PATH.npy\n"
    "       tdam generate cue --from PATH.npy [--index k | --column k] --corruption KIND --level L\n"
    "                         [--rows R --cols C] [--visible linear|binary] [--seed S] --out PATH.npy\n"
    "\n"
    "Makes inputs for the other commands without Python. 'tdam generate <what> --help' shows the\n"
    "options of each.\n"
    "\n"
    "File layouts: a weights file is N_v x N_h (column mu is hidden unit mu, or stored pattern\n"
    "mu for the baselines); a pattern file is K x N_v, one pattern per row; a cue is a 1-D array\n"
    "of length N_v. Files are written as float64 .npy, atomically, only when the command succeeds.\n"
    "\n"
    "Example (a Hopfield recall round trip):\n"
    "  tdam generate weights --nv 200 --nh 10 --seed 3 --out w.npy\n"
    "  tdam generate cue --from w.npy --column 0 --corruption flip --level 0.1 --out cue.npy\n"
    "  tdam recall --model hopfield --weights w.npy --cue cue.npy --json\n";

}  // namespace

int cmd_generate(const Args& argv) {
    require(!argv.empty(), "say what to generate: weights, patterns or cue (see 'tdam generate --help')");
    const std::string what = argv[0];
    if (what == "--help" || what == "-h" || what == "help") {
        std::cout << kGenerateHelp;
        return 0;
    }
    const Args rest(argv.begin() + 1, argv.end());
    if (what == "weights") return generate_weights(rest);
    if (what == "patterns") return generate_patterns(rest);
    if (what == "cue") return generate_cue(rest);
    throw Error("unknown thing to generate '" + what + "' (expected weights, patterns or cue)");
}

}  // namespace tdam::cli
