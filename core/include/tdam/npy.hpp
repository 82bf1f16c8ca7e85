#pragma once
// Reader and writer for NumPy .npy files holding float32 or float64 arrays of
// at most two dimensions.
//
// Format (numpy.lib.format): the magic "\x93NUMPY", a major and a minor
// version byte, a little-endian header length (uint16 for version 1.0,
// uint32 for 2.0 and 3.0), then that many bytes of header: a Python dict
// literal such as
//     {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a final '\n'. The raw array data follows directly.
//
// What the reader accepts:
//   - versions 1.0, 2.0 and 3.0;
//   - descr '<f4', '<f8', '>f4', '>f8' (big-endian data is byte-swapped).
//     '=' (native order) is refused: numpy never writes it and its meaning
//     depends on the writer's machine. '|' is only used by numpy for one-byte
//     types, so it never goes with f4/f8;
//   - fortran_order True or False (Fortran data is transposed to C order);
//   - shape: a tuple of non-negative integers, e.g. (), (5,), (3, 4), (3,4,),
//     with any spacing; a Python 2 style 'L' suffix (3L, 4L) is tolerated, as
//     numpy's own reader does.
// The header dict must hold exactly the keys 'descr', 'fortran_order' and
// 'shape' (any order, each once, optional trailing comma), as numpy's reader
// also demands; any other key is rejected. Strings may use ' or " quotes but
// no escapes. Only whitespace may follow the closing brace. The header must be
// at most kMaxHeaderBytes long, no dimension may exceed limits::kMaxNpyBytes,
// and the data must be at most limits::kMaxNpyBytes bytes and fill the rest
// of the input exactly.
//
// Every violation throws tdam::Error naming the problem; read_file's messages
// also name the path. NaN and Inf values are valid .npy data and are passed
// through; callers validate values. The parser checks every length before
// touching bytes, so it never reads outside [bytes, bytes + size).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace tdam::npy {

// Longest header accepted (numpy itself writes well under 200 bytes for the
// arrays we handle; it refuses headers past 10000 bytes by default).
inline constexpr std::int64_t kMaxHeaderBytes = std::int64_t{1} << 20;

enum class Dtype { Float32, Float64 };

struct Array {
    std::vector<std::int64_t> shape;  // 0, 1 or 2 dimensions (a 0-d array has shape {})
    std::vector<double> data;         // always in C (row-major) order after parsing
    Dtype dtype = Dtype::Float64;     // what the file stored
};

// Parses a whole .npy file held in memory. bytes may be null when size is 0.
Array parse(const std::uint8_t* bytes, std::size_t size);

// Reads and parses the file at path. Errors name the path.
Array read_file(const std::string& path);

// Encodes a as a .npy file: C order, little endian, format 1.0 (2.0 if the
// header would not fit a 16-bit length), header laid out byte-for-byte as
// numpy 1.x writes it (padded with spaces and '\n' to a multiple of 64).
// a.dtype is ignored; dtype selects the stored type. With Float32 each value
// is rounded to the nearest float; a finite value beyond the float32 range is
// an error (NaN and Inf are kept). Throws if a.shape has more than 2
// dimensions, a negative dimension, does not match a.data.size(), or the data
// would exceed limits::kMaxNpyBytes.
std::vector<std::uint8_t> serialize(const Array& a, Dtype dtype = Dtype::Float64);

// serialize(a, dtype) written to path + ".tmp" and then renamed over path, so
// a failure leaves no partial file at path.
void write_file(const std::string& path, const Array& a, Dtype dtype = Dtype::Float64);

// Conversions to and from Eigen (column-major). `what` names the array in
// error messages, e.g. "weights".
// 2-D (r, c) -> r x c; 1-D (n) -> n x 1; anything else throws.
Eigen::MatrixXd to_matrix(const Array& a, const std::string& what);
// 1-D (n), or 2-D (1, n) or (n, 1) -> length n; anything else throws.
Eigen::VectorXd to_vector(const Array& a, const std::string& what);
// rows x cols -> 2-D (rows, cols), Float64.
Array from_matrix(const Eigen::MatrixXd& m);
// length n -> 1-D (n), Float64.
Array from_vector(const Eigen::VectorXd& v);

}  // namespace tdam::npy
