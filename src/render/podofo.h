// PoDoFo 0.9.8 as qujat uses it: its errors and log as we report them, and
// documents made where its thread-unsafe parts cannot race.
#pragma once

#include <podofo/podofo.h>

#include <memory>
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

// A new empty document. PdfDocument's constructor stamps a default
// /CreationDate through PdfDate, which formats with localtime() and its one
// shared buffer; concurrent renders and verifications raced there
// (ThreadSanitizer). Construction is serialised; qujat then overwrites the
// dates with its own thread-safe pdf_date().
std::unique_ptr<PoDoFo::PdfMemDocument> new_document();

}  // namespace qujat::render
