// Where the source tree of this build is, for finding templates/, schemas/
// and fonts/ when qujat runs from its build folder (not installed). Kept in
// one translation unit so that every other object file is the same whichever
// checkout it was built from (a shared compiler cache then serves them all).
#pragma once

#include <filesystem>

namespace qujat {

// The folder CMake configured from (holds templates/, schemas/, fonts/).
const std::filesystem::path& source_tree();

}  // namespace qujat
