// Signer certificates parsed once per process: OpenSSL 3 decodes a
// certificate's key through its provider decoders, which costs more than an
// RSA verification itself, and a verifier sees the same signers again and again.
#pragma once

#include "qujat/common/bytes.h"
#include "qujat/pki/certificate.h"

namespace qujat::dsig {

// The certificate for these DER bytes, parsed on first sight (at most a few
// hundred kept; immutable, so shared copies are safe). Throws like
// pki::Certificate::from_der.
pki::Certificate certificate_from_der(ByteView der);

}  // namespace qujat::dsig
