// CMS SignedData (RFC 5652) as NCALayer's createCMSSignatureFromBase64 makes
// it: signedAttrs contentType, signingTime, messageDigest; the signer
// certificate included; GOST 34.10-2015 or RSA; attached or detached. Also
// what PAdES puts in a PDF's /Contents (detached over the ByteRange).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"
#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/pkcs12.h"

namespace qujat::dsig {

struct CmsSignOptions {
  bool detached = false;
  std::optional<Instant> signing_time;  // now when absent
  // The signingTime signed attribute. PAdES baseline signatures must leave it
  // out (ETSI EN 319 142-1, 5.4.1): there the time is the signature
  // dictionary's /M, and a CMS that also carries one is not PAdES-B-B.
  bool signing_time_attribute = true;
  std::optional<pki::SignatureAlgorithm> algorithm;  // default: the key's
  bool include_chain = false;           // also the KeyStore's other certificates
  // ESS signingCertificateV2 (RFC 5035) binding the signer certificate into
  // signedAttrs: what CAdES-BES and PAdES (ETSI.CAdES.detached) require.
  bool signing_certificate_v2 = true;
  // eContentType, dotted; default id-data. "1.2.840.113549.1.9.16.1.4"
  // (id-ct-TSTInfo) makes a timestamp token.
  std::string content_type = "1.2.840.113549.1.7.1";
  // DER of an RFC 3161 TimeStampToken over this signature value, put in the
  // unsigned attribute id-aa-timeStampToken (tests; a TSA client adds it).
  std::optional<Bytes> timestamp_token;
};

// DER ContentInfo(SignedData). Signing an existing attached CMS is not
// co-signing: use cms_add_signer.
Bytes cms_sign(ByteView content, const pki::KeyStore& signer, const CmsSignOptions& options = {});

// Adds one more SignerInfo (co-signature over the same content) to a DER or
// base64 SignedData; `detached_content` when the CMS carries none.
Bytes cms_add_signer(ByteView cms, std::optional<ByteView> detached_content, const pki::KeyStore& signer,
                     const CmsSignOptions& options = {});

// The signature value of SignerInfo `signer_index`: what a TSA timestamps
// (its hash is the token's message imprint). Throws qujat::Error("cms.malformed").
Bytes cms_signature_value(ByteView cms, std::size_t signer_index = 0);

// Adds an RFC 3161 TimeStampToken (DER ContentInfo) as the unsigned
// attribute id-aa-timeStampToken of SignerInfo `signer_index`; the signed
// part is untouched. Returns the new DER.
Bytes cms_add_timestamp(ByteView cms, ByteView timestamp_token, std::size_t signer_index = 0);

// `cms`: DER or base64 (whitespace allowed). One SignatureReport per
// SignerInfo; signing_time and timestamp filled when present; a
// signingCertificateV2 attribute must match the signer certificate. Never throws
// for bad input.
VerificationReport verify_cms(ByteView cms, std::optional<ByteView> detached_content, const VerifyOptions& options);

// The encapsulated content of an attached SignedData (DER or base64);
// nullopt when detached. Throws qujat::Error("cms.malformed").
std::optional<Bytes> cms_content(ByteView cms);

}  // namespace qujat::dsig
