// Tests of the tdam command-line tool (cli/), run as a separate process.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "support.hpp"
#include "tdam/npy.hpp"

namespace {

namespace fs = std::filesystem;

using tdam::test::path;
using tdam::test::write_bytes;
using tdam::test::q;
using tdam::test::slurp;
using Result = tdam::test::CliResult;

// Runs `tdam <args>` with stdout and stderr captured.
Result run(const std::string& args) { return tdam::test::run_cli(args); }

void write_npy(const std::string& p, std::vector<std::int64_t> shape, std::vector<double> data) {
    tdam::npy::Array a;
    a.shape = std::move(shape);
    a.data = std::move(data);
    write_bytes(p, tdam::npy::serialize(a));
}

using tdam::test::check_error;
using tdam::test::json_number;
using tdam::test::json_numbers;
using tdam::test::json_value;
using tdam::test::check_one_json_object;

}  // namespace

TEST_CASE("cli: capacity of N_v = 1000, N_h = 12 counts all 4095 codes") {
    const Result r = run("capacity --nv 1000 --nh 12 --theta 0.5 --weights pm1 --seed 1 --json");
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    check_one_json_object(r.out);
    CHECK(json_value(r.out, "stable") == "4095");
    CHECK(json_value(r.out, "total") == "4095");
    CHECK(json_value(r.out, "exhaustive") == "true");
    CHECK(json_value(r.out, "visible") == "\"linear\"");
    CHECK(json_value(r.out, "weights") == "\"pm1\"");
    CHECK(json_numbers(r.out, "ci95") == std::vector<double>{4095, 4095});

    const Result text = run("capacity --nv 1000 --nh 12 --seed 1");
    REQUIRE(text.code == 0);
    CHECK(text.out.find("4095 of 4095") != std::string::npos);
}

TEST_CASE("cli: sampled capacity reports an interval around the estimate") {
    const Result r = run("capacity --nv 100 --nh 30 --samples 2000 --seed 7 --json");
    REQUIRE(r.code == 0);
    check_one_json_object(r.out);
    CHECK(json_value(r.out, "exhaustive") == "false");
    CHECK(json_number(r.out, "samples") == 2000);
    CHECK(json_number(r.out, "total") == std::ldexp(1.0, 30) - 1);
    const double stable = json_number(r.out, "stable");
    CHECK(stable == std::round(stable));
    const auto ci = json_numbers(r.out, "ci95");
    REQUIRE(ci.size() == 2);
    CHECK(ci[0] < ci[1]);
    CHECK(ci[0] <= stable);
    CHECK(stable <= ci[1]);
    const double k = json_number(r.out, "stable_samples");
    const double fraction = json_number(r.out, "fraction");
    CHECK(fraction == doctest::Approx(k / 2000));
    const auto fci = json_numbers(r.out, "fraction_ci95");
    REQUIRE(fci.size() == 2);
    CHECK(fci[0] <= fraction);
    CHECK(fraction <= fci[1]);

    // N_h above 24 is sampled even without --samples.
    const Result big = run("capacity --nv 100 --nh 26 --json");
    REQUIRE(big.code == 0);
    CHECK(json_value(big.out, "exhaustive") == "false");
}

