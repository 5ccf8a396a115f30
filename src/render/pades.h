// PAdES-B-B inside the renderer: writes a PoDoFo document with a signature
// field whose CMS (detached, over the ByteRange) the dsig component makes.
#pragma once

#include "qujat/common/bytes.h"
#include "qujat/render/pdf.h"

namespace PoDoFo {
class PdfMemDocument;
}

namespace qujat::render {

// Room reserved in /Contents for the DER CMS (bytes; written as hex, so the
// placeholder is twice as long). An NCA certificate with its CMS is ~2-3 KB.
inline constexpr std::size_t kSignatureReserve = 6144;

Bytes write_signed(PoDoFo::PdfMemDocument& doc, const PdfSignature& signature, Instant default_time);

}  // namespace qujat::render
