#pragma once
// CSV text: a header row, then rows of cells. Numbers use format_number
// (round-trip digits); an empty cell means "not applicable". Cells holding a
// comma, quote or newline are quoted.
#include <cstdint>
#include <string>
#include <vector>

namespace tdam::cli {

class Csv {
public:
    explicit Csv(const std::vector<std::string>& header);
    Csv& cell(const std::string& text);
    Csv& cell(const char* text) { return cell(std::string(text)); }
    Csv& cell(double x);
    Csv& cell(int x) { return cell(static_cast<std::int64_t>(x)); }
    Csv& cell(std::int64_t x);
    Csv& cell(std::uint64_t x);
    Csv& cell(bool x) { return cell(x ? "true" : "false"); }
    Csv& empty();
    void end_row();  // checks the row has as many cells as the header
    const std::string& str() const { return out_; }

private:
    void separator();
    std::string out_;
    std::size_t columns_ = 0;
    std::size_t in_row_ = 0;
};

}  // namespace tdam::cli
