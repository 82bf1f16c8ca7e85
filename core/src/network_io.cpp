// Saving and loading threshold networks; see tdam/network_io.hpp.
#include "tdam/network_io.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>

#include "tdam/error.hpp"
#include "tdam/limits.hpp"
#include "tdam/npy.hpp"

namespace tdam {
namespace {

constexpr int kFormatVersion = 1;
constexpr const char* kFormatName = "tdam-threshold-network";
constexpr std::size_t kMaxJsonBytes = std::size_t{64} << 20;
constexpr int kMaxDepth = 32;

// ---------------------------------------------------------------------------
// A strict JSON reader (RFC 8259) producing a small tree.

struct JsonValue {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    double number = 0.0;
    std::string text;  // string contents, or the number's token as written
    std::vector<JsonValue> items;
    std::vector<std::pair<std::string, JsonValue>> members;
    std::size_t offset = 0;  // where the value starts in the document
};

const char* kind_name(JsonValue::Kind k) {
    switch (k) {
        case JsonValue::Kind::Null: return "null";
        case JsonValue::Kind::Bool: return "a boolean";
        case JsonValue::Kind::Number: return "a number";
        case JsonValue::Kind::String: return "a string";
        case JsonValue::Kind::Array: return "an array";
        case JsonValue::Kind::Object: return "an object";
    }
    return "?";
}

class JsonReader {
public:
    JsonReader(const std::string& text, const std::string& source) : s_(text), source_(source) {}

    JsonValue document() {
        skip_ws();
        JsonValue v = value(0);
        skip_ws();
        if (pos_ != s_.size()) fail("unexpected text after the JSON value");
        return v;
    }

    [[noreturn]] void fail_at(std::size_t offset, const std::string& problem) const {
        std::size_t line = 1, col = 1;
        for (std::size_t k = 0; k < offset && k < s_.size(); ++k) {
            if (s_[k] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        throw Error("invalid network file " + source_ + " (line " + std::to_string(line) + ", column " +
                    std::to_string(col) + "): " + problem);
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { fail_at(pos_, problem); }

    void skip_ws() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }

    bool literal(const char* word) {
        const std::size_t n = std::strlen(word);
        if (s_.compare(pos_, n, word) != 0) return false;
        pos_ += n;
        return true;
    }

    JsonValue value(int depth) {
        if (depth > kMaxDepth) fail("nested too deeply");
        if (pos_ >= s_.size()) fail("unexpected end of input, expected a value");
        JsonValue v;
        v.offset = pos_;
        const char c = s_[pos_];
        if (c == '{') {
            v.kind = JsonValue::Kind::Object;
            ++pos_;
            skip_ws();
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                return v;
            }
            std::set<std::string> seen;
            for (;;) {
                skip_ws();
                if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string key");
                const std::size_t key_at = pos_;
                std::string key = string();
                if (!seen.insert(key).second) fail_at(key_at, "duplicate key \"" + key + "\"");
                skip_ws();
                if (pos_ >= s_.size() || s_[pos_] != ':') fail("expected ':' after a key");
                ++pos_;
                skip_ws();
                v.members.emplace_back(std::move(key), value(depth + 1));
                skip_ws();
                if (pos_ < s_.size() && s_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                if (pos_ < s_.size() && s_[pos_] == '}') {
                    ++pos_;
                    return v;
                }
                fail("expected ',' or '}' in an object");
            }
        }
        if (c == '[') {
            v.kind = JsonValue::Kind::Array;
            ++pos_;
            skip_ws();
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                return v;
            }
            for (;;) {
                skip_ws();
                v.items.push_back(value(depth + 1));
                skip_ws();
                if (pos_ < s_.size() && s_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                if (pos_ < s_.size() && s_[pos_] == ']') {
                    ++pos_;
                    return v;
                }
                fail("expected ',' or ']' in an array");
            }
        }
        if (c == '"') {
            v.kind = JsonValue::Kind::String;
            v.text = string();
            return v;
        }
        if (literal("true")) {
            v.kind = JsonValue::Kind::Bool;
            v.boolean = true;
            return v;
        }
        if (literal("false")) {
            v.kind = JsonValue::Kind::Bool;
            return v;
        }
        if (literal("null")) return v;
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        fail(std::string("unexpected character '") + c + "'");
    }

    static bool digit(char c) { return c >= '0' && c <= '9'; }

    JsonValue number() {
        JsonValue v;
        v.kind = JsonValue::Kind::Number;
        v.offset = pos_;
        const std::size_t start = pos_;
        if (s_[pos_] == '-') ++pos_;
        if (pos_ >= s_.size() || !digit(s_[pos_])) fail("malformed number");
        if (s_[pos_] == '0') {
            ++pos_;
            if (pos_ < s_.size() && digit(s_[pos_])) fail("leading zeros are not allowed");
        } else {
            while (pos_ < s_.size() && digit(s_[pos_])) ++pos_;
        }
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (pos_ >= s_.size() || !digit(s_[pos_])) fail("expected digits after '.'");
            while (pos_ < s_.size() && digit(s_[pos_])) ++pos_;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (pos_ >= s_.size() || !digit(s_[pos_])) fail("expected exponent digits");
            while (pos_ < s_.size() && digit(s_[pos_])) ++pos_;
        }
        v.text = s_.substr(start, pos_ - start);
        char* end = nullptr;
        v.number = std::strtod(v.text.c_str(), &end);  // correctly rounded (glibc, musl)
        if (end != v.text.c_str() + v.text.size()) fail_at(start, "malformed number '" + v.text + "'");
        if (!std::isfinite(v.number)) fail_at(start, "number '" + v.text + "' is out of range");
        return v;
    }

    unsigned hex4() {
        if (pos_ + 4 > s_.size()) fail("truncated \\u escape");
        unsigned u = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[pos_++];
            u <<= 4;
            if (c >= '0' && c <= '9') u |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') u |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') u |= static_cast<unsigned>(c - 'A' + 10);
            else fail("bad hex digit in \\u escape");
        }
        return u;
    }

