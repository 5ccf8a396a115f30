// Where qujat's data files are when a front end chose them: the CLI takes
// $QUJAT_TEMPLATES and its siblings once at start, the service its [paths]
// configuration. Library code asks here and never reads the environment, so
// a library user decides where its data lives and tests need no setenv.
// An empty path means the built-in search: the source tree this build was
// configured from, then the installed /usr/share/qujat (or the Debian
// package's folder for the ISO code tables).
#pragma once

#include <filesystem>

namespace qujat {

struct ResourceDirs {
  std::filesystem::path templates;     // templates/ (forms, messages, procedure rules)
  std::filesystem::path schemas;       // schemas/ (XSD)
  std::filesystem::path fonts_config;  // fonts/fonts.json
  std::filesystem::path iso_codes;     // iso-codes' json/ folder
};

// Set once by the front end before any document, catalogue or code table is
// loaded and before other threads start; later loads use what was set then.
void set_resource_dirs(ResourceDirs dirs);
const ResourceDirs& resource_dirs();

}  // namespace qujat
