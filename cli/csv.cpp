#include "csv.hpp"

#include "json.hpp"
#include "tdam/error.hpp"

namespace tdam::cli {

Csv::Csv(const std::vector<std::string>& header) : columns_(header.size()) {
    for (const auto& name : header) cell(name);
    end_row();
}

void Csv::separator() {
    if (in_row_++ > 0) out_ += ',';
}

Csv& Csv::cell(const std::string& text) {
    separator();
    if (text.find_first_of(",\"\n\r") == std::string::npos) {
        out_ += text;
    } else {
        out_ += '"';
        for (char c : text) {
            if (c == '"') out_ += '"';
            out_ += c;
        }
        out_ += '"';
    }
    return *this;
}

Csv& Csv::cell(double x) {
    const std::string s = format_number(x);
    separator();
    if (s != "null") out_ += s;  // non-finite: empty
    return *this;
}

Csv& Csv::cell(std::int64_t x) {
    separator();
    out_ += std::to_string(x);
    return *this;
}

Csv& Csv::cell(std::uint64_t x) {
    separator();
    out_ += std::to_string(x);
    return *this;
}

Csv& Csv::empty() {
    separator();
    return *this;
}

void Csv::end_row() {
    require(in_row_ == columns_, "internal: CSV row has " + std::to_string(in_row_) + " cells, expected " +
                                     std::to_string(columns_));
    out_ += '\n';
    in_row_ = 0;
}

}  // namespace tdam::cli