    static void utf8(unsigned cp, std::string& out) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string string() {
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            if (pos_ >= s_.size()) fail("unterminated string");
            const char c = s_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail_at(pos_ - 1, "control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) fail("unterminated escape");
            const char e = s_[pos_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (pos_ + 2 > s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u')
                            fail("unpaired surrogate in \\u escape");
                        pos_ += 2;
                        const unsigned lo = hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) fail("unpaired surrogate in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        fail("unpaired surrogate in \\u escape");
                    }
                    utf8(cp, out);
                    break;
                }
                default: fail_at(pos_ - 1, std::string("unknown escape '\\") + e + "'");
            }
        }
    }

    const std::string& s_;
    std::string source_;
    std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Writing.

// The shortest of %.15g, %.16g, %.17g that reads back as x.
std::string format_number(double x) {
    char buffer[40];
    for (int precision = 15; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
        if (std::strtod(buffer, nullptr) == x) break;
    }
    return buffer;
}

std::string quote(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buffer;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string number_array(const Vector& v) {
    std::string out = "[";
    for (Eigen::Index k = 0; k < v.size(); ++k) {
        if (k > 0) out += ", ";
        out += format_number(v[k]);
    }
    return out + "]";
}

void check_weights_file(const std::string& name, const std::string& source) {
    const bool plain = !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
                       name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
    if (!plain)
        throw Error(source + ": weights file '" + name + "' must be a plain file name (no directories)");
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".npy") != 0)
        throw Error(source + ": weights file '" + name + "' must end in .npy");
}