TEST_CASE("cli: generate and recall round trip") {
    const std::string w = path("rt_w.npy"), cue = path("rt_cue.npy"), v = path("rt_v.npy");
    REQUIRE(run("generate weights --nv 200 --nh 8 --seed 3 --out " + q(w)).code == 0);
    REQUIRE(run("generate cue --from " + q(w) + " --column 2 --corruption flip --level 0.1 --seed 4 --out " +
                q(cue))
                .code == 0);
    const tdam::npy::Array weights = tdam::npy::read_file(w);
    REQUIRE(weights.shape == std::vector<std::int64_t>{200, 8});
    const tdam::npy::Array cue_array = tdam::npy::read_file(cue);
    REQUIRE(cue_array.shape == std::vector<std::int64_t>{200});
    int flipped = 0;
    for (int i = 0; i < 200; ++i) flipped += cue_array.data[i] != weights.data[i * 8 + 2];
    CHECK(flipped == 20);

    SUBCASE("hopfield recalls the stored column") {
        const Result r = run("recall --model hopfield --weights " + q(w) + " --cue " + q(cue) + " --json --out " + q(v));
        REQUIRE(r.code == 0);
        check_one_json_object(r.out);
        CHECK(json_value(r.out, "stop") == "\"converged\"");
        CHECK(json_value(r.out, "model") == "\"hopfield\"");
        CHECK(json_value(r.out, "schedule") == "\"sync\"");
        const double steps = json_number(r.out, "steps");
        CHECK(steps >= 1);
        CHECK(json_numbers(r.out, "energy").size() == static_cast<std::size_t>(steps) + 1);
        CHECK(json_number(r.out, "nv") == 200);
        CHECK(json_number(r.out, "nh") == 8);
        const tdam::npy::Array out = tdam::npy::read_file(v);
        REQUIRE(out.shape == std::vector<std::int64_t>{200});
        const auto final_visible = json_numbers(r.out, "final_visible");
        REQUIRE(final_visible.size() == 200);
        for (int i = 0; i < 200; ++i) {
            CHECK(out.data[i] == weights.data[i * 8 + 2]);
            CHECK(final_visible[i] == out.data[i]);
        }
    }
    SUBCASE("the threshold network recalls the code of unit 2") {
        const Result r = run("recall --model threshold --weights " + q(w) + " --cue " + q(cue) + " --json");
        REQUIRE(r.code == 0);
        CHECK(json_value(r.out, "stop") == "\"converged\"");
        CHECK(json_numbers(r.out, "final_hidden") == std::vector<double>{0, 0, 1, 0, 0, 0, 0, 0});
    }
    SUBCASE("pattern files are K x N_v") {
        const std::string p = path("rt_p.npy"), c = path("rt_pc.npy");
        REQUIRE(run("generate patterns --nv 16 --count 3 --seed 2 --out " + q(p)).code == 0);
        CHECK(tdam::npy::read_file(p).shape == std::vector<std::int64_t>{3, 16});
        REQUIRE(run("generate cue --from " + q(p) + " --index 2 --corruption occlude --level 0.5 --rows 4 --cols 4 "
                    "--out " + q(c))
                    .code == 0);
        const auto pattern = tdam::npy::read_file(p), occluded = tdam::npy::read_file(c);
        REQUIRE(occluded.data.size() == 16);
        for (int i = 0; i < 16; ++i) CHECK(occluded.data[i] == (i < 8 ? pattern.data[2 * 16 + i] : -1.0));
    }
}

