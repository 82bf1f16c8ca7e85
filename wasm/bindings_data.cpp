// Embind registration, part 2: seeded data (random weights and patterns),
// compositional scaling and corruption. Adapters only: the work is the core's.
#include <emscripten/bind.h>

#include "adapter.hpp"
#include "tdam/basin.hpp"
#include "tdam/error.hpp"
#include "tdam/random.hpp"
#include "tdam/rng.hpp"
#include "tdam/threshold.hpp"

namespace tdam_wasm {

namespace {

constexpr std::uint64_t kDefaultSeed = 1;

std::uint64_t seed_or_default(const val& seed) {
    if (seed.isUndefined() || seed.isNull()) return kDefaultSeed;
    return to_seed(seed, "seed");
}

// randomWeights(nv, nh, kind, seed): column-major nv x nh.
val random_weights(double nv, double nh, std::string kind, val seed) {
    return guarded([&] {
        const int rows = to_int(nv, "nv"), cols = to_int(nh, "nh");
        const tdam::WeightKind k = tdam::parse_weight_kind(kind);
        tdam::Rng rng(seed_or_default(seed));
        const tdam::Matrix m = tdam::random_weights(rows, cols, k, rng);
        return to_array(m.data(), static_cast<std::size_t>(m.size()));
    });
}

// randomPatterns(nv, count, seed): ±1, column-major nv x count.
val random_patterns(double nv, double count, val seed) {
    return guarded([&] {
        const int rows = to_int(nv, "nv"), cols = to_int(count, "count");
        tdam::Rng rng(seed_or_default(seed));
        const tdam::Matrix m = tdam::random_patterns(rows, cols, rng);
        return to_array(m.data(), static_cast<std::size_t>(m.size()));
    });
}

// scaleParts(parts, nv, k): the columns scaled to xi_mu . xi_mu / N_v = 1.
val scale_parts(std::uintptr_t offset, int length, double nv, double k) {
    return guarded([&] {
        const tdam::Matrix parts = read_matrix(offset, length, to_int(nv, "nv"), to_int(k, "k"), "parts");
        const tdam::Matrix xi = tdam::scale_parts(parts);
        return to_array(xi.data(), static_cast<std::size_t>(xi.size()));
    });
}

// The corruption fields of an options object (`context` names it).
tdam::Corruption read_corruption(const Options& o) {
    const tdam::Corruption defaults;
    tdam::Corruption c;
    c.kind = tdam::parse_corruption(o.text("kind", tdam::to_string(defaults.kind)));
    c.level = o.number("level", defaults.level);
    c.rows = o.integer("rows", defaults.rows, 0, 2147483647.0);
    c.cols = o.integer("cols", defaults.cols, 0, 2147483647.0);
    c.top = o.integer("top", defaults.top, 0, 2147483647.0);
    c.left = o.integer("left", defaults.left, 0, 2147483647.0);
    c.height = o.integer("height", defaults.height, 0, 2147483647.0);
    c.width = o.integer("width", defaults.width, 0, 2147483647.0);
    return c;
}

// corrupt(x, { kind, level, rows, cols, top, left, height, width, visible, seed }).
val corrupt(std::uintptr_t offset, int length, val options) {
    return guarded([&] {
        const Options o(options, "corrupt option", {"kind", "level", "rows", "cols", "top", "left", "height", "width", "visible", "seed"});
        const tdam::Corruption c = read_corruption(o);
        const tdam::Visible visible = tdam::parse_visible(o.text("visible", "linear"));
        tdam::Rng rng(o.seed("seed", kDefaultSeed));
        const tdam::Vector x = read_vector(offset, length);
        tdam::require(x.size() >= 1, "corrupt: the pattern is empty");
        return to_array(tdam::corrupt(x, c, visible, rng));
    });
}

// corruptGrey(x, { kind, level, rows, cols, top, left, height, width, seed }):
// tdam::corrupt_grey, the cues of the learning measurements.
val corrupt_grey(std::uintptr_t offset, int length, val options) {
    return guarded([&] {
        const Options o(options, "corruptGrey option", {"kind", "level", "rows", "cols", "top", "left", "height", "width", "seed"});
        const tdam::Corruption c = read_corruption(o);
        tdam::Rng rng(o.seed("seed", kDefaultSeed));
        const tdam::Vector x = read_vector(offset, length);
        tdam::require(x.size() >= 1, "corruptGrey: the image is empty");
        return to_array(tdam::corrupt_grey(x, c, rng));
    });
}

}  // namespace

}  // namespace tdam_wasm

EMSCRIPTEN_BINDINGS(tdam_data) {
    using namespace emscripten;
    function("randomWeights", &tdam_wasm::random_weights);
    function("randomPatterns", &tdam_wasm::random_patterns);
    function("scaleParts", &tdam_wasm::scale_parts);
    function("corrupt", &tdam_wasm::corrupt);
    function("corruptGrey", &tdam_wasm::corrupt_grey);
}
