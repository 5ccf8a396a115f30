// Where the public NCA interop material is (copied into tests/data, so a fresh
// clone needs nothing beside it), and the published passwords of its test key
// stores. Free of GoogleTest, so benchmarks use it too.
#pragma once

#include <filesystem>
#include <string>
#include "support/paths.h"

namespace qujat::test {

inline std::filesystem::path source_dir() { return qujat::test::source_root(); }

// NCA test PKI: keys, CA certificates, CRLs, OCSP, Kalkan-signed XML (tests/data/nca-test/README.md).
inline std::filesystem::path nca_test_dir() { return source_dir() / "tests" / "data" / "nca-test"; }

inline std::string nca(const std::string& relative) { return (nca_test_dir() / relative).string(); }

// Real NCA signatures from other projects' test suites (tests/data/interop-real/README.md).
inline std::filesystem::path interop_real_dir() { return source_dir() / "tests" / "data" / "interop-real"; }

inline std::string interop_real(const std::string& relative) { return (interop_real_dir() / relative).string(); }

// Passwords of the public NCA test key stores, as tests/data/nca-test/README.md
// publishes them (expired test keys; no real key's password is ever in the
// repository). One place, so the tests name what they open rather than repeat
// a secret-looking string.
inline constexpr const char* kNcaGost2015Password = "Aa123456";  // keys/*_2015_gost.p12
inline constexpr const char* kNcaRsa2004Password = "Qwerty12";   // keys/*_2004*.p12

}  // namespace qujat::test