TEST_CASE("cli: bad input is rejected with status 2, a message and no output") {
    const std::string w = path("bad_w.npy"), cue = path("bad_cue.npy"), out = path("bad_out.npy");
    write_npy(w, {8, 3}, std::vector<double>(24, 1.0));
    write_npy(cue, {8}, std::vector<double>(8, 1.0));
    const std::string base = "recall --model threshold --weights " + q(w) + " --cue " + q(cue) + " --out " + q(out);
    REQUIRE(run(base).code == 0);  // the good command works
    fs::remove(out);

    SUBCASE("unknown option") { check_error(run(base + " --bogus 1"), "recall", "unknown option --bogus"); }
    SUBCASE("missing value") {
        check_error(run(base + " --theta"), "recall", "--theta needs a value");
        check_error(run("capacity --nh 4 --nv"), "capacity", "--nv needs a value");
    }
    SUBCASE("not a number") {
        check_error(run("generate weights --nv abc --nh 3 --out " + q(out)), "generate", "--nv expects an integer");
        check_error(run("capacity --nv 12x --nh 3"), "capacity", "--nv expects an integer, got '12x'");
        check_error(run(base + " --max-steps 1.5"), "recall", "--max-steps expects an integer");
    }
    SUBCASE("non-finite numbers") {
        check_error(run(base + " --theta nan"), "recall", "--theta must be a finite number");
        check_error(run(base + " --theta inf"), "recall", "--theta must be a finite number");
        check_error(run(base + " --theta 1e999"), "recall", "--theta is out of range");
    }
    SUBCASE("wrong-shape cue") {
        const std::string short_cue = path("bad_short.npy");
        write_npy(short_cue, {7}, std::vector<double>(7, 1.0));
        check_error(run("recall --model threshold --weights " + q(w) + " --cue " + q(short_cue) + " --out " + q(out)),
                    "recall", "has 7 entries, expected N_v = 8");
        check_error(run("recall --model threshold --weights " + q(w) + " --cue " + q(w) + " --out " + q(out)),
                    "recall", "cue file '" + w + "'");
    }
    SUBCASE("truncated .npy") {
        auto bytes = tdam::npy::serialize(tdam::npy::Array{{8, 3}, std::vector<double>(24, 1.0)});
        bytes.resize(bytes.size() - 5);
        const std::string truncated = path("bad_truncated.npy");
        write_bytes(truncated, bytes);
        check_error(run("recall --model threshold --weights " + q(truncated) + " --cue " + q(cue) + " --out " + q(out)),
                    "recall", "truncated");
        check_error(run("capacity --weights " + q(truncated)), "capacity", truncated);
    }
    SUBCASE("NaN in the weights or the cue") {
        std::vector<double> data(24, 1.0);
        data[7] = std::numeric_limits<double>::quiet_NaN();
        const std::string nan_w = path("bad_nan_w.npy");
        write_npy(nan_w, {8, 3}, data);
        check_error(run("recall --model threshold --weights " + q(nan_w) + " --cue " + q(cue) + " --out " + q(out)),
                    "recall", "weights file '" + nan_w + "'");
        const Result r = run("capacity --weights " + q(nan_w) + " --json");
        check_error(r, "capacity", "non-finite value at row 2, column 1");
        std::vector<double> cue_data(8, 1.0);
        cue_data[3] = std::numeric_limits<double>::infinity();
        const std::string nan_cue = path("bad_nan_cue.npy");
        write_npy(nan_cue, {8}, cue_data);
        check_error(run("recall --model threshold --weights " + q(w) + " --cue " + q(nan_cue) + " --out " + q(out)),
                    "recall", "cue file '" + nan_cue + "' has a non-finite value at entry 3");
    }
    SUBCASE("sizes past the limits") {
        check_error(run("generate weights --nv 10 --nh 70000 --out " + q(out)), "generate",
                    "--nh must be between 1 and 65536");
        check_error(run("capacity --nv 10 --nh 70000"), "capacity", "--nh must be between 1 and 65536");
        check_error(run("capacity --nv 1048576 --nh 1000"), "capacity", "exceeds the limit");
        check_error(run(base + " --max-steps 2000000"), "recall", "--max-steps must be between 0 and 1000000");
    }
    SUBCASE("unknown names") {
        check_error(run("recall --model bogus --weights " + q(w) + " --cue " + q(cue) + " --out " + q(out)), "recall",
                    "unknown model 'bogus'");
        check_error(run(base + " --schedule sometimes"), "recall", "unknown schedule 'sometimes'");
        check_error(run("capacity --weights gaus --nv 3 --nh 3"), "capacity", "unknown weights 'gaus'");
        check_error(run("generate noise --out " + q(out)), "generate", "unknown thing to generate");
        check_error(run("sweep --vary nk --values 1"), "sweep", "unknown --vary 'nk'");
    }
    SUBCASE("options that do not fit together") {
        check_error(run("recall --model softmax --weights " + q(w) + " --cue " + q(cue) + " --theta 0.2 --out " + q(out)),
                    "recall", "--theta applies to the threshold model only");
        check_error(run("capacity --weights " + q(w) + " --nv 9"), "capacity", "--nv 9 does not match");
        check_error(run("recall --model hopfield --weights " + q(w) + " --cue " + q(cue) + " --visible linear --out " +
                        q(out)),
                    "recall", "binary visible neurons only");
        check_error(run("generate cue --from " + q(w) + " --column 3 --corruption flip --level 0.1 --out " + q(out)),
                    "generate", "--column 3 is past the 3 columns");
    }
    SUBCASE("output files are not written on failure") {
        const std::string csv = path("bad_out.csv");
        check_error(run("sweep --vary nh --values 4,5.5 --csv " + q(csv)), "sweep", "needs integers");
        check_error(run("basin --weights " + q(w) + " --memories 1 --levels 0,2 --csv " + q(csv)), "basin",
                    "--levels 2 is more than 1");
        CHECK_FALSE(fs::exists(csv));
        CHECK_FALSE(fs::exists(csv + ".tmp"));
    }
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(out + ".tmp"));
}

