// The checks of a signer's certificate that every signature format shares
// (XMLDSig, CMS, PAdES): identity, validity at a time, certification path,
// revocation. PDF verification calls this after its own cryptographic check.
#pragma once

#include <vector>

#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/certificate.h"

namespace qujat::dsig {

// Fills report.signer, certificate, time, chain, revocation and errors
// (in words, naming the certificate). `extra_certificates`: certificates
// that came with the signature (CMS certificates, PDF DSS), used as
// untrusted intermediates. Does not touch cryptographic_valid; call
// report.conclude() after.
void verify_signer_certificate(const pki::Certificate& certificate,
                               const std::vector<pki::Certificate>& extra_certificates,
                               const VerifyOptions& options, SignatureReport& report);

}  // namespace qujat::dsig
