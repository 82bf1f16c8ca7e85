// Fuzz target: the CLI's option parsing (cli/args.hpp) and the shared option
// handling of cli/inputs.hpp.
//
// The input is split into argv-like words: on NUL bytes if it holds any (so
// words may contain spaces or be empty), else on runs of spaces, tabs and
// newlines (so corpus files read like command lines). A first word "@strict"
// or "@empty" selects a command with required options or one with no options;
// otherwise the words go to a representative command that declares the shared
// options every subcommand uses (opt::model, opt::nv, ... from inputs.hpp) and
// one option of every Type.
//
// Properties (any violation aborts):
//  - tdam::cli::parse returns or throws tdam::Error, nothing else;
//  - after a successful parse every accessor of a given option, or of one with
//    a default, succeeds and returns a value within the declared range (parse
//    validated it); an option with neither throws tdam::Error;
//  - choose_model, recall_options, choose_weights and (for small random
//    weights) resolve_weights and build_model throw only tdam::Error;
//  - parse_integer / parse_real / parse_seed / split_list / wrap on each word:
//    only tdam::Error, results within range, and the parsers agree with each
//    other on plain integers.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "args.hpp"
#include "inputs.hpp"
#include "tdam/error.hpp"
#include "tdam/limits.hpp"

#include "harness.hpp"

namespace cli = tdam::cli;
using cli::Command;
using cli::Option;
using cli::Type;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_cli_args: property violated: %s\n", what.c_str());
    std::abort();
}

void check(bool ok, const std::string& what) {
    if (!ok) fail(what);
}

Command full_command() {
    Command c;
    c.name = "fuzz";
    c.usage = "tdam fuzz [options]";
    c.summary = "A command declaring the shared options and one of every type.";
    c.options = {
        cli::opt::model("threshold"),
        cli::opt::weights("pm1", true),
        cli::opt::nv(),
        cli::opt::nh(),
        cli::opt::theta(),
        cli::opt::beta(),
        cli::opt::order(),
        cli::opt::visible(),
        cli::opt::schedule(),
        cli::opt::max_steps(),
        cli::opt::seed("seed"),
        cli::opt::json(),
        {"tolerance", Type::Real, "1e-9", "convergence tolerance", "X", 0},
        {"dt", Type::Real, "0.1", "time step", "DT", 0},
        {"tau-v", Type::Real, "1", "visible time constant", "T", 0},
        {"tau-h", Type::Real, "1", "hidden time constant", "T", 0},
        {"count", Type::Int, "", "an unbounded integer without default", "N"},
        {"k", Type::Int, "0", "a small integer", "K", -5, 5},
        {"ratio", Type::Real, "", "a real in [-1, 1] without default", "R", -1, 1},
        {"levels", Type::RealList, "0.1,0.2", "fractions", "L", 0, 1},
        {"anything", Type::RealList, "", "any numbers", "L"},
        {"names", Type::TextList, "a,b", "words", "W"},
        {"out", Type::Text, "", "output path", "PATH"},
        {"quiet", Type::Flag, "", "a flag", ""},
    };
    c.notes = "Notes.\n  an example line";
    return c;
}

Command strict_command() {
    Command c;
    c.name = "strict";
    c.usage = "tdam strict --input PATH --n N";
    c.options = {
        {"input", Type::Text, "", "input path", "PATH", -kInf, kInf, true},
        {"n", Type::Int, "", "a count", "N", 0, 10, true},
        {"scale", Type::Real, "2", "a scale", "S", 0.5, 4},
    };
    return c;
}

Command empty_command() {
    Command c;
    c.name = "empty";
    c.usage = "tdam empty";
    return c;
}

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {full_command(), strict_command(), empty_command()};
    return all;
}

