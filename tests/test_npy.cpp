// Tests for the .npy reader and writer (core/src/npy.cpp).
#include <doctest/doctest.h>

#include "support.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "tdam/error.hpp"
#include "tdam/npy.hpp"

namespace {

namespace fs = std::filesystem;
using tdam::npy::Array;
using tdam::npy::Dtype;
using Bytes = std::vector<std::uint8_t>;
using tdam::test::TempDir;
using tdam::test::write_bytes;

const std::string kMagic("\x93NUMPY", 6);

void append(Bytes& out, const std::string& s) { out.insert(out.end(), s.begin(), s.end()); }

void append_le(Bytes& out, std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void append_be(Bytes& out, std::uint64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t bits_of(double x) {
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

std::uint32_t bits_of(float x) {
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

Bytes f64_data(const std::vector<double>& values, bool big_endian = false) {
    Bytes out;
    for (double v : values) {
        big_endian ? append_be(out, bits_of(v), 8) : append_le(out, bits_of(v), 8);
    }
    return out;
}

Bytes f32_data(const std::vector<float>& values, bool big_endian = false) {
    Bytes out;
    for (float v : values) {
        big_endian ? append_be(out, bits_of(v), 4) : append_le(out, bits_of(v), 4);
    }
    return out;
}

// Preamble + header text exactly as given + data; no padding is added.
Bytes raw_npy(const std::string& header, const Bytes& data, int major = 1, int minor = 0) {
    Bytes out;
    append(out, kMagic);
    out.push_back(static_cast<std::uint8_t>(major));
    out.push_back(static_cast<std::uint8_t>(minor));
    append_le(out, header.size(), major == 1 ? 2 : 4);
    append(out, header);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

// A file with `dict` padded as numpy pads it (spaces and '\n' to a multiple of 64).
Bytes npy_file(const std::string& dict, const Bytes& data, int major = 1) {
    const std::size_t prefix = major == 1 ? 10 : 12;
    const std::size_t padding = 64 - (prefix + dict.size() + 1) % 64;
    return raw_npy(dict + std::string(padding, ' ') + "\n", data, major);
}

std::string dict_for(const std::string& descr, const std::string& shape, bool fortran = false) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
           ", 'shape': " + shape + ", }";
}

// doctest matchers from std::string (doctest::String has no such constructor).
doctest::Contains has(const std::string& s) { return doctest::Contains(s.c_str()); }
doctest::String exactly(const std::string& s) { return doctest::String(s.c_str()); }

Array parse_bytes(const Bytes& b) { return tdam::npy::parse(b.data(), b.size()); }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (bits_of(a[i]) != bits_of(b[i])) return false;
    }
    return true;
}

Bytes read_raw(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Array make_array(std::vector<std::int64_t> shape, std::vector<double> data) {
    Array a;
    a.shape = std::move(shape);
    a.data = std::move(data);
    return a;
}

// Values whose bits are easy to lose: signed zero, subnormals, extremes,
// infinities and a NaN with a payload.
std::vector<double> tricky_values(std::size_t n) {
    double nan_with_payload;
    const std::uint64_t nan_bits = 0x7ff80000deadbeefULL;
    std::memcpy(&nan_with_payload, &nan_bits, sizeof nan_with_payload);
    const std::vector<double> pool = {0.1,
                                      -0.0,
                                      1.0 / 3.0,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::max(),
                                      -std::numeric_limits<double>::infinity(),
                                      nan_with_payload,
                                      -123456.789e-300};
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = pool[i % pool.size()] * (i < pool.size() ? 1 : 2);
    return v;
}

}  // namespace

TEST_CASE("npy: serialize writes the header byte-for-byte as numpy 1.x does") {
    const std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    REQUIRE(dict.size() == 59);
    // 10 bytes of preamble + 59 + 58 spaces + '\n' = 128, a multiple of 64.
    Bytes expected;
    append(expected, kMagic);
    expected.push_back(1);
    expected.push_back(0);
    append_le(expected, 118, 2);
    append(expected, dict);
    append(expected, std::string(58, ' '));
    expected.push_back('\n');
    REQUIRE(expected.size() == 128);
    const std::vector<double> values = {1, 2, 3, 4, 5, 6};
    const Bytes data = f64_data(values);
    expected.insert(expected.end(), data.begin(), data.end());

    Eigen::MatrixXd m(2, 3);
    m << 1, 2, 3, 4, 5, 6;
    const Bytes out = tdam::npy::serialize(tdam::npy::from_matrix(m));
    CHECK(out == expected);

    const Array back = parse_bytes(expected);
    CHECK(back.shape == std::vector<std::int64_t>{2, 3});
    CHECK(back.dtype == Dtype::Float64);
    CHECK(back.data == values);
}

TEST_CASE("npy: serialize header layout for other shapes and float32") {
    struct Case {
        std::vector<std::int64_t> shape;
        std::string shape_text;
    };
    const std::vector<Case> cases = {{{}, "()"}, {{5}, "(5,)"}, {{0}, "(0,)"}, {{3, 4}, "(3, 4)"}};
    for (const Case& c : cases) {
        for (Dtype dtype : {Dtype::Float64, Dtype::Float32}) {
            std::size_t count = 1;
            for (auto d : c.shape) count *= static_cast<std::size_t>(d);
            const Bytes out =
                tdam::npy::serialize(make_array(c.shape, std::vector<double>(count, 1.5)), dtype);
            const std::string descr = dtype == Dtype::Float32 ? "<f4" : "<f8";
            const std::string dict = dict_for(descr, c.shape_text);
            const std::size_t header_end = out.size() - count * (dtype == Dtype::Float32 ? 4 : 8);
            CAPTURE(dict);
            CHECK(header_end % 64 == 0);
            CHECK(out[header_end - 1] == '\n');
            CHECK(out[8] + 256u * out[9] == header_end - 10);
            CHECK(std::string(out.begin() + 10, out.begin() + 10 + static_cast<long>(dict.size())) == dict);
            for (std::size_t i = 10 + dict.size(); i + 1 < header_end; ++i) CHECK(out[i] == ' ');
        }
    }
}

TEST_CASE("npy: float64 round trips are bit-identical") {
    const std::vector<std::vector<std::int64_t>> shapes = {{0}, {1}, {3, 4}, {}, {7}, {0, 3}, {3, 0}, {1, 1}};
    for (const auto& shape : shapes) {
        std::size_t count = 1;
        for (auto d : shape) count *= static_cast<std::size_t>(d);
        const Array a = make_array(shape, tricky_values(count));
        const Array back = parse_bytes(tdam::npy::serialize(a));
        CAPTURE(shape.size());
        CHECK(back.shape == shape);
        CHECK(back.dtype == Dtype::Float64);
        CHECK(same_bits(back.data, a.data));
    }
}

TEST_CASE("npy: float32 round trips read back the exact double of each float") {
    const std::vector<std::vector<std::int64_t>> shapes = {{0}, {1}, {3, 4}, {}};
    for (const auto& shape : shapes) {
        std::size_t count = 1;
        for (auto d : shape) count *= static_cast<std::size_t>(d);
        std::vector<double> values(count);
        for (std::size_t i = 0; i < count; ++i) values[i] = 0.1 * static_cast<double>(i) - 0.35;
        const Array back = parse_bytes(tdam::npy::serialize(make_array(shape, values), Dtype::Float32));
        CHECK(back.shape == shape);
        CHECK(back.dtype == Dtype::Float32);
        REQUIRE(back.data.size() == count);
        for (std::size_t i = 0; i < count; ++i) {
            CHECK(bits_of(back.data[i]) == bits_of(static_cast<double>(static_cast<float>(values[i]))));
        }
        // Writing what was read as float32 again reproduces the same file.
        const Bytes once = tdam::npy::serialize(back, Dtype::Float32);
        CHECK(tdam::npy::serialize(parse_bytes(once), Dtype::Float32) == once);
    }
}

TEST_CASE("npy: float32 special values and range") {
    const double inf = std::numeric_limits<double>::infinity();
    const Array back = parse_bytes(tdam::npy::serialize(
        make_array({4}, {inf, -inf, std::nan(""), FLT_MAX}), Dtype::Float32));
    CHECK(back.data[0] == inf);
    CHECK(back.data[1] == -inf);
    CHECK(std::isnan(back.data[2]));
    CHECK(back.data[3] == static_cast<double>(FLT_MAX));
    CHECK_THROWS_WITH_AS(tdam::npy::serialize(make_array({2}, {0.0, -1e300}), Dtype::Float32),
                         doctest::Contains("at index 1 is outside the float32 range"), tdam::Error);
}

TEST_CASE("npy: Fortran-order data is transposed into C order") {
    // Matrix [[1, 2, 3], [4, 5, 6]]: C order 1 2 3 4 5 6, Fortran order 1 4 2 5 3 6.
    const Bytes c_file = npy_file(dict_for("<f8", "(2, 3)"), f64_data({1, 2, 3, 4, 5, 6}));
    const Bytes f_file = npy_file(dict_for("<f8", "(2, 3)", true), f64_data({1, 4, 2, 5, 3, 6}));
    const Array c = parse_bytes(c_file);
    const Array f = parse_bytes(f_file);
    CHECK(f.shape == c.shape);
    CHECK(f.data == c.data);
    CHECK(tdam::npy::to_matrix(f, "m") == tdam::npy::to_matrix(c, "m"));

    // Float32, and 1-D / 0-d Fortran arrays (same layout as C).
    const Array f32 = parse_bytes(npy_file(dict_for("<f4", "(3, 2)", true), f32_data({1, 3, 5, 2, 4, 6})));
    CHECK(f32.data == std::vector<double>{1, 2, 3, 4, 5, 6});
    CHECK(parse_bytes(npy_file(dict_for("<f8", "(3,)", true), f64_data({7, 8, 9}))).data ==
          std::vector<double>{7, 8, 9});
    CHECK(parse_bytes(npy_file(dict_for("<f8", "()", true), f64_data({7}))).data ==
          std::vector<double>{7});
}

TEST_CASE("npy: big-endian data is byte-swapped") {
    const std::vector<double> values = {1.5, -2.25, 1.0 / 3.0, 1e-310};
    const Array be64 = parse_bytes(npy_file(dict_for(">f8", "(2, 2)"), f64_data(values, true)));
    CHECK(be64.dtype == Dtype::Float64);
    CHECK(same_bits(be64.data, values));

    const std::vector<float> fvalues = {1.5f, -2.25f, 0.1f};
    const Array be32 = parse_bytes(npy_file(dict_for(">f4", "(3,)"), f32_data(fvalues, true)));
    CHECK(be32.dtype == Dtype::Float32);
    for (std::size_t i = 0; i < fvalues.size(); ++i) CHECK(be32.data[i] == static_cast<double>(fvalues[i]));

    const Array be_fortran = parse_bytes(npy_file(dict_for(">f8", "(2, 2)", true), f64_data({1, 3, 2, 4}, true)));
    CHECK(be_fortran.data == std::vector<double>{1, 2, 3, 4});
}

TEST_CASE("npy: format versions 2.0 and 3.0") {
    for (int major : {2, 3}) {
        const Array a = parse_bytes(npy_file(dict_for("<f8", "(2,)"), f64_data({1, 2}), major));
        CHECK(a.shape == std::vector<std::int64_t>{2});
        CHECK(a.data == std::vector<double>{1, 2});
    }
}

TEST_CASE("npy: header syntax variants") {
    const Bytes data = f64_data({1, 2, 3, 4, 5, 6});
    const std::vector<std::string> headers = {
        "{'shape': (2, 3), 'descr': '<f8', 'fortran_order': False}",  // any key order, no trailing comma
        "{'fortran_order':False,'shape':(2,3,),'descr':'<f8',}",       // no spaces, trailing comma in tuple
        "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 3)}",  // double quotes
        "  {\t'descr' : '<f8' ,\n'fortran_order' :  False ,\r\n 'shape' : (  2 ,  3  ) , }  \n",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }",  // Python 2 longs
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",    // unpadded, no '\n'
    };
    for (const std::string& h : headers) {
        CAPTURE(h);
        const Array a = parse_bytes(raw_npy(h, data));
        CHECK(a.shape == std::vector<std::int64_t>{2, 3});
        CHECK(a.data == std::vector<double>{1, 2, 3, 4, 5, 6});
    }
    CHECK(parse_bytes(raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': ( 1 , ), }", f64_data({4})))
              .shape == std::vector<std::int64_t>{1});
    CHECK(parse_bytes(raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': ( ), }", f64_data({4})))
              .shape.empty());
    // A zero-size array with a large other dimension is fine: no data.
    CHECK(parse_bytes(npy_file(dict_for("<f8", "(0, 1000000)"), {})).data.empty());
}

TEST_CASE("npy: malformed preambles are rejected") {
    const Bytes good = npy_file(dict_for("<f8", "(1,)"), f64_data({1}));
    auto with_byte = [&](std::size_t at, std::uint8_t v) {
        Bytes b = good;
        b[at] = v;
        return b;
    };
    using doctest::Contains;
    CHECK_THROWS_WITH_AS(parse_bytes(with_byte(5, 'Z')), Contains("bad magic"), tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(with_byte(0, 'P')), Contains("bad magic"), tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(Bytes{'P', 'K'}), Contains("bad magic"), tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::parse(nullptr, 0), Contains("truncated"), tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(Bytes(good.begin(), good.begin() + 7)), Contains("truncated"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(Bytes(good.begin(), good.begin() + 9)),
                         Contains("truncated: file ends inside the header length"), tdam::Error);

    CHECK_THROWS_WITH_AS(parse_bytes(with_byte(6, 4)), Contains("unsupported format version 4.0"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(with_byte(6, 0)), Contains("unsupported format version 0.0"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(with_byte(7, 1)), Contains("unsupported format version 1.1"),
                         tdam::Error);

    // Header length 0x1076 = 4214 (was 0x0076), but only 118 + 8 bytes follow.
    CHECK_THROWS_WITH_AS(parse_bytes(with_byte(9, 0x10)),
                         Contains("header length 4214 runs past the end of the data (126 bytes follow the preamble)"), tdam::Error);
    Bytes v2 = npy_file(dict_for("<f8", "(1,)"), f64_data({1}), 2);
    v2[11] = 0xff;
    CHECK_THROWS_WITH_AS(parse_bytes(v2), Contains("runs past the end"), tdam::Error);
}

TEST_CASE("npy: malformed headers are rejected") {
    using doctest::Contains;
    const Bytes d1 = f64_data({1});
    auto header_error = [&](const std::string& header) -> std::string {
        try {
            parse_bytes(raw_npy(header, d1));
        } catch (const tdam::Error& e) {
            return e.what();
        }
        return "(no error)";
    };
    struct Case {
        std::string header;
        std::string message;
    };
    const std::string descr = "'descr': '<f8', ";
    const std::string order = "'fortran_order': False, ";
    const std::vector<Case> cases = {
        {"", "unterminated header"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", "unterminated header"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,", "unterminated header"},
        {"{'descr': '<f8", "unterminated string in header"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } x", "after the header dict"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n" + std::string(2, '\0'),
         "after the header dict"},  // NUL padding
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }}", "after the header dict"},
        {"{descr: '<f8', 'fortran_order': False, 'shape': (1,), }", "garbage in header"},
        {"{'descr' '<f8', 'fortran_order': False, 'shape': (1,), }", "garbage in header"},
        {"{'descr': '<f8' 'fortran_order': False, 'shape': (1,), }", "garbage in header"},
        {"{'descr': '<f8',, 'fortran_order': False, 'shape': (1,), }", "garbage in header"},
        {"{'descr': '<\\x66\\x38', 'fortran_order': False, 'shape': (1,), }", "inside a string"},
        {"{'descr': b'<f8', 'fortran_order': False, 'shape': (1,), }", "garbage in header"},
        {"(1,)", "garbage in header"},
        {"{'descr': '<f8', 'fortran_order': False}", "header has no 'shape' key"},
        {"{'shape': (1,), 'fortran_order': False}", "header has no 'descr' key"},
        {"{'descr': '<f8', 'shape': (1,)}", "header has no 'fortran_order' key"},
        {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}",
         "duplicate key 'descr'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
         "unexpected key 'extra'"},
        {"{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", "'fortran_order' must be True or False"},
        {"{'descr': '<f8', 'fortran_order': false, 'shape': (1,), }",
         "'fortran_order' must be True or False, not 'false'"},
        {"{'descr': '<f8', 'fortran_order': 'False', 'shape': (1,), }", "garbage in header"},
        {"{" + descr + order + "'shape': (1), }", "is not a tuple"},
        {"{" + descr + order + "'shape': [1], }", "garbage in header"},
        {"{" + descr + order + "'shape': (,), }", "garbage in header"},
        {"{" + descr + order + "'shape': (1,,), }", "garbage in header"},
        {"{" + descr + order + "'shape': (1.0,), }", "garbage in header"},
        {"{" + descr + order + "'shape': (01,), }", "leading zero"},
        {"{" + descr + order + "'shape': (-1,), }", "negative dimension"},
        {"{" + descr + order + "'shape': (9223372036854775808,), }", "overflows int64"},
        {"{" + descr + order + "'shape': (99999999999999999999999,), }", "overflows int64"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.header);
        CHECK(header_error(c.header).find(c.message) != std::string::npos);
    }
    // Every message starts with its source.
    CHECK(header_error("").rfind("invalid .npy data: ", 0) == 0);
}

TEST_CASE("npy: unsupported dtypes are rejected by name") {
    using doctest::Contains;
    for (const std::string descr : {"<i4", "|b1", "|O", "<f2", "=f8", "|f8", "<c16", "<f8 ", "f8", "<d"}) {
        CAPTURE(descr);
        CHECK_THROWS_WITH_AS(parse_bytes(npy_file(dict_for(descr, "(1,)"), f64_data({1}))),
                             has("unsupported dtype '" + descr + "' (expected float32 or float64)"),
                             tdam::Error);
    }
    CHECK_THROWS_WITH_AS(
        parse_bytes(npy_file(dict_for("<i4", "(1,)"), {0, 0, 0, 0})),
        "invalid .npy data: unsupported dtype '<i4' (expected float32 or float64)", tdam::Error);
    CHECK_THROWS_WITH_AS(
        parse_bytes(npy_file("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }",
                             f64_data({1}))),
        Contains("unsupported dtype: structured array"), tdam::Error);
}

TEST_CASE("npy: shape and size limits") {
    using doctest::Contains;
    auto parse_shape = [](const std::string& shape, const std::string& descr = "<f8") {
        return parse_bytes(npy_file(dict_for(descr, shape), {}));
    };
    CHECK_THROWS_WITH_AS(parse_shape("(2, 3, 4)"),
                         Contains("3 dimensions in shape (2, 3, 4) (at most 2 are supported)"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(parse_shape("(1, 1, 1, 1)"), Contains("4 dimensions"), tdam::Error);
    CHECK_THROWS_WITH_AS(parse_shape("(4294967296, 4294967296)"),
                         Contains("number of elements of shape (4294967296, 4294967296) overflows"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(parse_shape("(1073741824, 1073741824)"),
                         Contains("data size of shape (1073741824, 1073741824) overflows"), tdam::Error);
    CHECK_THROWS_WITH_AS(parse_shape("(1073741824, 2)", "<f4"),
                         Contains("needs 8589934592 bytes, more than the limit of 1073741824 bytes"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(parse_shape("(134217729,)"),  // 2^27 + 1 doubles: just over 1 GiB
                         Contains("more than the limit"), tdam::Error);
    CHECK_THROWS_WITH_AS(parse_shape("(0, 2000000000)"),
                         Contains("dimension 2000000000 in shape (0, 2000000000) exceeds the limit"),
                         tdam::Error);
}

TEST_CASE("npy: data length must match the shape exactly") {
    const std::string dict = dict_for("<f8", "(3,)");
    CHECK_THROWS_WITH_AS(parse_bytes(npy_file(dict, f64_data({1, 2}))),
                         "invalid .npy data: truncated: expected 24 bytes of data, found 16", tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(npy_file(dict, {})),
                         doctest::Contains("truncated: expected 24 bytes of data, found 0"), tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(npy_file(dict, f64_data({1, 2, 3, 4}))),
                         doctest::Contains("8 trailing bytes after the data"), tdam::Error);
    Bytes one_extra = npy_file(dict, f64_data({1, 2, 3}));
    one_extra.push_back(0);
    CHECK_THROWS_WITH_AS(parse_bytes(one_extra), doctest::Contains("1 trailing bytes after the data"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(parse_bytes(npy_file(dict_for("<f4", "(2, 2)"), f32_data({1, 2, 3}))),
                         doctest::Contains("truncated: expected 16 bytes of data, found 12"), tdam::Error);
}

TEST_CASE("npy: every truncation and single-byte corruption either parses or throws tdam::Error") {
    // Run under AddressSanitizer, this shows no input is read out of bounds.
    const Bytes good = tdam::npy::serialize(make_array({2, 3}, {1, 2, 3, 4, 5, 6}), Dtype::Float32);
    for (std::size_t n = 0; n < good.size(); ++n) {
        const Bytes cut(good.begin(), good.begin() + static_cast<long>(n));
        CHECK_THROWS_AS(parse_bytes(cut), tdam::Error);
    }
    int parsed = 0;
    for (std::size_t at = 0; at < good.size(); ++at) {
        for (int v : {0x00, 0x09, 0x20, 0x27, 0x29, 0x2c, 0x30, 0x7d, 0x80, 0xff}) {
            Bytes b = good;
            b[at] = static_cast<std::uint8_t>(v);
            try {
                parse_bytes(b);
                ++parsed;
            } catch (const tdam::Error&) {
            }
        }
    }
    CHECK(parsed > 0);  // e.g. changes to padding spaces or the data still parse
}

TEST_CASE("npy: read_file and write_file") {
    TempDir dir;
    const std::string path = dir.file("weights.npy");
    Eigen::MatrixXd m(3, 2);
    m << 1, 2, 3, 4, 5, 6;
    tdam::npy::write_file(path, tdam::npy::from_matrix(m));
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(path + ".tmp"));
    CHECK(read_raw(path) == tdam::npy::serialize(tdam::npy::from_matrix(m)));
    const Array back = tdam::npy::read_file(path);
    CHECK(tdam::npy::to_matrix(back, "weights") == m);

    // Float32 and overwriting an existing file.
    tdam::npy::write_file(path, tdam::npy::from_matrix(m), Dtype::Float32);
    CHECK(tdam::npy::read_file(path).dtype == Dtype::Float32);
    CHECK(tdam::npy::to_matrix(tdam::npy::read_file(path), "weights") == m);

    // An invalid array is refused before anything is written; the old file stays.
    const Bytes before = read_raw(path);
    CHECK_THROWS_WITH_AS(tdam::npy::write_file(path, make_array({3, 4}, {1, 2})),
                         doctest::Contains("shape (3, 4) needs 12 values but the data has 2"), tdam::Error);
    CHECK(read_raw(path) == before);
    CHECK_FALSE(fs::exists(path + ".tmp"));

    // A directory that does not exist: error, and nothing is left behind.
    const std::string missing = dir.file("no/such/dir/x.npy");
    CHECK_THROWS_WITH_AS(tdam::npy::write_file(missing, tdam::npy::from_matrix(m)),
                         has("cannot open '" + missing + ".tmp' for writing: "), tdam::Error);
    CHECK_FALSE(fs::exists(missing));
    CHECK_FALSE(fs::exists(missing + ".tmp"));
}

TEST_CASE("npy: read_file errors name the path") {
    using doctest::Contains;
    TempDir dir;
    const std::string missing = dir.file("missing.npy");
    CHECK_THROWS_WITH_AS(tdam::npy::read_file(missing), has("cannot open '" + missing + "': "),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::read_file(dir.path.string()),
                         has("cannot read '" + dir.path.string() + "': "), tdam::Error);

    const std::string bad = dir.file("bad.npy");
    write_bytes(bad, Bytes{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK_THROWS_WITH_AS(tdam::npy::read_file(bad), exactly("invalid .npy file '" + bad + "': bad magic (not a .npy file)"),
                         tdam::Error);

    const std::string empty = dir.file("empty.npy");
    write_bytes(empty, {});
    CHECK_THROWS_WITH_AS(tdam::npy::read_file(empty), has("'" + empty + "': truncated"), tdam::Error);

    const std::string short_data = dir.file("short.npy");
    write_bytes(short_data, npy_file(dict_for("<f8", "(3,)"), f64_data({1})));
    CHECK_THROWS_WITH_AS(tdam::npy::read_file(short_data),
                         exactly("invalid .npy file '" + short_data + "': truncated: expected 24 bytes of data, found 8"),
                         tdam::Error);
}

TEST_CASE("npy: serialize rejects invalid arrays") {
    using doctest::Contains;
    CHECK_THROWS_WITH_AS(tdam::npy::serialize(make_array({1, 1, 1}, {1})), Contains("3 dimensions"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::serialize(make_array({-1}, {})), Contains("negative dimension"),
                         tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::serialize(make_array({2}, {1, 2, 3})),
                         "cannot write .npy: shape (2,) needs 2 values but the data has 3", tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::serialize(make_array({}, {})), Contains("shape () needs 1 values"),
                         tdam::Error);
}

TEST_CASE("npy: Eigen conversions") {
    using doctest::Contains;
    Eigen::MatrixXd m(2, 3);
    m << 1, 2, 3, 4, 5, 6;
    const Array a = tdam::npy::from_matrix(m);
    CHECK(a.shape == std::vector<std::int64_t>{2, 3});
    CHECK(a.data == std::vector<double>{1, 2, 3, 4, 5, 6});  // row-major
    CHECK(a.dtype == Dtype::Float64);
    CHECK(tdam::npy::to_matrix(a, "m") == m);

    Eigen::VectorXd v(3);
    v << 7, 8, 9;
    const Array av = tdam::npy::from_vector(v);
    CHECK(av.shape == std::vector<std::int64_t>{3});
    CHECK(tdam::npy::to_vector(av, "v") == v);
    const Eigen::MatrixXd column = tdam::npy::to_matrix(av, "v");
    CHECK(column.rows() == 3);
    CHECK(column.cols() == 1);
    CHECK(tdam::npy::to_vector(make_array({1, 3}, {7, 8, 9}), "v") == v);
    CHECK(tdam::npy::to_vector(make_array({3, 1}, {7, 8, 9}), "v") == v);
    CHECK(tdam::npy::to_vector(make_array({0}, {}), "v").size() == 0);
    CHECK(tdam::npy::to_matrix(make_array({0, 4}, {}), "m").cols() == 4);

    CHECK_THROWS_WITH_AS(tdam::npy::to_matrix(make_array({}, {1}), "weights"),
                         "weights: expected a 2-D (or 1-D) array, got shape ()", tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::to_matrix(make_array({1, 1, 1}, {1}), "weights"),
                         Contains("weights: 3 dimensions"), tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::to_matrix(make_array({2, 2}, {1, 2, 3}), "weights"),
                         "weights: shape (2, 2) needs 4 values but the data has 3", tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::to_vector(a, "bias"),
                         "bias: expected a 1-D array (or one row or column), got shape (2, 3)", tdam::Error);
    CHECK_THROWS_WITH_AS(tdam::npy::to_vector(make_array({}, {1}), "bias"), Contains("got shape ()"),
                         tdam::Error);

    // Through a file, an empty matrix keeps its shape.
    const Array empty = parse_bytes(tdam::npy::serialize(tdam::npy::from_matrix(Eigen::MatrixXd(0, 5))));
    CHECK(empty.shape == std::vector<std::int64_t>{0, 5});
}