TEST_CASE("cli: help and dispatch") {
    for (const char* command : {"capacity", "recall", "basin", "sweep", "generate", "generate weights",
                                "generate patterns", "generate cue"}) {
        const Result r = run(std::string(command) + " --help");
        CHECK_MESSAGE(r.code == 0, command);
        CHECK_MESSAGE(r.out.rfind("usage: tdam ", 0) == 0, command);
        CHECK(r.err.empty());
    }
    const Result capacity = run("capacity --nv abc --help");  // --help wins over bad values
    CHECK(capacity.code == 0);
    CHECK(capacity.out.find("all-zero code is always a fixed point for theta >= 0") != std::string::npos);
    CHECK(capacity.out.find("2^N_h - 1") != std::string::npos);
    CHECK(capacity.out.find("N_h <= 24") != std::string::npos);
    CHECK(run("generate --help").out.find("K x N_v") != std::string::npos);

    const Result none = run("");
    CHECK(none.code == 2);
    CHECK(none.err.find("usage: tdam") != std::string::npos);
    CHECK(run("help").code == 0);
    CHECK(run("--help").code == 0);
    CHECK(run("help recall").out.rfind("usage: tdam recall", 0) == 0);
    const Result version = run("--version");
    CHECK(version.code == 0);
    CHECK(version.out.rfind("tdam ", 0) == 0);
    const Result unknown = run("frobnicate");
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("unknown command 'frobnicate'") != std::string::npos);
}

TEST_CASE("cli: the same seed gives the same output") {
    const std::string basin = "basin --model threshold --nv 120 --nh 8 --memories 5 --trials 3 --levels 0,0.1,0.3 --json";
    const Result a = run(basin + " --seed 5"), b = run(basin + " --seed 5"), c = run(basin + " --seed 6");
    REQUIRE(a.code == 0);
    check_one_json_object(a.out);
    CHECK(a.out == b.out);
    CHECK(a.out != c.out);

    const std::string w1 = path("seed_w1.npy"), w2 = path("seed_w2.npy");
    REQUIRE(run("generate weights --nv 50 --nh 4 --kind gauss --seed 9 --out " + q(w1)).code == 0);
    REQUIRE(run("generate weights --nv 50 --nh 4 --kind gauss --seed 9 --out " + q(w2)).code == 0);
    CHECK(slurp(w1) == slurp(w2));

    const std::string sweep = "sweep --vary nv --values 50,100 --nh 6 --models threshold,hopfield --repeats 2 --csv -";
    const Result s1 = run(sweep), s2 = run(sweep);
    REQUIRE(s1.code == 0);
    CHECK(s1.out == s2.out);
    CHECK(s1.out.rfind("model,nv,nh,theta,seed,memories,possible,exhaustive,ci_low,ci_high,mean_overlap,retained\n", 0) == 0);
    CHECK(s1.out.find("\nthreshold,50,6,0.5,2,") != std::string::npos);  // seed + r
    CHECK(s1.out.find("\nhopfield,100,6,,1,") != std::string::npos);      // theta empty for baselines
}

TEST_CASE("cli: basin and sweep outputs") {
    const Result basin = run("basin --model hopfield --nv 100 --nh 5 --trials 2 --levels 0,0.1 --csv -");
    REQUIRE(basin.code == 0);
    CHECK(basin.out.rfind("model,corruption,level,trials,retrieved,fraction,ci_low,ci_high,mean_overlap\n"
                          "hopfield,flip,0,10,10,1,",
                          0) == 0);

    const Result patterns =
        run("sweep --vary patterns --values 5,40 --nv 100 --models hopfield,threshold --schedule async --json");
    REQUIRE(patterns.code == 0);
    check_one_json_object(patterns.out);
    CHECK(patterns.err.find("threshold is skipped") != std::string::npos);
    CHECK(patterns.out.find("\"model\":\"threshold\"") == std::string::npos);
    CHECK(patterns.out.find("\"retained\":5") != std::string::npos);  // 5 patterns in 100 neurons all stay
}