void check_metadata(const NetworkMetadata& m, int nv, const std::string& source) {
    TDAM_REQUIRE(m.image_rows >= 0 && m.image_cols >= 0,
            source + ": image_rows and image_cols must be >= 0 (got " + std::to_string(m.image_rows) + " x " +
                std::to_string(m.image_cols) + ")");
    const bool none = m.image_rows == 0 && m.image_cols == 0;
    TDAM_REQUIRE(none || static_cast<std::int64_t>(m.image_rows) * m.image_cols == nv,
            source + ": image shape " + std::to_string(m.image_rows) + " x " + std::to_string(m.image_cols) +
                " does not match N_v = " + std::to_string(nv) + " (use 0 x 0 for no image shape)");
    std::set<std::string> names;
    for (const auto& [name, value] : m.settings) {
        TDAM_REQUIRE(!name.empty(), source + ": a setting has an empty name");
        TDAM_REQUIRE(names.insert(name).second, source + ": setting \"" + name + "\" appears twice");
        TDAM_REQUIRE(std::isfinite(value), source + ": setting \"" + name + "\" must be finite");
    }
}

std::string read_text_file(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, f.get());
        text.append(buffer, got);
        if (text.size() > kMaxJsonBytes)
            throw Error("'" + path + "' is larger than " + std::to_string(kMaxJsonBytes) + " bytes");
        if (got < sizeof buffer) {
            if (std::ferror(f.get())) throw Error("cannot read '" + path + "': " + std::strerror(errno));
            break;
        }
    }
    return text;
}

void write_text_file(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(tmp.c_str(), "wb"), std::fclose);
        if (!f) throw Error("cannot write '" + tmp + "': " + std::strerror(errno));
        if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size() || std::fflush(f.get()) != 0) {
            const int err = errno;
            f.reset();
            std::remove(tmp.c_str());
            throw Error("cannot write '" + tmp + "': " + std::strerror(err));
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw Error("cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(err));
    }
}

// ---------------------------------------------------------------------------
// Reading the document.

class Document {
public:
    Document(const std::string& text, const std::string& source) : reader_(text, source), source_(source) {
        root_ = reader_.document();
        if (root_.kind != JsonValue::Kind::Object) reader_.fail_at(root_.offset, "the document must be a JSON object");
    }

    const JsonValue* find(const std::string& key) const {
        for (const auto& [k, v] : root_.members)
            if (k == key) return &v;
        return nullptr;
    }

    const JsonValue& get(const std::string& key) const {
        const JsonValue* v = find(key);
        if (!v) throw Error("invalid network file " + source_ + ": missing key \"" + key + "\"");
        return *v;
    }

    void expect_kind(const JsonValue& v, JsonValue::Kind kind, const std::string& what) const {
        if (v.kind != kind)
            reader_.fail_at(v.offset, what + " must be " + kind_name(kind) + ", not " + kind_name(v.kind));
    }

    std::string string(const std::string& key) const {
        const JsonValue& v = get(key);
        expect_kind(v, JsonValue::Kind::String, "\"" + key + "\"");
        return v.text;
    }

    // A non-negative integer token (digits only) no larger than max.
    std::uint64_t unsigned_integer(const JsonValue& v, const std::string& what, std::uint64_t max) const {
        expect_kind(v, JsonValue::Kind::Number, what);
        bool digits = !v.text.empty();
        for (const char c : v.text) digits = digits && c >= '0' && c <= '9';
        if (!digits) reader_.fail_at(v.offset, what + " must be a non-negative integer (got " + v.text + ")");
        errno = 0;
        const unsigned long long x = std::strtoull(v.text.c_str(), nullptr, 10);
        if (errno == ERANGE || x > max)
            reader_.fail_at(v.offset, what + " = " + v.text + " is larger than " + std::to_string(max));
        return static_cast<std::uint64_t>(x);
    }

    int integer(const std::string& key, std::uint64_t max) const {
        return static_cast<int>(unsigned_integer(get(key), "\"" + key + "\"", max));
    }

