#pragma once
// What a command produces, collected while it runs and written only at the
// very end (so a failing command writes nothing): files, each written
// atomically (a temporary file renamed over the target), then the text for
// stdout. Also the progress line on stderr.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "tdam/capacity.hpp"
#include "tdam/npy.hpp"

namespace tdam::cli {

class Output {
public:
    std::string text;  // printed on stdout after the files are written

    void add_file(const std::string& path, const std::string& content);
    void add_npy(const std::string& path, const npy::Array& array);
    // CSV (or any text) to a file, or to stdout when path is "-".
    void add_text_or_stdout(const std::string& path, const std::string& content);
    // Writes the files, then prints text; throws tdam::Error on failure.
    void emit();

private:
    std::vector<std::pair<std::string, std::string>> files_;
    std::vector<std::pair<std::string, npy::Array>> npys_;
};

// Writes content to path + ".tmp" and renames it over path.
void write_file_atomic(const std::string& path, const std::string& content);

// A percentage on stderr, rewritten in place with \r, shown only when stderr
// is a terminal and the work has run for more than about a second.
class ProgressLine {
public:
    explicit ProgressLine(std::string label);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    // A callback reporting base + span * f for the core's fraction f.
    Progress callback(double base = 0.0, double span = 1.0);
    void update(double fraction);
    void clear();  // erases the line if one is shown

private:
    std::string label_;
    bool enabled_;
    std::chrono::steady_clock::time_point start_;
    int shown_ = -1;
};

}  // namespace tdam::cli
