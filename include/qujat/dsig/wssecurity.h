// WS-Security (OASIS 2004) signatures on SOAP 1.1 envelopes, the "transport
// signature" of Kazakh e-government exchanges (SmartBridge / ShEP; the MFA
// exchange uses it). qujat signs the shape the gateway expects:
// wsse:Security with a BinarySecurityToken referenced from KeyInfo, a
// wsu:Timestamp, and one ds:Signature over soap:Body (wsu:Id) and the
// Timestamp (exclusive C14N). It verifies every token reference of the X.509
// Token Profile that the message itself resolves, and the others against a
// certificate the caller expects (docs/signatures.md).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/certificate.h"
#include "qujat/pki/pkcs12.h"

namespace qujat::dsig {

struct WssSignOptions {
  std::chrono::seconds timestamp_lifetime{300};
  std::optional<Instant> created;  // now when absent
};

// Returns the envelope with wsse:Security added to soap:Header (created
// when absent) and a wsu:Id on soap:Body. Throws qujat::Error("wss.*").
std::string wss_sign(std::string_view soap_envelope, const pki::KeyStore& signer, const WssSignOptions& options = {});

// What a WS-Security check needs beyond VerifyOptions.
struct WssVerifyOptions {
  // The counterpart's certificate, when it is known in advance (the MFA
  // server's, another information system's): the signer must be this very
  // certificate, and KeyInfo may then name it by SubjectKeyIdentifier,
  // SHA-1 thumbprint or issuer and serial. With no trust anchors in
  // VerifyOptions, this certificate is the trust (pinned).
  std::optional<pki::Certificate> expected_signer;
  // A live exchange needs a current wsu:Timestamp (no replays); an envelope
  // checked later as a file (qujat verify) may have none: then a notice says
  // its freshness was not checked. A Timestamp that is present is always
  // checked.
  bool require_timestamp = true;
};

struct WssVerification {
  VerificationReport report;  // format "wss", one signature
  // The signer's certificate, whenever KeyInfo led to one (also when the
  // report is not valid, to say who claimed to sign).
  std::optional<pki::Certificate> signer;
  // soap:Body as it was signed (its exclusive canonical form, the bytes its
  // reference digested), only when the report is valid: the one piece of the
  // envelope a caller may act on.
  std::optional<std::string> body;
  bool valid() const { return report.valid; }
};

// Checks that the one ds:Signature inside wsse:Security covers soap:Body
// (and the wsu:Timestamp, which must be current at options.at or now), its
// cryptography, and the signer certificate against options.trust (or the
// expected signer). Never throws for bad input: the report says why.
WssVerification wss_verify_envelope(std::string_view soap_envelope, const VerifyOptions& options,
                                    const WssVerifyOptions& wss = {});

// The report alone (the CLI's view).
VerificationReport wss_verify(std::string_view soap_envelope, const VerifyOptions& options,
                              const WssVerifyOptions& wss = {});

}  // namespace qujat::dsig
