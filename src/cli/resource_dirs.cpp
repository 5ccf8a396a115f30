// Where the data lives, as the qujat command decides it: the environment at
// start, then a configuration's [paths] for the commands that read one. The
// libraries never read either themselves (qujat/common/resource_dirs.h).
#include <cstdlib>

#include "cli/commands.h"
#include "qujat/common/resource_dirs.h"
#include "qujat/config/config.h"

namespace qujat::cli {

void use_environment_resource_dirs() {
  auto variable = [](const char* name) -> std::filesystem::path {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
  };
  set_resource_dirs({variable("QUJAT_TEMPLATES"), variable("QUJAT_SCHEMAS"), variable("QUJAT_FONTS_CONFIG"),
                     variable("QUJAT_ISO_CODES_DIR")});
}

void use_configured_resource_dirs(const config::Config& settings) {
  auto dirs = resource_dirs();
  if (!settings.paths.templates.empty()) dirs.templates = settings.paths.templates;
  if (!settings.paths.schemas.empty()) dirs.schemas = settings.paths.schemas;
  set_resource_dirs(std::move(dirs));
}

}  // namespace qujat::cli
