#include "output.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "tdam/error.hpp"

namespace tdam::cli {

void write_file_atomic(const std::string& path, const std::string& content) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw Error("cannot write '" + path + "': " + std::strerror(errno));
        f.write(content.data(), static_cast<std::streamsize>(content.size()));
        f.close();
        if (!f) {
            std::remove(tmp.c_str());
            throw Error("cannot write '" + path + "'");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        std::remove(tmp.c_str());
        throw Error("cannot write '" + path + "': " + reason);
    }
}

void Output::add_file(const std::string& path, const std::string& content) {
    files_.emplace_back(path, content);
}

void Output::add_npy(const std::string& path, const npy::Array& array) { npys_.emplace_back(path, array); }

void Output::add_text_or_stdout(const std::string& path, const std::string& content) {
    if (path == "-")
        text += content;
    else
        add_file(path, content);
}

void Output::emit() {
    for (const auto& [path, array] : npys_) npy::write_file(path, array);
    for (const auto& [path, content] : files_) write_file_atomic(path, content);
    std::cout << text;
    std::cout.flush();
    if (!std::cout) throw Error("cannot write to stdout");
}

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)), enabled_(isatty(2) == 1), start_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() { clear(); }

Progress ProgressLine::callback(double base, double span) {
    return [this, base, span](double f) {
        update(base + span * f);
        return true;
    };
}

void ProgressLine::update(double fraction) {
    if (!enabled_) return;
    if (shown_ < 0 && std::chrono::steady_clock::now() - start_ < std::chrono::milliseconds(1000)) return;
    int percent = static_cast<int>(std::floor(fraction * 100.0));
    percent = percent < 0 ? 0 : (percent > 100 ? 100 : percent);
    if (percent == shown_) return;
    shown_ = percent;
    std::fprintf(stderr, "\r%s: %3d%%", label_.c_str(), percent);
    std::fflush(stderr);
}

void ProgressLine::clear() {
    if (shown_ < 0) return;
    std::fprintf(stderr, "\r%*s\r", static_cast<int>(label_.size() + 6), "");
    std::fflush(stderr);
    shown_ = -1;
}

}  // namespace tdam::cli
