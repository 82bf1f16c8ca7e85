// tdam recall: run one model from a cue.
#include <cmath>
#include <cstdio>

#include "args.hpp"
#include "commands.hpp"
#include "inputs.hpp"
#include "json.hpp"
#include "output.hpp"
#include "tdam/corrupt.hpp"
#include "tdam/dynamics.hpp"
#include "tdam/npy.hpp"

namespace tdam::cli {

namespace {

Command recall_command() {
    Command c;
    c.name = "recall";
    c.usage = "tdam recall --model NAME --weights PATH.npy --cue PATH.npy [options]";
    c.summary =
        "Runs the model from the cue until a fixed point, a cycle or the step limit (tdam::recall), "
        "and reports the steps, why it stopped, the final visible and hidden states and the energy of "
        "every step.\n"
        "The weights are an N_v x N_h .npy array: for the threshold model column mu is hidden unit "
        "mu's component; for the baselines the columns are the stored patterns. The cue is a .npy "
        "vector of length N_v (±1 entries for binary visible neurons).";
    c.options = {
        opt::model(""),
        opt::weights("", false),
        {"cue", Type::Text, "", "the starting visible state, a length-N_v .npy vector", "PATH.npy", -INFINITY,
         INFINITY, true},
        opt::theta(),
        opt::beta(),
        opt::order(),
        opt::visible(),
        opt::schedule(),
        opt::max_steps(),
        opt::seed("seed of the asynchronous update order"),
        {"dt", Type::Real, "0.1", "continuous schedule: Euler time step, 0 < dt <= min(tau-v, tau-h)", "X"},
        {"tau-v", Type::Real, "1", "continuous schedule: visible time constant", "X"},
        {"tau-h", Type::Real, "1", "continuous schedule: hidden time constant", "X"},
        {"tolerance", Type::Real, "1e-9",
         "converged when no entry moves more than tolerance * max(1, |state|_inf)", "X", 0},
        {"input", Type::Text, "", "a constant visible input current I, a length-N_v .npy vector", "PATH.npy"},
        {"out", Type::Text, "", "write the final visible state as a 1-D .npy file", "PATH.npy"},
        opt::json(),
    };
    c.options[0].required = true;
    c.notes =
        "JSON: {\"model\", \"visible\", \"schedule\", \"steps\", \"stop\": \"converged\" | \"cycle\" | "
        "\"step_limit\", \"final_visible\": [...], \"final_hidden\": [...] (the code, for threshold), "
        "\"energy\": [one per step, the cue's first], \"nv\", \"nh\"}.\n"
        "--theta, --beta and --order apply to the threshold, softmax and polynomial model only.";
    return c;
}

const char* stop_word(StopReason r) {
    switch (r) {
        case StopReason::Converged: return "converged";
        case StopReason::Cycle: return "cycle";
        case StopReason::StepLimit: return "step_limit";
    }
    return "?";
}

}  // namespace

int cmd_recall(const Args& argv) {
    const Command command = recall_command();
    const auto parsed = parse(command, argv);
    if (!parsed) return 0;
    const Parsed& args = *parsed;

    const ModelChoice choice = choose_model(args);
    const RecallOptions options = recall_options(args);
    const std::string weights_path = args.text("weights");
    const Matrix xi = load_weights(weights_path);
    const std::string cue_path = args.text("cue");
    const Vector cue = load_vector(cue_path, "cue");
    std::unique_ptr<Model> model = build_model(choice, xi);
    model->check_visible(cue, "cue file '" + cue_path + "'");
    if (args.has("input")) {
        const std::string input_path = args.text("input");
        const Vector input = load_vector(input_path, "input");
        require(input.size() == model->nv(), "input file '" + input_path + "' has " +
                                                 std::to_string(input.size()) + " entries, expected N_v = " +
                                                 std::to_string(model->nv()));
        model->set_input(input);
    }

    const Trajectory t = recall(*model, cue, options);

    Output out;
    if (args.has("out")) out.add_npy(args.text("out"), npy::from_vector(t.final_visible));
    if (args.flag("json")) {
        Json j;
        j.begin_object()
            .field("model", to_string(choice.kind))
            .field("visible", to_string(choice.visible))
            .field("schedule", to_string(options.schedule))
            .field("steps", t.steps)
            .field("stop", stop_word(t.stop))
            .field("final_visible", t.final_visible)
            .field("final_hidden", t.final_hidden)
            .field("energy", t.energy)
            .field("nv", model->nv())
            .field("nh", model->nh())
            .end_object();
        out.text = j.str() + "\n";
    } else {
        out.text += std::string(to_string(choice.kind)) + " model, N_v = " + std::to_string(model->nv()) +
                    ", N_h = " + std::to_string(model->nh()) + ", " + to_string(options.schedule) + " schedule\n";
        out.text += std::string("stopped: ") + stop_word(t.stop) + " after " + std::to_string(t.steps) + " step" +
                    (t.steps == 1 ? "" : "s") + "\n";
        char energy[96];
        std::snprintf(energy, sizeof energy, "energy: %.6g -> %.6g\n", t.energy.front(), t.energy.back());
        out.text += energy;
        if (choice.kind == ModelKind::Threshold) {
            std::string units;
            for (Eigen::Index mu = 0; mu < t.final_hidden.size(); ++mu)
                if (t.final_hidden[mu] > 0) units += (units.empty() ? "" : " ") + std::to_string(mu);
            out.text += "active hidden units: " + (units.empty() ? std::string("none") : units) + "\n";
        } else {
            // The stored pattern (column) the final state is closest to.
            Eigen::Index best = 0;
            double best_m = -INFINITY;
            for (Eigen::Index mu = 0; mu < xi.cols(); ++mu) {
                const Vector col = xi.col(mu);
                const double m = overlap(t.final_visible, col);
                if (m > best_m) best_m = m, best = mu;
            }
            char line[96];
            std::snprintf(line, sizeof line, "closest stored pattern: column %lld (overlap %.4f)\n",
                          static_cast<long long>(best), best_m);
            out.text += line;
        }
        if (args.has("out")) out.text += "final visible state written to " + args.text("out") + "\n";
    }
    out.emit();
    return 0;
}

}  // namespace tdam::cli
