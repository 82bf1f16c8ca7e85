// NumPy .npy reader and writer; see tdam/npy.hpp for what is accepted.
#include "tdam/npy.hpp"

#include <cctype>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>

#include "tdam/error.hpp"
#include "tdam/limits.hpp"

namespace tdam::npy {
namespace {

constexpr std::uint8_t kMagic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t kMagicSize = sizeof(kMagic);
constexpr std::size_t kVersionEnd = kMagicSize + 2;  // magic + major + minor
constexpr std::size_t kAlign = 64;  // numpy pads magic..'\n' to a multiple of this
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
// Largest file read_file will load: preamble + longest header + largest data.
constexpr std::int64_t kMaxFileBytes = 12 + kMaxHeaderBytes + limits::kMaxNpyBytes;

// Every error names its source ("invalid .npy data", "invalid .npy file
// 'x.npy'", ...) followed by the problem.
[[noreturn]] void fail(const std::string& source, const std::string& problem) {
    throw Error(source + ": " + problem);
}

std::int64_t itemsize(Dtype dtype) { return dtype == Dtype::Float32 ? 4 : 8; }

// The shape as Python's repr of a tuple: (), (5,), (3, 4).
std::string shape_string(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

// Header text quoted for a message, cut short so a hostile header cannot
// produce a huge message.
std::string quoted(const std::string& text) {
    constexpr std::size_t kMaxShown = 40;
    if (text.size() <= kMaxShown) return "'" + text + "'";
    return "'" + text.substr(0, kMaxShown) + "...'";
}

// ---------------------------------------------------------------------------
// Shape checks shared by the reader, the writer and the Eigen conversions.

// Number of elements of shape; fails on more than 2 dimensions, negative
// dimensions and on a product that overflows int64.
std::int64_t element_count(const std::vector<std::int64_t>& shape, const std::string& source) {
    if (shape.size() > 2) {
        fail(source, std::to_string(shape.size()) + " dimensions in shape " +
                         shape_string(shape) + " (at most 2 are supported)");
    }
    std::int64_t count = 1;
    for (std::int64_t dim : shape) {
        if (dim < 0) fail(source, "negative dimension in shape " + shape_string(shape));
        if (dim != 0 && count > kInt64Max / dim) {
            fail(source, "number of elements of shape " + shape_string(shape) + " overflows");
        }
        count *= dim;
    }
    return count;
}

// Bytes of data a file of this shape and item size holds; on top of
// element_count's checks, fails when a dimension or the byte count exceeds
// limits::kMaxNpyBytes or the byte count overflows.
std::int64_t data_bytes(const std::vector<std::int64_t>& shape, std::int64_t item,
                        const std::string& source) {
    const std::int64_t count = element_count(shape, source);
    const std::string limit = std::to_string(limits::kMaxNpyBytes);
    for (std::int64_t dim : shape) {
        if (dim > limits::kMaxNpyBytes) {
            fail(source, "dimension " + std::to_string(dim) + " in shape " + shape_string(shape) +
                             " exceeds the limit of " + limit);
        }
    }
    if (count > kInt64Max / item) {
        fail(source, "data size of shape " + shape_string(shape) + " overflows");
    }
    const std::int64_t bytes = count * item;
    if (bytes > limits::kMaxNpyBytes) {
        fail(source, "data of shape " + shape_string(shape) + " needs " + std::to_string(bytes) +
                         " bytes, more than the limit of " + limit + " bytes");
    }
    return bytes;
}

// Checks that a.shape is valid and matches a.data; returns the element count.
std::int64_t checked_count(const Array& a, const std::string& source) {
    const std::int64_t count = element_count(a.shape, source);
    if (static_cast<std::uint64_t>(count) != a.data.size()) {
        fail(source, "shape " + shape_string(a.shape) + " needs " + std::to_string(count) +
                         " values but the data has " + std::to_string(a.data.size()));
    }
    return count;
}

// ---------------------------------------------------------------------------
// Header dict parser. The header is a Python literal; we accept exactly the
// subset numpy writes for our dtypes (see npy.hpp) and nothing more.

struct Header {
    Dtype dtype = Dtype::Float64;
    bool big_endian = false;
    bool fortran_order = false;
    std::vector<std::int64_t> shape;
};

class HeaderParser {
public:
    HeaderParser(const std::uint8_t* text, std::size_t size, const std::string& source)
        : text_(text), size_(size), source_(source) {}

    Header parse() {
        skip_space();
        expect('{');
        bool seen_descr = false, seen_fortran = false, seen_shape = false;
        for (;;) {
            skip_space();
            if (consume('}')) break;  // empty dict, or a trailing comma before '}'
            const std::string key = parse_string();
            skip_space();
            expect(':');
            skip_space();
            if (key == "descr") {
                mark_seen(seen_descr, key);
                parse_descr();
            } else if (key == "fortran_order") {
                mark_seen(seen_fortran, key);
                header_.fortran_order = parse_bool(key);
            } else if (key == "shape") {
                mark_seen(seen_shape, key);
                header_.shape = parse_shape();
            } else {
                fail("unexpected key " + quoted(key) +
                     " in header (expected 'descr', 'fortran_order' and 'shape')");
            }
            skip_space();
            if (consume('}')) break;
            expect(',');
        }
        // numpy pads with spaces and ends with '\n'; nothing else may follow.
        skip_space();
        if (pos_ < size_) fail("unexpected " + describe_next() + " after the header dict");
        if (!seen_descr) fail("header has no 'descr' key");
        if (!seen_fortran) fail("header has no 'fortran_order' key");
        if (!seen_shape) fail("header has no 'shape' key");
        return header_;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { npy::fail(source_, problem); }

    bool at_end() const { return pos_ >= size_; }
    char peek() const { return static_cast<char>(text_[pos_]); }  // only when !at_end()

    // The next character for messages: 'x', \xNN or "end of header".
    std::string describe_next() const {
        if (at_end()) return "end of header";
        const std::uint8_t c = text_[pos_];
        char buf[64];
        if (c >= 0x20 && c < 0x7f) {
            std::snprintf(buf, sizeof buf, "'%c' at header offset %zu", static_cast<char>(c), pos_);
        } else {
            std::snprintf(buf, sizeof buf, "byte 0x%02x at header offset %zu", c, pos_);
        }
        return buf;
    }

    [[noreturn]] void fail_expected(const std::string& what) const {
        if (at_end()) fail("unterminated header: ended where " + what + " was expected");
        fail("garbage in header: " + describe_next() + " where " + what + " was expected");
    }

    void skip_space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
            ++pos_;
        }
    }

    bool consume(char c) {
        if (at_end() || peek() != c) return false;
        ++pos_;
        return true;
    }

    void expect(char c) {
        if (!consume(c)) fail_expected(std::string("'") + c + "'");
    }

    void mark_seen(bool& seen, const std::string& key) {
        if (seen) fail("duplicate key '" + key + "' in header");
        seen = true;
    }

    // A quoted string of printable ASCII without escapes: 'abc' or "abc".
    std::string parse_string() {
        if (at_end() || (peek() != '\'' && peek() != '"')) fail_expected("a quoted string");
        const char quote = peek();
        const std::size_t start = ++pos_;
        while (!at_end() && peek() != quote) {
            const std::uint8_t c = text_[pos_];
            if (c < 0x20 || c >= 0x7f || c == '\\') {
                fail("garbage in header: " + describe_next() + " inside a string");
            }
            ++pos_;
        }
        if (at_end()) fail("unterminated string in header");
        std::string s(reinterpret_cast<const char*>(text_ + start), pos_ - start);
        ++pos_;  // closing quote
        return s;
    }

    // A run of identifier characters, such as True or False.
    std::string parse_word() {
        const std::size_t start = pos_;
        while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')) {
            ++pos_;
        }
        return std::string(reinterpret_cast<const char*>(text_ + start), pos_ - start);
    }