std::vector<std::string> split_words(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> words;
    if (text.find('\0') != std::string::npos) {
        std::size_t start = 0;
        for (;;) {
            const std::size_t nul = text.find('\0', start);
            words.push_back(text.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
            if (nul == std::string::npos) break;
            start = nul + 1;
        }
        return words;
    }
    std::string word;
    for (char ch : text) {
        if (ch == ' ' || ch == '\t' || ch == '\n') {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += ch;
        }
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

bool in_range(double v, double lo, double hi) { return v >= lo && v <= hi; }

// Every accessor of every option, after a successful parse.
void check_accessors(const Command& command, const cli::Parsed& p) {
    for (const Option& o : command.options) {
        const std::string what = "--" + o.name;
        check(p.declares(o.name), what + " not declared");
        const bool given = p.has(o.name);
        check(!o.required || given, what + " is required but parse accepted its absence");
        const bool has_value = given || !o.fallback.empty();
        if (o.type == Type::Flag) {
            check(p.flag(o.name) == given, what + ": flag() differs from has()");
            continue;
        }
        if (!has_value) {
            bool threw = false;
            try {
                p.text(o.name);
            } catch (const tdam::Error&) {
                threw = true;
            }
            check(threw, what + ": text() of an absent option without default did not throw");
            continue;
        }
        // The value was validated by parse (or is a declared default): every
        // accessor of its type must succeed.
        try {
            const std::string& text = p.text(o.name);
            check(!text.empty(), what + ": empty value");
            switch (o.type) {
                case Type::Flag:
                case Type::Text: break;
                case Type::Int: {
                    const std::int64_t v = p.integer(o.name);
                    check(in_range(static_cast<double>(v), o.min, o.max), what + ": integer out of range");
                    if (o.min >= std::numeric_limits<int>::min() && o.max <= std::numeric_limits<int>::max())
                        check(p.int32(o.name) == v, what + ": int32() differs from integer()");
                    break;
                }
                case Type::Real: {
                    const double v = p.real(o.name);
                    check(std::isfinite(v) && in_range(v, o.min, o.max), what + ": real out of range");
                    break;
                }
                case Type::Seed: p.seed(o.name); break;
                case Type::RealList: {
                    const std::vector<double> vs = p.reals(o.name);
                    check(!vs.empty(), what + ": empty list");
                    for (double v : vs)
                        check(std::isfinite(v) && in_range(v, o.min, o.max), what + ": list item out of range");
                    check(vs.size() == p.texts(o.name).size(), what + ": reals() and texts() differ in length");
                    break;
                }
                case Type::TextList:
                    for (const std::string& item : p.texts(o.name)) check(!item.empty(), what + ": empty item");
                    break;
            }
        } catch (const tdam::Error& e) {
            fail(what + ": accessor threw after a successful parse: " + e.what());
        }
    }
    // Undeclared names: declares() is false, the accessors throw tdam::Error.
    check(!p.declares("no-such-option"), "declares() of an undeclared option");
    bool threw = false;
    try {
        p.has("no-such-option");
    } catch (const tdam::Error&) {
        threw = true;
    }
    check(threw, "has() of an undeclared option did not throw");
}

// The shared model/recall/weights handling of inputs.hpp. Only tdam::Error may
// escape; the caller treats it as a clean rejection.
void exercise_inputs(const cli::Parsed& p) {
    try {
        cli::choose_model(p);
    } catch (const tdam::Error&) {
    }
    try {
        cli::recall_options(p);
    } catch (const tdam::Error&) {
    }
    const cli::WeightsChoice choice = cli::choose_weights(p.text("weights"));
    if (choice.from_file) return;  // never touch the file system
    if (!p.has("nv") || !p.has("nh")) return;
    const std::int64_t nv = p.integer("nv"), nh = p.integer("nh");
    if (nv * nh > 4096) return;  // keep each run fast
    tdam::Rng rng(p.seed("seed"));
    const bool baseline = p.text("model") != "threshold";
    const tdam::Matrix w = cli::resolve_weights(choice, p, baseline, rng);
    check(w.rows() == nv && w.cols() == nh, "resolve_weights returned the wrong shape");
    cli::build_model(cli::choose_model(p), w);
}

// The value parsers on one word, against each other.
void check_word(const std::string& w, std::size_t index) {
    struct Range {
        double min, max;
    };
    static const Range kRanges[] = {
        {-kInf, kInf}, {0, 10}, {1, static_cast<double>(tdam::limits::kMaxVisible)}, {-1.5, 2.5}, {0, 0}};
    const Range r = kRanges[(w.size() + index) % (sizeof kRanges / sizeof kRanges[0])];

    bool int_ok = false, seed_ok = false, real_ok = false;
    std::int64_t i = 0, i_any = 0;
    std::uint64_t s = 0;
    double x = 0, x_any = 0;
    try {
        i = cli::parse_integer(w, "--x", r.min, r.max);
        check(in_range(static_cast<double>(i), r.min, r.max), "parse_integer out of range: " + w);
    } catch (const tdam::Error&) {
    }
    try {
        i_any = cli::parse_integer(w, "--x", -kInf, kInf);
        int_ok = true;
    } catch (const tdam::Error&) {
    }
    try {
        s = cli::parse_seed(w, "--x");
        seed_ok = true;
    } catch (const tdam::Error&) {
    }
    try {
        x = cli::parse_real(w, "--x", r.min, r.max);
        check(std::isfinite(x) && in_range(x, r.min, r.max), "parse_real out of range: " + w);
    } catch (const tdam::Error&) {
    }
    try {
        x_any = cli::parse_real(w, "--x", -kInf, kInf);
        real_ok = true;
    } catch (const tdam::Error&) {
    }
    if (int_ok) {
        // parse_integer accepted: an optional sign, then decimal digits.
        const std::size_t start = (w[0] == '+' || w[0] == '-') ? 1 : 0;
        check(w.size() > start, "parse_integer accepted a bare sign: " + w);
        for (std::size_t k = start; k < w.size(); ++k)
            check(w[k] >= '0' && w[k] <= '9', "parse_integer accepted a non-digit: " + w);
        if (i_any >= 0 && start == 0)
            check(seed_ok && s == static_cast<std::uint64_t>(i_any), "parse_seed disagrees with parse_integer: " + w);
        if (std::fabs(static_cast<double>(i_any)) <= 9007199254740992.0)
            check(real_ok && x_any == static_cast<double>(i_any), "parse_real disagrees with parse_integer: " + w);
    }
    if (seed_ok && s <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        check(int_ok && static_cast<std::uint64_t>(i_any) == s, "parse_integer disagrees with parse_seed: " + w);
    if (real_ok) check(std::isfinite(x_any), "parse_real returned a non-finite value: " + w);

    try {
        const std::vector<std::string> items = cli::split_list(w, "--x");
        std::string joined;
        for (std::size_t k = 0; k < items.size(); ++k) {
            check(!items[k].empty(), "split_list returned an empty item: " + w);
            joined += (k ? "," : "") + items[k];
        }
        check(joined == w, "split_list lost characters: " + w);
    } catch (const tdam::Error&) {
    }

    // wrap keeps every word, in order, whatever the widths.
    const std::size_t width = w.size() % 97, first = (w.size() * 7) % 50, indent = (w.size() * 13) % 40;
    const std::string wrapped = cli::wrap(w, width, first, indent);
    auto words_of = [](const std::string& t) {
        std::vector<std::string> out;
        std::string cur;
        for (char ch : t) {
            if (ch == ' ' || ch == '\n') {
                if (!cur.empty()) out.push_back(cur);
                cur.clear();
            } else {
                cur += ch;
            }
        }
        if (!cur.empty()) out.push_back(cur);
        return out;
    };
    check(words_of(wrapped) == words_of(w), "wrap changed the words of: " + w);
}

void run(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> words = split_words(data, size);
    std::size_t which = 0;
    if (!words.empty() && words[0] == "@strict") which = 1;
    if (!words.empty() && words[0] == "@empty") which = 2;
    if (which != 0) words.erase(words.begin());
    const Command& command = commands()[which];

    for (std::size_t k = 0; k < words.size() && k < 16; ++k) check_word(words[k], k);

    std::optional<cli::Parsed> parsed;
    try {
        parsed = cli::parse(command, words);
    } catch (const tdam::Error&) {
        return;  // rejected cleanly
    }
    if (!parsed) {  // --help: printed (to the silenced std::cout)
        bool asked = false;
        for (const std::string& w : words) asked = asked || w == "--help" || w == "-h";
        check(asked, "parse returned no result without --help");
        return;
    }
    check_accessors(command, *parsed);
    if (which == 0) {
        try {
            exercise_inputs(*parsed);
        } catch (const tdam::Error&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::cout.setstate(std::ios::failbit);  // --help output is not wanted
    for (const Command& c : commands()) cli::help_text(c);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return 0;  // long argument lists add nothing but time
    return tdam::fuzz::abort_on_escape([&] { run(data, size); });
}
