// Access to ../shared/interop for interop tests: a test that needs the real
// NCA material calls QUJAT_REQUIRE_SHARED() and is skipped, with a visible
// message naming the missing folder, when shared/ is absent. CI always has it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace qujat::test {

inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("QUJAT_SHARED_DIR"); env != nullptr && *env != '\0') return env;
  return QUJAT_SHARED_DIR;
}

inline std::filesystem::path nca_test_dir() { return shared_dir() / "interop" / "nca-test"; }

inline std::string nca(const std::string& relative) { return (nca_test_dir() / relative).string(); }

inline std::filesystem::path source_dir() { return QUJAT_SOURCE_DIR; }

}  // namespace qujat::test

#define QUJAT_REQUIRE_SHARED()                                                                          \
  do {                                                                                                  \
    if (!std::filesystem::exists(::qujat::test::nca_test_dir()))                                        \
      GTEST_SKIP() << "NCA interop material not found at " << ::qujat::test::nca_test_dir().string()   \
                   << " (needs ../shared beside the checkout)";                                         \
  } while (0)
