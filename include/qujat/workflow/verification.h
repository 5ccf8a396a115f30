// Verification of any signed file a person brings: the format is detected
// from the bytes (XMLDSig, a SOAP envelope with WS-Security, CMS in DER or
// base64, a PAdES PDF) and the matching verifier gives one report, the shape
// of `qujat verify --json`. The CLI's `verify` and the service's
// POST /api/v1/verify both call this.
#pragma once

#include <optional>

#include "qujat/common/bytes.h"
#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"

namespace qujat::workflow {

enum class SignedFormat { xml, soap, pdf, cms };

// "%PDF" → pdf; XML whose document element is a SOAP 1.1 Envelope → soap;
// other text starting with '<' (after a BOM/whitespace) → xml; else cms
// (DER or base64).
SignedFormat detect_signed_format(ByteView data);

// Verifies every signature of `file`. `detached_content` is the signed
// content of a detached CMS. Never throws for bad input: an unreadable file
// is a report marked malformed.
dsig::VerificationReport verify_signed_file(ByteView file, const dsig::VerifyOptions& options,
                                            std::optional<ByteView> detached_content = std::nullopt);

}  // namespace qujat::workflow
