#include "args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "json.hpp"
#include "tdam/error.hpp"

namespace tdam::cli {

namespace {

std::string range_text(double min, double max) {
    const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
    if (has_min && has_max) return "between " + format_number(min) + " and " + format_number(max);
    if (has_min) return "at least " + format_number(min);
    if (has_max) return "at most " + format_number(max);
    return "";
}

bool starts_with_space(const std::string& text) {
    return !text.empty() && (text[0] == ' ' || text[0] == '\t' || text[0] == '\n' ||
                             text[0] == '\r' || text[0] == '\f' || text[0] == '\v');
}

// Throws unless the converted value of `text` is valid for `option`.
void validate(const Option& option, const std::string& text) {
    const std::string what = "--" + option.name;
    switch (option.type) {
        case Type::Flag:
        case Type::Text: return;
        case Type::Int: parse_integer(text, what, option.min, option.max); return;
        case Type::Real: parse_real(text, what, option.min, option.max); return;
        case Type::Seed: parse_seed(text, what); return;
        case Type::RealList:
            for (const auto& item : split_list(text, what)) parse_real(item, what, option.min, option.max);
            return;
        case Type::TextList: split_list(text, what); return;
    }
}

}  // namespace

std::int64_t parse_integer(const std::string& text, const std::string& what, double min, double max) {
    const std::string bad = what + " expects an integer, got '" + text + "'";
    require(!text.empty() && !starts_with_space(text), bad);
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    require(end != text.c_str() && *end == '\0', bad);
    require(errno != ERANGE, what + " is out of range (got '" + text + "')");
    const double v = static_cast<double>(value);
    require(v >= min && v <= max, what + " must be " + range_text(min, max) + " (got " + text + ")");
    return value;
}

double parse_real(const std::string& text, const std::string& what, double min, double max) {
    const std::string bad = what + " expects a number, got '" + text + "'";
    require(!text.empty() && !starts_with_space(text), bad);
    errno = 0;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    require(end != text.c_str() && *end == '\0', bad);
    require(!(errno == ERANGE && std::fabs(value) > 1.0), what + " is out of range (got '" + text + "')");
    require(std::isfinite(value), what + " must be a finite number (got '" + text + "')");
    require(value >= min && value <= max, what + " must be " + range_text(min, max) + " (got " + text + ")");
    return value;
}

std::uint64_t parse_seed(const std::string& text, const std::string& what) {
    const std::string bad = what + " expects a non-negative integer, got '" + text + "'";
    require(!text.empty() && !starts_with_space(text) && text[0] != '-' && text[0] != '+', bad);
    errno = 0;
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    require(end != text.c_str() && *end == '\0', bad);
    require(errno != ERANGE, what + " is out of range (at most 18446744073709551615, got " + text + ")");
    return static_cast<std::uint64_t>(value);
}

std::vector<std::string> split_list(const std::string& text, const std::string& what) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        require(!item.empty(), what + " has an empty item in '" + text + "'");
        items.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return items;
}

std::string wrap(const std::string& text, std::size_t width, std::size_t first_column,
                 std::size_t indent) {
    std::string out;
    std::size_t column = first_column;
    std::size_t i = 0;
    bool line_empty = true;
    while (i < text.size()) {
        if (text[i] == '\n') {
            out += '\n';
            out.append(indent, ' ');
            column = indent;
            line_empty = true;
            ++i;
            continue;
        }
        if (text[i] == ' ') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '\n') ++j;
        const std::string word = text.substr(i, j - i);
        if (!line_empty && column + 1 + word.size() > width) {
            out += '\n';
            out.append(indent, ' ');
            column = indent;
            line_empty = true;
        }
        if (!line_empty) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        line_empty = false;
        i = j;
    }
    return out;
}

