#pragma once
// The end of every fuzz input, shared by the targets whose run() must never
// let an exception out: anything that escapes is a finding, reported with
// its message, and the process aborts so that libFuzzer keeps the input.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "tdam/error.hpp"

namespace tdam::fuzz {

// Runs body(); `where` is appended to the tdam::Error message (e.g. " outside
// parse"). Returns 0, what LLVMFuzzerTestOneInput returns.
template <class Body>
int abort_on_escape(Body&& body, const char* where = "") {
    try {
        body();
    } catch (const tdam::Error& e) {
        std::fprintf(stderr, "unexpected tdam::Error%s: %s\n", where, e.what());
        std::abort();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "exception other than tdam::Error: %s\n", e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "non-standard exception\n");
        std::abort();
    }
    return 0;
}

}  // namespace tdam::fuzz
