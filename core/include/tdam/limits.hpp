#pragma once
// Documented size limits. Requests past them are refused before anything is
// allocated (README, "Limits"). They keep one network's weights under 512 MiB
// of doubles, which also fits the WebAssembly heap.
#include <cstdint>

namespace tdam::limits {

inline constexpr std::int64_t kMaxVisible = 1 << 20;        // N_v
inline constexpr std::int64_t kMaxHidden = 1 << 16;         // N_h
inline constexpr std::int64_t kMaxWeights = std::int64_t{1} << 26;  // N_v * N_h entries
inline constexpr std::int64_t kMaxPatterns = 1 << 20;       // rows of a pattern file
inline constexpr std::int64_t kMaxSteps = 1000000;          // recall step limit
inline constexpr int kMaxExhaustiveHidden = 24;             // 2^24 codes counted exhaustively
inline constexpr std::int64_t kMaxSamples = 100000000;      // sampled capacity estimate
inline constexpr int kMaxPolynomialOrder = 30;              // F(x) = max(x,0)^n / n
inline constexpr std::int64_t kMaxNpyBytes = std::int64_t{1} << 30;  // one .npy file

}  // namespace tdam::limits
