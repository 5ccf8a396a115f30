// Where the shared NCA interop material is, and the published passwords of its
// test key stores. Free of GoogleTest, so benchmarks use it too.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include "support/paths.h"

namespace qujat::test {

inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("QUJAT_SHARED_DIR"); env != nullptr && *env != '\0') return env;
  return qujat::test::shared_root();
}

inline std::filesystem::path nca_test_dir() { return shared_dir() / "interop" / "nca-test"; }

inline std::string nca(const std::string& relative) { return (nca_test_dir() / relative).string(); }

inline std::filesystem::path source_dir() { return qujat::test::source_root().string(); }

// Passwords of the public NCA test key stores, as
// ../shared/interop/nca-test/README.md publishes them (expired test keys; no
// real key's password is ever in the repository). One place, so the tests
// name what they open rather than repeat a secret-looking string.
inline constexpr const char* kNcaGost2015Password = "Aa123456";  // keys/*_2015_gost.p12
inline constexpr const char* kNcaRsa2004Password = "Qwerty12";   // keys/*_2004*.p12

}  // namespace qujat::test
