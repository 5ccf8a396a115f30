#include "support/paths.h"

namespace qujat::test {

// The QUJAT_TEST_* values are defined for this file alone (cmake/qujat_component.cmake).
const std::filesystem::path& source_root() {
  static const std::filesystem::path dir(QUJAT_TEST_SOURCE_DIR);
  return dir;
}

const std::filesystem::path& build_root() {
  static const std::filesystem::path dir(QUJAT_TEST_BINARY_DIR);
  return dir;
}

const std::filesystem::path& qujat_cli() {
  static const std::filesystem::path file(QUJAT_TEST_CLI);
  return file;
}

}  // namespace qujat::test
