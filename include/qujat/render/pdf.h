// The printable PDF of a document: a PrintedForm laid out as the official
// box form on A4 (DejaVu Sans embedded and subset, Kazakh and/or Russian),
// with a QR code of the public verification address, document metadata
// (Info, XMP, /Lang) and, when a key is given, a PAdES-B-B signature
// (CMS detached over the ByteRange, /SubFilter /ETSI.CAdES.detached).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"
#include "qujat/docs/printed_form.h"
#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/pkcs12.h"

namespace qujat::render {

// Parses "kk", "ru", "kk,ru" or "ru,kk" (print order). Throws
// qujat::Error("render.lang") for anything else.
std::vector<std::string> parse_languages(std::string_view list);

struct PdfSignature {
  const pki::KeyStore* signer = nullptr;  // borrowed for the call
  std::string reason;                     // /Reason (optional)
  std::string location;                   // /Location (optional)
  std::optional<Instant> signing_time;    // now when absent
};

struct PdfOptions {
  // Print order. Empty: the form's own (PrintedForm::languages, as issued),
  // which is both, Kazakh first, unless --lang said otherwise.
  std::vector<std::string> languages;
  // Continuation sheets "Парақ {n} / {m}"; empty: templates/common.json sheet.of.
  docs::BilingualText sheet_pattern;
  std::optional<Instant> creation_time;  // Info /CreationDate and XMP; now when absent
  std::string producer = "qujat";        // Info /Producer
  std::optional<PdfSignature> signature;  // PAdES-B-B when present
};

// Throws qujat::Error("render.*") when the fonts cannot be found or the form
// cannot be laid out; "render.sign" when signing fails (with the dsig cause).
Bytes render_pdf(const docs::PrintedForm& form, const PdfOptions& options = {});

// Verifies every signature dictionary of a PDF: the ByteRange must cover the
// whole file except the /Contents hex string, and the CMS in /Contents must
// verify over the ranged bytes (dsig::verify_cms, then the signer checks of
// `options`). Report format "pdf". Never throws for bad input: an unreadable
// or unsigned PDF is reported `malformed` or with an error.
dsig::VerificationReport verify_pdf(ByteView pdf, const dsig::VerifyOptions& options);

}  // namespace qujat::render
