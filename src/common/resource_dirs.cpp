#include "qujat/common/resource_dirs.h"

namespace qujat {
namespace {
ResourceDirs& chosen() {
  static ResourceDirs dirs;
  return dirs;
}
}  // namespace

void set_resource_dirs(ResourceDirs dirs) { chosen() = std::move(dirs); }

const ResourceDirs& resource_dirs() { return chosen(); }

}  // namespace qujat