std::string help_text(const Command& command) {
    constexpr std::size_t kWidth = 79;
    constexpr std::size_t kHelpColumn = 26;
    std::string out;
    std::size_t line_start = 0;
    bool first = true;
    const std::string& usage = command.usage;
    while (line_start <= usage.size()) {
        const std::size_t nl = usage.find('\n', line_start);
        const std::string line = usage.substr(line_start, nl == std::string::npos ? std::string::npos : nl - line_start);
        out += (first ? "usage: " : "       ") + line + "\n";
        first = false;
        if (nl == std::string::npos) break;
        line_start = nl + 1;
    }
    auto paragraphs = [&](const std::string& text) {
        // Lines starting with a space are kept as they are (examples); others are wrapped.
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t nl = text.find('\n', start);
            const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
            if (!line.empty() && line[0] == ' ')
                out += line;
            else
                out += wrap(line, kWidth, 0, 0);
            out += '\n';
            if (nl == std::string::npos) break;
            start = nl + 1;
        }
    };
    if (!command.summary.empty()) {
        out += '\n';
        paragraphs(command.summary);
    }
    out += "\noptions:\n";
    auto row = [&](const std::string& left, const std::string& help) {
        std::string line = "  " + left;
        if (line.size() + 2 > kHelpColumn) {
            out += line + "\n";
            line.assign(kHelpColumn, ' ');
        } else {
            line.append(kHelpColumn - line.size(), ' ');
        }
        out += line + wrap(help, kWidth, kHelpColumn, kHelpColumn) + "\n";
    };
    for (const Option& o : command.options) {
        std::string left = "--" + o.name;
        if (o.type != Type::Flag) left += " " + (o.metavar.empty() ? std::string("X") : o.metavar);
        std::string help = o.help;
        if (o.required) help += " (required)";
        else if (!o.fallback.empty()) help += " (default: " + o.fallback + ")";
        row(left, help);
    }
    row("--help", "show this help and exit");
    if (!command.notes.empty()) {
        out += '\n';
        paragraphs(command.notes);
    }
    return out;
}

std::optional<Parsed> parse(const Command& command, const std::vector<std::string>& args) {
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            std::cout << help_text(command);
            return std::nullopt;
        }
    }
    const std::string see = " (see 'tdam " + command.name + " --help')";
    Parsed parsed;
    parsed.command_ = &command;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (!arg.empty() && arg[0] == '-') throw Error("unknown option " + arg + see);
            throw Error("unexpected argument '" + arg + "'" + see);
        }
        const std::size_t eq = arg.find('=');
        const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const Option* option = nullptr;
        for (const Option& o : command.options)
            if (o.name == name) option = &o;
        if (option == nullptr) throw Error("unknown option --" + name + see);
        require(parsed.given_.count(name) == 0, "option --" + name + " is given more than once");
        std::string value;
        if (option->type == Type::Flag) {
            require(eq == std::string::npos, "option --" + name + " takes no value");
        } else if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else {
            require(i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0,
                    "option --" + name + " needs a value");
            value = args[++i];
        }
        if (option->type != Type::Flag) {
            require(!value.empty(), "option --" + name + " needs a value");
            validate(*option, value);
        }
        parsed.given_[name] = value;
    }
    for (const Option& o : command.options)
        require(!o.required || parsed.given_.count(o.name), "missing option --" + o.name + see);
    return parsed;
}

const Option& Parsed::spec(const std::string& name) const {
    for (const Option& o : command_->options)
        if (o.name == name) return o;
    throw Error("internal: no option --" + name);
}

bool Parsed::has(const std::string& name) const {
    spec(name);
    return given_.count(name) != 0;
}

bool Parsed::declares(const std::string& name) const {
    for (const Option& o : command_->options)
        if (o.name == name) return true;
    return false;
}

bool Parsed::flag(const std::string& name) const { return has(name); }

const std::string& Parsed::text(const std::string& name) const {
    const Option& o = spec(name);
    const auto it = given_.find(name);
    if (it != given_.end()) return it->second;
    require(!o.fallback.empty(), "missing option --" + name);
    return o.fallback;
}

std::int64_t Parsed::integer(const std::string& name) const {
    const Option& o = spec(name);
    return parse_integer(text(name), "--" + name, o.min, o.max);
}

int Parsed::int32(const std::string& name) const {
    const std::int64_t v = integer(name);
    require(v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max(),
            "--" + name + " is out of range");
    return static_cast<int>(v);
}

double Parsed::real(const std::string& name) const {
    const Option& o = spec(name);
    return parse_real(text(name), "--" + name, o.min, o.max);
}

std::uint64_t Parsed::seed(const std::string& name) const { return parse_seed(text(name), "--" + name); }

std::vector<double> Parsed::reals(const std::string& name) const {
    const Option& o = spec(name);
    std::vector<double> out;
    for (const auto& item : split_list(text(name), "--" + name))
        out.push_back(parse_real(item, "--" + name, o.min, o.max));
    return out;
}

std::vector<std::string> Parsed::texts(const std::string& name) const {
    return split_list(text(name), "--" + name);
}

}  // namespace tdam::cli