    // descr is a type string such as '<f8': byte order then kind and size.
    void parse_descr() {
        if (!at_end() && peek() == '[') {
            fail("unsupported dtype: structured array (expected float32 or float64)");
        }
        const std::string descr = parse_string();
        if (descr.size() != 3 || (descr[0] != '<' && descr[0] != '>') || descr[1] != 'f' ||
            (descr[2] != '4' && descr[2] != '8')) {
            fail("unsupported dtype " + quoted(descr) + " (expected float32 or float64)");
        }
        header_.big_endian = descr[0] == '>';
        header_.dtype = descr[2] == '4' ? Dtype::Float32 : Dtype::Float64;
    }

    bool parse_bool(const std::string& key) {
        if (at_end()) fail_expected("True or False");
        const std::string word = parse_word();
        if (word == "True") return true;
        if (word == "False") return false;
        if (word.empty()) fail_expected("True or False");
        fail("'" + key + "' must be True or False, not " + quoted(word));
    }

    // A tuple of dimensions: (), (5,), (3, 4), (3,4,). A 1-tuple needs its
    // comma, as in Python: (5) is the integer 5, not a shape.
    std::vector<std::int64_t> parse_shape() {
        std::vector<std::int64_t> shape;
        expect('(');
        skip_space();
        if (consume(')')) return shape;
        for (;;) {
            shape.push_back(parse_dimension());
            skip_space();
            if (consume(')')) {
                if (shape.size() == 1) fail("shape (" + std::to_string(shape[0]) +
                                            ") is not a tuple (a 1-D shape is written (n,))");
                return shape;
            }
            expect(',');
            skip_space();
            if (consume(')')) return shape;
        }
    }