    Vector numbers(const std::string& key, Eigen::Index expected, const std::string& what) const {
        const JsonValue& v = get(key);
        expect_kind(v, JsonValue::Kind::Array, "\"" + key + "\"");
        if (static_cast<Eigen::Index>(v.items.size()) != expected)
            reader_.fail_at(v.offset, "\"" + key + "\" has " + std::to_string(v.items.size()) + " entries, expected " +
                                          std::to_string(expected) + " (" + what + ")");
        Vector out(expected);
        for (Eigen::Index k = 0; k < expected; ++k) {
            const JsonValue& item = v.items[static_cast<std::size_t>(k)];
            expect_kind(item, JsonValue::Kind::Number, "\"" + key + "\" entry " + std::to_string(k));
            out[k] = item.number;
        }
        return out;
    }

    const JsonValue& root() const { return root_; }
    const JsonReader& reader() const { return reader_; }

private:
    JsonReader reader_;
    std::string source_;
    JsonValue root_;
};

const std::set<std::string>& known_keys() {
    static const std::set<std::string> keys = {"format", "version", "weights", "nv", "nh", "visible",
                                               "theta", "input", "image_rows", "image_cols", "method",
                                               "seed", "command", "dataset", "settings"};
    return keys;
}

std::string dir_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::string base_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

ThresholdNetwork SavedNetwork::network() const {
    ThresholdNetwork net(xi, theta, visible);
    if (input.size() != 0) net.set_input(input);
    return net;
}

std::string network_json(const ThresholdNetwork& net, const NetworkMetadata& m, const std::string& weights_file) {
    const std::string source = "cannot save network";
    check_weights_file(weights_file, source);
    check_metadata(m, net.nv(), source);
    std::string out = "{\n";
    out += "  \"format\": " + quote(kFormatName) + ",\n";
    out += "  \"version\": " + std::to_string(kFormatVersion) + ",\n";
    out += "  \"weights\": " + quote(weights_file) + ",\n";
    out += "  \"nv\": " + std::to_string(net.nv()) + ",\n";
    out += "  \"nh\": " + std::to_string(net.nh()) + ",\n";
    out += "  \"visible\": " + quote(to_string(net.visible())) + ",\n";
    out += "  \"theta\": " + number_array(net.theta()) + ",\n";
    if (net.input().size() != 0) out += "  \"input\": " + number_array(net.input()) + ",\n";
    out += "  \"image_rows\": " + std::to_string(m.image_rows) + ",\n";
    out += "  \"image_cols\": " + std::to_string(m.image_cols) + ",\n";
    out += "  \"method\": " + quote(m.method) + ",\n";
    out += "  \"seed\": " + std::to_string(m.seed) + ",\n";
    out += "  \"command\": " + quote(m.command) + ",\n";
    out += "  \"dataset\": " + quote(m.dataset) + ",\n";
    out += "  \"settings\": {";
    for (std::size_t k = 0; k < m.settings.size(); ++k) {
        out += k == 0 ? "\n" : ",\n";
        out += "    " + quote(m.settings[k].first) + ": " + format_number(m.settings[k].second);
    }
    out += m.settings.empty() ? "}\n" : "\n  }\n";
    out += "}\n";
    return out;
}

std::string network_weights_file(const std::string& text, const std::string& source) {
    const Document doc(text, source);
    const std::string name = doc.string("weights");
    check_weights_file(name, "invalid network file " + source);
    return name;
}

