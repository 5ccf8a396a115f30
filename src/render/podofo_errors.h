// PoDoFo's errors and log, as qujat reports them.
#pragma once

#include <podofo/podofo.h>

#include <string>

namespace qujat::render {

// PdfError::ErrorMessage returns null for several codes PoDoFo raises on
// damaged files (a crafted PDF must not crash the verifier through it).
inline std::string describe(const PoDoFo::PdfError& e) {
  if (const char* message = PoDoFo::PdfError::ErrorMessage(e.GetError())) return message;
  if (const char* name = PoDoFo::PdfError::ErrorName(e.GetError())) return name;
  return "PoDoFo error " + std::to_string(static_cast<int>(e.GetError()));
}

// PoDoFo logs parser warnings to stderr, quoting pieces of the file (a
// trailer dictionary, say). A verifier reading outside files keeps them
// out of the service's log; what matters reaches the report as errors.
void silence_podofo_log();

}  // namespace qujat::render
