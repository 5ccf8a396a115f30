// Where a test finds the source tree, the build folder and the qujat tool.
// The paths are compiled into tests/support/paths.cpp alone, so the other
// test objects do not depend on the checkout's location (a shared compiler
// cache then serves every checkout).
#pragma once

#include <filesystem>

namespace qujat::test {

const std::filesystem::path& source_root();  // the source tree (samples/, templates/, tests/data/)
const std::filesystem::path& build_root();   // the CMake build folder (scratch files go here)
const std::filesystem::path& qujat_cli();    // the built `qujat` executable

}  // namespace qujat::test
