#include "qujat/common/source_tree.h"

namespace qujat {

const std::filesystem::path& source_tree() {
  // QUJAT_SOURCE_TREE is defined for this file alone (src/CMakeLists.txt).
  static const std::filesystem::path dir(QUJAT_SOURCE_TREE);
  return dir;
}

}  // namespace qujat