    // A non-negative decimal integer without leading zeros. A trailing 'L'
    // (Python 2 long, found in old files) is skipped.
    std::int64_t parse_dimension() {
        if (!at_end() && peek() == '-') fail("negative dimension in shape");
        const std::size_t start = pos_;
        std::int64_t value = 0;
        while (!at_end() && peek() >= '0' && peek() <= '9') {
            const int digit = peek() - '0';
            if (value > (kInt64Max - digit) / 10) fail("dimension in shape overflows int64");
            value = value * 10 + digit;
            ++pos_;
        }
        const std::size_t digits = pos_ - start;
        if (digits == 0) fail_expected("a dimension");
        if (digits > 1 && text_[start] == '0') fail("dimension in shape has a leading zero");
        consume('L');
        return value;
    }

    const std::uint8_t* text_;
    std::size_t size_;
    const std::string& source_;
    std::size_t pos_ = 0;
    Header header_;
};

// ---------------------------------------------------------------------------
// Byte-level encoding. Values are assembled byte by byte in the file's order,
// so the code does not depend on the host's endianness.

std::uint64_t load_uint(const std::uint8_t* p, int width, bool big_endian) {
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
        const int byte = big_endian ? i : width - 1 - i;  // most significant first
        v = (v << 8) | p[byte];
    }
    return v;
}

