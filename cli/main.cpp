// tdam: the command-line tool. Dispatches to the subcommands in cmd_*.cpp.
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "commands.hpp"
#include "tdam/error.hpp"

namespace {

#ifndef TDAM_VERSION
#define TDAM_VERSION "unknown"
#endif
constexpr const char* kVersion = TDAM_VERSION;

struct Entry {
    const char* name;
    int (*run)(const tdam::cli::Args&);
    const char* summary;
};

const Entry kCommands[] = {
    {"capacity", tdam::cli::cmd_capacity, "count the stable codes of a random or loaded threshold network"},
    {"recall", tdam::cli::cmd_recall, "run a model from a cue and report the trajectory"},
    {"basin", tdam::cli::cmd_basin, "fraction of memories retrieved against cue corruption"},
    {"sweep", tdam::cli::cmd_sweep, "memories of each model against N_h, N_v, theta or the pattern count"},
    {"generate", tdam::cli::cmd_generate, "write random weights, random patterns or corrupted cues as .npy"},
    {"train", tdam::cli::cmd_train, "learn a threshold network from MNIST or Fashion-MNIST images"},
    {"eval", tdam::cli::cmd_eval, "storage, retrieval, codes and class structure of a learned network"},
};

std::string help() {
    std::string s =
        "usage: tdam <command> [options]\n"
        "       tdam <command> --help\n"
        "       tdam --version\n"
        "\n"
        "A threshold dense associative memory (Kafraj, Krotov & Latham) and its baselines:\n"
        "softmax, rectified polynomial and classical Hopfield networks.\n"
        "\n"
        "commands:\n";
    for (const Entry& e : kCommands) {
        std::string name = e.name;
        name.resize(12, ' ');
        s += "  " + name + e.summary + "\n";
    }
    s +=
        "\n"
        "Files are NumPy .npy (float32 or float64): weights N_v x N_h (column mu is hidden\n"
        "unit mu), pattern files K x N_v (one pattern per row), cues of length N_v.\n"
        "Errors print 'tdam <command>: error: <message>' on stderr and exit with status 2;\n"
        "nothing is written then.\n";
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << help();
        return 2;
    }
    const std::string first = argv[1];
    if (first == "help" || first == "--help" || first == "-h") {
        if (argc >= 3) {  // tdam help <command>
            for (const Entry& e : kCommands)
                if (argv[2] == std::string(e.name)) return e.run({"--help"});
            std::cerr << "tdam: error: unknown command '" << argv[2] << "' (see 'tdam --help')\n";
            return 2;
        }
        std::cout << help();
        return 0;
    }
    if (first == "--version" || first == "version") {
        std::cout << "tdam " << kVersion << "\n";
        return 0;
    }
    for (const Entry& e : kCommands) {
        if (first != e.name) continue;
        const tdam::cli::Args args(argv + 2, argv + argc);
        try {
            return e.run(args);
        } catch (const std::bad_alloc&) {
            std::cerr << "tdam " << e.name << ": error: out of memory\n";
        } catch (const std::exception& ex) {
            std::cerr << "tdam " << e.name << ": error: " << ex.what() << "\n";
        }
        return 2;
    }
    std::cerr << "tdam: error: unknown command '" << first << "' (see 'tdam --help')\n";
    return 2;
}
