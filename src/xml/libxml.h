// Process-wide libxml2 setup shared by the xml and dsig components.
#pragma once

namespace qujat::xml {

// Initialises libxml2 once and installs an external entity loader that never
// touches the network (schemas import local files only).
void ensure_libxml();

}  // namespace qujat::xml