void store_le(std::uint64_t v, int width, std::vector<std::uint8_t>& out) {
    for (int i = 0; i < width; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

double load_value(const std::uint8_t* p, Dtype dtype, bool big_endian) {
    if (dtype == Dtype::Float64) {
        const std::uint64_t bits = load_uint(p, 8, big_endian);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    const auto bits = static_cast<std::uint32_t>(load_uint(p, 4, big_endian));
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return static_cast<double>(f);  // exact
}

// Decodes the data into C order. Fortran (column-major) data of shape
// (rows, cols) holds element (i, j) at position j * rows + i.
std::vector<double> decode_data(const std::uint8_t* p, const Header& h, std::size_t count) {
    const auto item = static_cast<std::size_t>(itemsize(h.dtype));
    std::vector<double> data(count);
    if (h.fortran_order && h.shape.size() == 2) {
        const auto rows = static_cast<std::size_t>(h.shape[0]);
        const auto cols = static_cast<std::size_t>(h.shape[1]);
        for (std::size_t j = 0; j < cols; ++j) {
            for (std::size_t i = 0; i < rows; ++i, p += item) {
                data[i * cols + j] = load_value(p, h.dtype, h.big_endian);
            }
        }
    } else {  // C order; for 0-d and 1-d arrays both orders are the same
        for (std::size_t k = 0; k < count; ++k, p += item) {
            data[k] = load_value(p, h.dtype, h.big_endian);
        }
    }
    return data;
}

// ---------------------------------------------------------------------------
// Reader.

// Where the header lies, from the fixed-size preamble before it.
struct Preamble {
    int major = 0;
    std::size_t header_offset = 0;
    std::size_t header_length = 0;
};

Preamble read_preamble(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    const std::size_t magic_seen = size < kMagicSize ? size : kMagicSize;
    if (magic_seen > 0 && std::memcmp(bytes, kMagic, magic_seen) != 0) {
        fail(source, "bad magic (not a .npy file)");
    }
    if (size < kVersionEnd) {
        fail(source, "truncated: " + std::to_string(size) + " bytes, too short for a .npy preamble");
    }
    Preamble pre;
    pre.major = bytes[kMagicSize];
    const int minor = bytes[kMagicSize + 1];
    if (pre.major < 1 || pre.major > 3 || minor != 0) {
        fail(source, "unsupported format version " + std::to_string(pre.major) + "." +
                         std::to_string(minor) + " (expected 1.0, 2.0 or 3.0)");
    }
    // Version 1.0 stores the header length as uint16, later versions as uint32.
    const int width = pre.major == 1 ? 2 : 4;
    pre.header_offset = kVersionEnd + static_cast<std::size_t>(width);
    if (size < pre.header_offset) fail(source, "truncated: file ends inside the header length");
    const std::uint64_t length = load_uint(bytes + kVersionEnd, width, false);
    const std::size_t available = size - pre.header_offset;
    if (length > available) {
        fail(source, "header length " + std::to_string(length) + " runs past the end of the data (" +
                         std::to_string(available) + " bytes follow the preamble)");
    }
    if (length > static_cast<std::uint64_t>(kMaxHeaderBytes)) {
        fail(source, "header length " + std::to_string(length) + " exceeds the limit of " +
                         std::to_string(kMaxHeaderBytes) + " bytes");
    }
    pre.header_length = static_cast<std::size_t>(length);
    return pre;
}

Array parse_from(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    TDAM_REQUIRE(bytes != nullptr || size == 0, source + ": null data pointer");
    const Preamble pre = read_preamble(bytes, size, source);
    // Versions 1.0 and 2.0 encode the header as latin-1 and 3.0 as UTF-8; the
    // parser accepts only ASCII, which all three agree on.
    const Header h = HeaderParser(bytes + pre.header_offset, pre.header_length, source).parse();
    const std::int64_t need = data_bytes(h.shape, itemsize(h.dtype), source);

    const std::size_t data_offset = pre.header_offset + pre.header_length;
    const std::size_t found = size - data_offset;  // no underflow: checked by read_preamble
    const auto expected = static_cast<std::size_t>(need);
    if (found < expected) {
        fail(source, "truncated: expected " + std::to_string(expected) + " bytes of data, found " +
                         std::to_string(found));
    }
    if (found > expected) {
        fail(source, std::to_string(found - expected) + " trailing bytes after the data (expected " +
                         std::to_string(expected) + " bytes of data, found " +
                         std::to_string(found) + ")");
    }
    Array a;
    a.shape = h.shape;
    a.dtype = h.dtype;
    a.data = decode_data(bytes + data_offset, h, expected / static_cast<std::size_t>(itemsize(h.dtype)));
    return a;
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::string errno_text(int err) { return std::strerror(err); }

// The whole file, refusing files larger than any valid input could be.
std::vector<std::uint8_t> read_bytes(const std::string& path) {
    File f(std::fopen(path.c_str(), "rb"));
    if (!f) {
        const int err = errno;
        throw Error("cannot open '" + path + "': " + errno_text(err));
    }
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    std::vector<std::uint8_t> bytes;
    for (;;) {
        const std::size_t old = bytes.size();
        bytes.resize(old + kChunk);
        const std::size_t got = std::fread(bytes.data() + old, 1, kChunk, f.get());
        bytes.resize(old + got);
        if (bytes.size() > static_cast<std::size_t>(kMaxFileBytes)) {
            throw Error("cannot read '" + path + "': larger than the limit of " +
                        std::to_string(kMaxFileBytes) + " bytes for a .npy file");
        }
        if (got < kChunk) {
            if (std::ferror(f.get())) {
                const int err = errno;
                throw Error("cannot read '" + path + "': " + errno_text(err));
            }
            return bytes;
        }
    }
}

// ---------------------------------------------------------------------------
// Writer.

// The header dict exactly as numpy 1.x writes it: keys sorted, each entry
// followed by ", ", shape as a Python tuple repr.
std::string header_dict(const std::vector<std::int64_t>& shape, Dtype dtype) {
    const char* descr = dtype == Dtype::Float32 ? "<f4" : "<f8";
    return std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " +
           shape_string(shape) + ", }";
}

// Magic, version, header length and header, padded as numpy's _wrap_header
// does: spaces, then '\n', so that the total is a multiple of 64. The padding
// is 1 to 64 spaces (64 when the unpadded total is already aligned).
std::vector<std::uint8_t> wrap_header(const std::string& dict) {
    const std::size_t text = dict.size() + 1;  // dict + '\n'
    int major = 1;
    std::size_t prefix = kVersionEnd + 2;
    std::size_t padding = kAlign - (prefix + text) % kAlign;
    if (text + padding > 0xffff) {  // does not fit version 1.0's uint16 length
        major = 2;
        prefix = kVersionEnd + 4;
        padding = kAlign - (prefix + text) % kAlign;
    }
    const std::size_t length = text + padding;
    std::vector<std::uint8_t> out(kMagic, kMagic + kMagicSize);
    out.push_back(static_cast<std::uint8_t>(major));
    out.push_back(0);
    store_le(length, major == 1 ? 2 : 4, out);
    out.insert(out.end(), dict.begin(), dict.end());
    out.insert(out.end(), padding, ' ');
    out.push_back('\n');
    return out;
}

void append_values(const std::vector<double>& data, Dtype dtype, const std::string& source,
                   std::vector<std::uint8_t>& out) {
    for (std::size_t k = 0; k < data.size(); ++k) {
        const double x = data[k];
        if (dtype == Dtype::Float64) {
            std::uint64_t bits;
            std::memcpy(&bits, &x, sizeof bits);
            store_le(bits, 8, out);
            continue;
        }
        if (std::isfinite(x) && std::fabs(x) > FLT_MAX) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g", x);
            fail(source, std::string("value ") + buf + " at index " + std::to_string(k) +
                             " is outside the float32 range");
        }
        const auto f = static_cast<float>(x);
        std::uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        store_le(bits, 4, out);
    }
}

// Writes bytes to path; on failure removes whatever was written.
void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        const int err = errno;
        throw Error("cannot open '" + path + "' for writing: " + errno_text(err));
    }
    errno = 0;
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = std::fflush(f) == 0 && ok;
    const int err = errno;
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
        const int close_err = errno;
        std::remove(path.c_str());
        throw Error("cannot write '" + path + "': " + errno_text(err != 0 ? err : close_err));
    }
}

