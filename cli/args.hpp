#pragma once
// A small declarative option parser. Each subcommand declares its options
// (name, value type, default, help text); `parse` reads `--name value` and
// `--name=value`, validates every value against its type and range at once
// (errors name the option), and prints the usage and option table for
// `--help` / `-h`.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tdam::cli {

enum class Type {
    Flag,      // no value: present or not
    Text,      // any string
    Int,       // a decimal integer within [min, max]
    Real,      // a finite decimal number within [min, max]
    Seed,      // an unsigned 64-bit integer
    RealList,  // comma-separated finite numbers, each within [min, max]
    TextList   // comma-separated non-empty words
};

struct Option {
    std::string name;      // without the leading "--"
    Type type = Type::Text;
    std::string fallback;  // the default, as text; empty: none
    std::string help;
    std::string metavar;   // shown after the name in the table, e.g. "N", "PATH"
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool required = false;
};

struct Command {
    std::string name;      // as in "tdam <name>", also used in error messages
    std::string usage;     // one or more usage lines, without "usage: "
    std::string summary;   // paragraph(s) shown before the option table
    std::vector<Option> options;
    std::string notes;     // paragraph(s) shown after the option table
};

class Parsed {
public:
    // Whether the option was given on the command line.
    bool has(const std::string& name) const;
    // Whether the command declares the option at all.
    bool declares(const std::string& name) const;
    bool flag(const std::string& name) const;
    // The value given, else the default; throws "missing option --name" if neither.
    const std::string& text(const std::string& name) const;
    std::int64_t integer(const std::string& name) const;
    int int32(const std::string& name) const;  // Int options whose range fits an int
    double real(const std::string& name) const;
    std::uint64_t seed(const std::string& name) const;
    std::vector<double> reals(const std::string& name) const;
    std::vector<std::string> texts(const std::string& name) const;

private:
    friend std::optional<Parsed> parse(const Command&, const std::vector<std::string>&);
    const Option& spec(const std::string& name) const;
    const Command* command_ = nullptr;
    std::map<std::string, std::string> given_;
};

// Parses args (everything after the subcommand name). Returns nullopt after
// printing the help to stdout when --help or -h is among them; throws
// tdam::Error naming the option on any problem.
std::optional<Parsed> parse(const Command& command, const std::vector<std::string>& args);

// The usage, summary, option table and notes of a command.
std::string help_text(const Command& command);

// Value conversions used by the parser, exposed for the commands' own checks.
// `what` names the value in messages (e.g. "--nv").
std::int64_t parse_integer(const std::string& text, const std::string& what, double min, double max);
double parse_real(const std::string& text, const std::string& what, double min, double max);
std::uint64_t parse_seed(const std::string& text, const std::string& what);
std::vector<std::string> split_list(const std::string& text, const std::string& what);

// Word-wraps text to width columns, each line after the first indented by indent spaces.
std::string wrap(const std::string& text, std::size_t width, std::size_t first_column,
                 std::size_t indent);

}  // namespace tdam::cli