SavedNetwork parse_network_json(const std::string& text, const Matrix& weights, const std::string& source) {
    const Document doc(text, source);
    const std::string what = "invalid network file " + source;
    for (const auto& [key, value] : doc.root().members)
        if (!known_keys().count(key)) doc.reader().fail_at(value.offset, "unknown key \"" + key + "\"");
    const std::string format = doc.string("format");
    if (format != kFormatName) throw Error(what + ": format is \"" + format + "\", expected \"" + kFormatName + "\"");
    const int version = doc.integer("version", 1000000);
    if (version != kFormatVersion)
        throw Error(what + ": version " + std::to_string(version) + " is not supported (expected " +
                    std::to_string(kFormatVersion) + ")");
    check_weights_file(doc.string("weights"), what);
    const int nv = doc.integer("nv", static_cast<std::uint64_t>(limits::kMaxVisible));
    const int nh = doc.integer("nh", static_cast<std::uint64_t>(limits::kMaxHidden));
    if (nv < 1 || nh < 1) throw Error(what + ": nv and nh must be at least 1");
    if (static_cast<std::int64_t>(nv) * nh > limits::kMaxWeights)
        throw Error(what + ": nv * nh exceeds the limit of " + std::to_string(limits::kMaxWeights) + " weights");
    if (weights.rows() != nv || weights.cols() != nh)
        throw Error(what + ": the weights are " + std::to_string(weights.rows()) + " x " +
                    std::to_string(weights.cols()) + " but the file says nv = " + std::to_string(nv) +
                    ", nh = " + std::to_string(nh));
    for (Eigen::Index k = 0; k < weights.size(); ++k)
        if (!std::isfinite(weights.data()[k]))
            throw Error(what + ": weight (" + std::to_string(k % nv) + ", " + std::to_string(k / nv) +
                        ") is not finite");
    SavedNetwork out;
    const std::string visible = doc.string("visible");
    try {
        out.visible = parse_visible(visible);
    } catch (const Error&) {
        throw Error(what + ": visible is \"" + visible + "\", expected \"linear\" or \"binary\"");
    }
    out.theta = doc.numbers("theta", nh, "one per hidden unit");
    if (doc.find("input")) out.input = doc.numbers("input", nv, "one per visible neuron");
    NetworkMetadata& m = out.metadata;
    m.image_rows = doc.integer("image_rows", static_cast<std::uint64_t>(limits::kMaxVisible));
    m.image_cols = doc.integer("image_cols", static_cast<std::uint64_t>(limits::kMaxVisible));
    m.method = doc.string("method");
    m.seed = doc.unsigned_integer(doc.get("seed"), "\"seed\"", UINT64_MAX);
    m.command = doc.string("command");
    m.dataset = doc.string("dataset");
    const JsonValue& settings = doc.get("settings");
    doc.expect_kind(settings, JsonValue::Kind::Object, "\"settings\"");
    for (const auto& [name, value] : settings.members) {
        doc.expect_kind(value, JsonValue::Kind::Number, "setting \"" + name + "\"");
        m.settings.emplace_back(name, value.number);
    }
    check_metadata(m, nv, what);
    out.xi = weights;
    // Validates theta and input (finite, sizes) the way the model does.
    try {
        (void)out.network();
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    return out;
}

void save_network(const std::string& stem, const ThresholdNetwork& net, const NetworkMetadata& m) {
    TDAM_REQUIRE(!stem.empty() && base_of(stem) != "", "cannot save network: empty file stem '" + stem + "'");
    const std::string weights_file = base_of(stem) + ".npy";
    const std::string json = network_json(net, m, weights_file);  // validates before writing anything
    npy::write_file(stem + ".npy", npy::from_matrix(net.weights()));
    write_text_file(stem + ".json", json);
}

SavedNetwork load_network(const std::string& stem) {
    const bool has_ext = stem.size() > 5 && stem.compare(stem.size() - 5, 5, ".json") == 0;
    const std::string json_path = has_ext ? stem : stem + ".json";
    const std::string text = read_text_file(json_path);
    const std::string source = "'" + json_path + "'";
    const std::string weights_path = dir_of(json_path) + network_weights_file(text, source);
    const Matrix weights = npy::to_matrix(npy::read_file(weights_path), "weights");
    return parse_network_json(text, weights, source);
}

}  // namespace tdam