// dim as an Eigen index (32 bits in wasm32); `what` names the array in errors.
Eigen::Index eigen_dim(std::int64_t dim, const std::string& what, const Array& a) {
    if (dim > static_cast<std::int64_t>(std::numeric_limits<Eigen::Index>::max())) {
        fail(what, "shape " + shape_string(a.shape) + " is too large");
    }
    return static_cast<Eigen::Index>(dim);
}

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace

Array parse(const std::uint8_t* bytes, std::size_t size) {
    return parse_from(bytes, size, "invalid .npy data");
}

Array read_file(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_bytes(path);
    return parse_from(bytes.data(), bytes.size(), "invalid .npy file '" + path + "'");
}

std::vector<std::uint8_t> serialize(const Array& a, Dtype dtype) {
    const std::string source = "cannot write .npy";
    checked_count(a, source);
    data_bytes(a.shape, itemsize(dtype), source);
    std::vector<std::uint8_t> out = wrap_header(header_dict(a.shape, dtype));
    out.reserve(out.size() + a.data.size() * static_cast<std::size_t>(itemsize(dtype)));
    append_values(a.data, dtype, source, out);
    return out;
}

void write_file(const std::string& path, const Array& a, Dtype dtype) {
    const std::vector<std::uint8_t> bytes = serialize(a, dtype);  // validates before touching disk
    const std::string tmp = path + ".tmp";
    write_bytes(tmp, bytes);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw Error("cannot rename '" + tmp + "' to '" + path + "': " + errno_text(err));
    }
}

Eigen::MatrixXd to_matrix(const Array& a, const std::string& what) {
    checked_count(a, what);
    if (a.shape.size() != 1 && a.shape.size() != 2) {
        fail(what, "expected a 2-D (or 1-D) array, got shape " + shape_string(a.shape));
    }
    const Eigen::Index rows = eigen_dim(a.shape[0], what, a);
    const Eigen::Index cols = a.shape.size() == 2 ? eigen_dim(a.shape[1], what, a) : 1;
    return Eigen::Map<const RowMajorMatrix>(a.data.data(), rows, cols);
}

Eigen::VectorXd to_vector(const Array& a, const std::string& what) {
    checked_count(a, what);
    const bool one_d = a.shape.size() == 1;
    const bool row_or_column = a.shape.size() == 2 && (a.shape[0] == 1 || a.shape[1] == 1);
    if (!one_d && !row_or_column) {
        fail(what, "expected a 1-D array (or one row or column), got shape " +
                       shape_string(a.shape));
    }
    const Eigen::Index n = eigen_dim(static_cast<std::int64_t>(a.data.size()), what, a);
    return Eigen::Map<const Eigen::VectorXd>(a.data.data(), n);
}

Array from_matrix(const Eigen::MatrixXd& m) {
    Array a;
    a.shape = {static_cast<std::int64_t>(m.rows()), static_cast<std::int64_t>(m.cols())};
    a.data.resize(static_cast<std::size_t>(m.size()));
    Eigen::Map<RowMajorMatrix>(a.data.data(), m.rows(), m.cols()) = m;
    return a;
}

Array from_vector(const Eigen::VectorXd& v) {
    Array a;
    a.shape = {static_cast<std::int64_t>(v.size())};
    a.data.assign(v.data(), v.data() + v.size());
    return a;
}

}  // namespace tdam::npy
